using BenchmarkDotNet.Attributes;
using Rectify.Core.Supervision;

/// <summary>
/// 举一反三 on a province-sized set: 2 000 units × 30 generated problems (60 000). Building the n-gram TF-IDF index
/// (done once per data version), one similar-problem query, and the clusters of a 100-unit (3 000 problems) and a
/// 200-unit round (6 000) in that index; the 3 000-problem round alone in its own index (the API's case on a county
/// database), with the pruned pairing and, for comparison, every pair scored (the first version).
/// Run: dotnet run -c Release --project bench/Rectify.Bench -- --filter '*Similarity*'
/// </summary>
[MemoryDiagnoser]
public class SimilarityBenchmarks
{
    List<ProblemText> problems = null!;
    ProblemIndex index = null!, county = null!;
    long[] round100 = null!, round200 = null!;

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
        round200 = [.. problems.Where(p => p.RoundId == 1).Select(p => p.Id)];
        round100 = [.. problems.Where(p => p.RoundId == 1 && p.UnitId < 300).Select(p => p.Id)];
        county = new ProblemIndex([.. problems.Where(p => round100.Contains(p.Id))]);
    }

    [Benchmark]
    public int BuildIndex() => new ProblemIndex(problems).Count;

    [Benchmark]
    public int SimilarQuery() => index.Similar(30_001, 10, _ => true).Count;

    [Benchmark]
    public int RoundClusters3000() => index.Clusters(round100, ProblemSimilarity.ClusterThreshold).Count;

    [Benchmark]
    public int RoundClusters6000() => index.Clusters(round200, ProblemSimilarity.ClusterThreshold).Count;

    [Benchmark]
    public int CountyClusters3000() => county.Clusters(round100, ProblemSimilarity.ClusterThreshold).Count;

    [Benchmark]
    public int CountyClusters3000_EveryPair() => county.ClustersByBruteForce(round100, ProblemSimilarity.ClusterThreshold).Count;
}
