using BenchmarkDotNet.Attributes;
using Rectify.Core.Supervision;

/// <summary>
/// 举一反三 on a province-sized set: 2 000 units × 30 generated problems (60 000). Building the n-gram TF-IDF index
/// (done once per data version), one similar-problem query, and the clusters of one 200-unit round.
/// Run: dotnet run -c Release --project bench/Rectify.Bench -- --filter '*Similarity*'
/// </summary>
[MemoryDiagnoser]
public class SimilarityBenchmarks
{
    List<ProblemText> problems = null!;
    ProblemIndex index = null!;
    long[] round = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(3);
        problems = [];
        long id = 1;
        for (int unit = 1; unit <= 2000; unit++)
            for (int i = 0; i < 30; i++)
            {
                var (title, description) = RoundGenerator.Text(rnd.Next(RoundGenerator.Areas.Length), rnd.Next(RoundGenerator.Faults.Length), rnd.Next(3), rnd.Next(1000));
                problems.Add(new ProblemText(id++, unit, unit, unit / 200, title, description));
            }
        index = new ProblemIndex(problems);
        round = [.. problems.Where(p => p.RoundId == 1).Select(p => p.Id)];
    }

    [Benchmark]
    public int BuildIndex() => new ProblemIndex(problems).Count;

    [Benchmark]
    public int SimilarQuery() => index.Similar(30_001, 10, _ => true).Count;

    [Benchmark]
    public int RoundClusters() => index.Clusters(round, ProblemSimilarity.ClusterThreshold).Count;
}
