using BenchmarkDotNet.Attributes;
using Rectify.Core.Documents;
using Rectify.Core.Import;
using Rectify.Core.Ledger;

namespace Rectify.Bench;

/// <summary>Rendering the seed's notice in-process, read from samples/seed-notice.txt (target: under 200 ms for the DOCX).</summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    LedgerDocument doc = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var seed = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "samples", "seed-notice.txt"));
        doc = DocumentImporter.Read(seed, "seed-notice.txt");
    }

    [Benchmark]
    public long NoticeDocx() => Render(new DocxNoticeWriter().Write);

    [Benchmark]
    public long NoticeHtml() => Render(new HtmlNoticeWriter().Write);

    [Benchmark]
    public long PlanDocx() => Render(new PlanDocxWriter().Write);

    [Benchmark]
    public long LedgerXlsx() => Render(new XlsxLedgerWriter().Write);

    long Render(Func<LedgerDocument, Stream, RenderOptions?, LintOutcome> write)
    {
        using var ms = new MemoryStream();
        write(doc, ms, null);
        return ms.Length;
    }
}
