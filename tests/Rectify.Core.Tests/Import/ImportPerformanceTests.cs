using System.Diagnostics;
using System.Text;
using Rectify.Core.Ledger;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>
/// A 5 MB text parses in under a second with allocations linear in the input (issue 3). Runs alone (not beside the
/// fuzz tests) and takes the best of three runs, so a busy shared machine does not make it flaky.
/// </summary>
[CollectionDefinition(nameof(ImportPerformanceTests), DisableParallelization = true)]
[Collection(nameof(ImportPerformanceTests))]
public class ImportPerformanceTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Read_FiveMegabyteText_ParsesQuicklyAndCompletely()
    {
        var sb = new StringBuilder();
        var copies = 0;
        while (sb.Length * 3 < 5 * 1024 * 1024)
        {
            sb.Append(SeedText).Append("\n\n");
            copies++;
        }
        var data = Encoding.UTF8.GetBytes(sb.ToString());
        Read(data, "warm.txt"); // JIT and regex compilation out of the measurement
        var best = TimeSpan.MaxValue;
        long allocated = 0;
        LedgerDocument doc = null!;
        for (int run = 0; run < 3; run++)
        {
            allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            doc = Read(data, "big.txt");
            watch.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            if (watch.Elapsed < best) best = watch.Elapsed;
        }

        output.WriteLine($"{data.Length / 1024} KB: {best.TotalMilliseconds:0} ms, {allocated / 1024 / 1024} MB allocated");
        Assert.Equal(23 * copies, doc.AllProblems.Count());
        Assert.True(best < TimeSpan.FromSeconds(1), $"5 MB took {best.TotalMilliseconds:0} ms");
        Assert.True(allocated < data.Length * 60L, $"allocated {allocated / 1024 / 1024} MB for {data.Length / 1024 / 1024} MB");
    }
}
