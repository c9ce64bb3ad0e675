using System.Text;
using BenchmarkDotNet.Attributes;
using Rectify.Core.Import;
using Rectify.Core.Ledger;

namespace Rectify.Bench;

/// <summary>
/// Parse time of the seed (as text and as PDF) and of a 5 MB text made of the seed repeated. Results: docs/benchmarks.md.
/// Run: dotnet run -c Release --project bench/Rectify.Bench -- --filter "*Import*"
/// </summary>
[MemoryDiagnoser]
public class ImportBenchmarks
{
    byte[] seed = [], seedPdf = [], fiveMegabytes = [];

    [GlobalSetup]
    public void Setup()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "samples");
        seed = File.ReadAllBytes(Path.Combine(dir, "seed-notice.txt"));
        seedPdf = File.ReadAllBytes(Path.Combine(dir, "seed-notice.pdf"));
        var text = Encoding.UTF8.GetString(seed);
        var sb = new StringBuilder();
        while (sb.Length * 3 < 5 * 1024 * 1024) sb.Append(text).Append("\n\n");
        fiveMegabytes = Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Benchmark(Baseline = true)]
    public LedgerDocument SeedText() => DocumentImporter.Read(new MemoryStream(seed), "seed-notice.txt");

    [Benchmark]
    public LedgerDocument SeedPdf() => DocumentImporter.Read(new MemoryStream(seedPdf), "seed-notice.pdf");

    [Benchmark]
    public LedgerDocument FiveMegabyteText() => DocumentImporter.Read(new MemoryStream(fiveMegabytes), "big.txt");
}

