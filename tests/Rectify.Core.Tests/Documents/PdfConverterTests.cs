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

    [Fact]
    public async Task ConvertAsync_SofficeMissing_ThrowsChineseMessage()
    {
        var converter = new PdfConverter { SofficePath = null };
        var ex = await Assert.ThrowsAsync<LibreOfficeMissingException>(() => converter.ConvertAsync(new MemoryStream([1]), new MemoryStream()));
        Assert.Contains("未找到 LibreOffice", ex.Message);
    }
}
