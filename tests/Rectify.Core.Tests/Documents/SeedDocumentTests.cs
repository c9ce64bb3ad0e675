using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Rectify.Core.Documents;
using Rectify.Core.Import;
using Rectify.Core.Ledger;
using Rectify.Core.Tests.Import;
using UglyToad.PdfPig;

namespace Rectify.Core.Tests.Documents;

/// <summary>The real seed notice (samples/seed-notice.txt) read and written back as a GB/T 9704 notice.</summary>
public class SeedDocumentTests
{
    static LedgerDocument Seed() => DocumentImporter.Read(new MemoryStream(TestDocuments.SeedBytes), "seed-notice.txt");

    static MemoryStream Docx(LedgerDocument doc)
    {
        var ms = new MemoryStream();
        new DocxNoticeWriter().Write(doc, ms);
        ms.Position = 0;
        return ms;
    }

    [Fact]
    public void Write_Seed_DocxPassesTheOpenXmlValidator()
    {
        using var ms = Docx(Seed());
        using var word = WordprocessingDocument.Open(ms, false);
        var errors = new OpenXmlValidator().Validate(word).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }

    [SofficeFact]
    public async Task ConvertAsync_Seed_PdfHasEveryProblemTitleAndResult()
    {
        var doc = Seed();
        using var docx = Docx(doc);
        using var pdf = new MemoryStream();
        await new PdfConverter().ConvertAsync(docx, pdf);
        pdf.Position = 0;
        using var reader = PdfDocument.Open(pdf);
        var text = string.Concat(reader.GetPages().Select(p => Regex.Replace(Regex.Replace(p.Text, @"\s+", ""), @"—\d+—$", "")));

        var cursor = 0;
        foreach (var category in doc.Categories)
            for (var i = 0; i < category.Problems.Count; i++)
            {
                var problem = category.Problems[i];
                var title = problem.Title.TrimEnd('。');
                var heading = text.IndexOf(title, cursor, StringComparison.Ordinal);
                Assert.True(heading >= 0, $"PDF 中没有问题“{title}”");
                var result = text.IndexOf("整改结果：", heading, StringComparison.Ordinal);
                var expected = StatusRules.Wording(problem.Status!.Value);
                Assert.Equal(expected, text.Substring(result + 5, expected.Length));
                cursor = result;
            }
        Assert.Contains("中共平顶山市石龙区教育体育局党组2022年9月30日", text);
    }
}
