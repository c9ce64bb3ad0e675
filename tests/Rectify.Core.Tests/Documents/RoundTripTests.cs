using System.Text.Json;
using Rectify.Core.Documents;
using Rectify.Core.Import;
using Rectify.Core.Ledger;
using Rectify.Core.Tests.Import;

namespace Rectify.Core.Tests.Documents;

/// <summary>The seed read, written out, and read back: the same categories, problems, measures and statuses.</summary>
public class RoundTripTests
{
    static LedgerDocument Seed() => DocumentImporter.Read(new MemoryStream(TestDocuments.SeedBytes), "seed-notice.txt");

    static LedgerDocument ThroughWriter(Func<LedgerDocument, Stream, LintOutcome> write, string fileName)
    {
        var output = new MemoryStream();
        write(Seed(), output);
        output.Position = 0;
        return DocumentImporter.Read(output, fileName);
    }

    static void AssertSameLedger(LedgerDocument expected, LedgerDocument actual)
    {
        Assert.Equal(expected.Categories.Select(c => c.Title), actual.Categories.Select(c => c.Title));
        Assert.Equal(expected.Categories.Select(c => c.Problems.Count), actual.Categories.Select(c => c.Problems.Count));
        var pairs = expected.AllProblems.Zip(actual.AllProblems).ToList();
        foreach (var (e, a) in pairs)
        {
            Assert.Equal(e.Title, a.Title);
            Assert.Equal(DocumentText.StatusOf(e), DocumentText.StatusOf(a));
            // A measure that ran over several paragraphs is written as one: compare the words, not the breaks.
            Assert.Equal(e.Measures.Select(m => m.Text.Replace("\n", "")), a.Measures.Select(m => m.Text.Replace("\n", "")));
        }
        Assert.Equal(23, pairs.Count);
    }

    [Fact]
    public void Seed_ToDocxAndBack_SameLedger() =>
        AssertSameLedger(Seed(), ThroughWriter((d, s) => new DocxNoticeWriter().Write(d, s), "通报.docx"));

    [Fact]
    public void Seed_ToXlsxAndBack_SameLedger() =>
        AssertSameLedger(Seed(), ThroughWriter((d, s) => new XlsxLedgerWriter().Write(d, s), "整改台账.xlsx"));

    [Fact]
    public void Seed_ToMarkdownAndBack_SameLedger() =>
        AssertSameLedger(Seed(), ThroughWriter((d, s) => new MarkdownNoticeWriter().Write(d, s), "通报.md"));

    [Fact]
    public void Seed_ToJsonAndBack_SameLedger()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(Seed(), LedgerDocument.Json);
        AssertSameLedger(Seed(), DocumentImporter.Read(new MemoryStream(json), "ledger.json"));
    }

    [Fact]
    public void Seed_ToDocx_PassesLintWithoutOverride() =>
        Assert.Empty(NoticeLint.Check(Seed()));
}
