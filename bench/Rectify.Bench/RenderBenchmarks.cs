using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;

// Without arguments: the render benchmarks, as before. With arguments (e.g. --filter '*Similarity*'): the switcher.
if (args.Length == 0) BenchmarkRunner.Run<RenderBenchmarks>(args: args);
else BenchmarkSwitcher.FromTypes([typeof(RenderBenchmarks), typeof(SimilarityBenchmarks)]).Run(args);

/// <summary>Rendering the seed-shaped notice in-process (target: under 200 ms for the DOCX).</summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    LedgerDocument doc = null!;

    [GlobalSetup]
    public void Setup() =>
        doc = JsonSerializer.Deserialize<LedgerDocument>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed-ledger.json")), LedgerDocument.Json)!;

    [Benchmark]
    public long NoticeDocx()
    {
        using var ms = new MemoryStream();
        new DocxNoticeWriter().Write(doc, ms);
        return ms.Length;
    }

    [Benchmark]
    public long NoticeHtml()
    {
        using var ms = new MemoryStream();
        new HtmlNoticeWriter().Write(doc, ms);
        return ms.Length;
    }

    [Benchmark]
    public long PlanDocx()
    {
        using var ms = new MemoryStream();
        new PlanDocxWriter().Write(doc, ms);
        return ms.Length;
    }

    [Benchmark]
    public long LedgerXlsx()
    {
        using var ms = new MemoryStream();
        new XlsxLedgerWriter().Write(doc, ms);
        return ms.Length;
    }
}
