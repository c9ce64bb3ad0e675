using System.Text.RegularExpressions;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;
using UglyToad.PdfPig;

namespace Rectify.Core.Tests.Documents;

/// <summary>A fact that is skipped, saying why, only where LibreOffice is not installed.</summary>
public sealed class SofficeFactAttribute : FactAttribute
{
    public SofficeFactAttribute()
    {
        if (PdfConverter.FindSoffice() is null) Skip = "LibreOffice（soffice）未安装，跳过 PDF 转换测试。";
    }
}

public class PdfConverterTests
{
    [SofficeFact]
    public async Task ConvertAsync_SeedLikeNotice_PdfTextHasEveryProblemTitleAndResultInOrder()
    {
        var doc = TestLedgers.SeedLike();
        using var docx = DocxNoticeWriterTests.Render(doc);
        using var pdf = new MemoryStream();
        await new PdfConverter().ConvertAsync(docx, pdf);

        pdf.Position = 0;
        using var reader = PdfDocument.Open(pdf);
        Assert.True(reader.NumberOfPages >= 2);
        // Page text without whitespace and without the page-number footer, so a title broken over lines reads whole.
        var pages = reader.GetPages().Select(p => Regex.Replace(p.Text, @"\s+", "")).ToList();
        Assert.EndsWith("—1—", pages[0]);
        Assert.EndsWith("—2—", pages[1]);
        var text = string.Concat(pages.Select(p => Regex.Replace(p, @"—\d+—$", "")));

        var cursor = 0;
        foreach (var category in doc.Categories)
            for (var i = 0; i < category.Problems.Count; i++)
            {
                var problem = category.Problems[i];
                var heading = text.IndexOf($"{i + 1}.{problem.Title}", cursor, StringComparison.Ordinal);
                Assert.True(heading >= 0, $"PDF 中没有问题“{problem.Title}”");
                var result = text.IndexOf("整改结果：", heading, StringComparison.Ordinal);
                var expected = problem.Measures.Any(m => m.Status == MeasureStatus.InProgress) ? "整改推进中" : "已整改，长期坚持";
                Assert.Equal(expected, text.Substring(result + 5, expected.Length));
                cursor = result;
            }
        Assert.Contains(TestLedgers.Issuer + "2022年9月30日", text);
    }

    const double Mm = 72 / 25.4;

    [SofficeFact]
    public async Task ConvertAsync_SeedLikeNotice_PageLooksLikeAGbNotice()
    {
        using var docx = DocxNoticeWriterTests.Render(TestLedgers.SeedLike());
        using var pdf = new MemoryStream();
        await new PdfConverter().ConvertAsync(docx, pdf);
        pdf.Position = 0;
        using var reader = PdfDocument.Open(pdf);

        var page1 = reader.GetPage(1);
        Assert.Equal(210, Math.Round(page1.Width / Mm));
        Assert.Equal(297, Math.Round(page1.Height / Mm));
        var textBottom = 35 * Mm;
        var body = page1.Letters.Where(l => l.BoundingBox.Bottom > textBottom - 2).ToList();
        var footer = page1.Letters.Where(l => l.BoundingBox.Top < textBottom).ToList();

        // Text block: 28 mm from the left, 26 mm from the right, below the 37 mm top margin.
        Assert.InRange(body.Min(l => l.BoundingBox.Left) / Mm, 27.5, 29.5);
        // LibreOffice 7.4 ignores w:overflowPunct="false" and lets a closing 。，、 hang into the margin; Word does not.
        var rightmost = body.Where(l => !"。，、；：！？”）》".Contains(l.Value)).MaxBy(l => l.BoundingBox.Right)!;
        Assert.True(rightmost.BoundingBox.Right / Mm <= 184.5, $"“{rightmost.Value}” reaches {rightmost.BoundingBox.Right / Mm:0.0} mm, {rightmost.BoundingBox.Width / Mm:0.0} wide, line {string.Concat(body.Where(l => Math.Abs(l.StartBaseLine.Y - rightmost.StartBaseLine.Y) < 1).Select(l => l.Value))}");
        Assert.True(body.Max(l => l.BoundingBox.Top) / Mm < 297 - 37 + 1);

        // Title centred on the text block (28 + 156 / 2 = 106 mm): first line's letters.
        var titleLine = body.Where(l => l.PointSize > 20).GroupBy(l => Math.Round(l.StartBaseLine.Y)).OrderByDescending(g => g.Key).First().ToList();
        var centre = (titleLine.Min(l => l.BoundingBox.Left) + titleLine.Max(l => l.BoundingBox.Right)) / 2 / Mm;
        Assert.InRange(centre, 104.5, 107.5);

        // Page number on odd pages right (one character in), its top 7 mm below the text block.
        Assert.Equal("—1—", string.Concat(footer.Select(l => l.Value)).Replace(" ", ""));
        Assert.True(footer.Min(l => l.BoundingBox.Left) / Mm > 150);
        Assert.InRange(footer.Max(l => l.BoundingBox.Right) / Mm, 176, 184);
        Assert.InRange((textBottom - footer.Max(l => l.BoundingBox.Top)) / Mm, 6, 9);

        // 28 characters on a full body line, 22 lines on a page of body text.
        var lines = reader.GetPage(2).Letters.Where(l => l.BoundingBox.Bottom > textBottom - 2)
            .GroupBy(l => Math.Round(l.StartBaseLine.Y)).ToList();
        Assert.Equal(22, lines.Count);
        Assert.Contains(lines, g => g.Count() == 28 && g.All(l => l.Value.Length == 1 && l.Value[0] > 0x2000));

        // Even pages: the number on the left, one character in.
        var evenFooter = reader.GetPage(2).Letters.Where(l => l.BoundingBox.Top < textBottom).ToList();
        Assert.Equal("—2—", string.Concat(evenFooter.Select(l => l.Value)).Replace(" ", ""));
        Assert.InRange(evenFooter.Min(l => l.BoundingBox.Left) / Mm, 30, 37);
    }

    [Fact]
    public async Task ConvertAsync_SofficeMissing_ThrowsChineseMessage()
    {
        var converter = new PdfConverter { SofficePath = null };
        var ex = await Assert.ThrowsAsync<LibreOfficeMissingException>(() => converter.ConvertAsync(new MemoryStream([1]), new MemoryStream()));
        Assert.Contains("未找到 LibreOffice", ex.Message);
    }
}
