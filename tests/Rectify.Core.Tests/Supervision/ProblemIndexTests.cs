using Rectify.Core.Ledger;
using Rectify.Core.Supervision;

namespace Rectify.Core.Tests.Supervision;

public class ProblemIndexTests
{
    /// <summary>
    /// 240 problems of 8 units written from templates (area × fault × wording × details); 40 of them reworded in another
    /// unit. For every reworded problem the original is among the 3 most similar problems of other inspections.
    /// </summary>
    [Fact]
    public void RewordedProblemInAnotherUnit_FindsTheOriginalInTop3()
    {
        var rnd = new Random(42);
        var corpus = new List<ProblemText>();
        var specs = new List<(int Area, int Fault, int Wording, int Detail)>();
        long id = 1;
        for (int unit = 1; unit <= 8; unit++)
            for (int i = 0; i < 30; i++)
            {
                var spec = (rnd.Next(RoundGenerator.Areas.Length), rnd.Next(RoundGenerator.Faults.Length), rnd.Next(3), rnd.Next(1000));
                var (title, description) = RoundGenerator.Text(spec.Item1, spec.Item2, spec.Item3, spec.Item4);
                corpus.Add(new ProblemText(id++, unit, unit, 1, title, description));
                specs.Add(spec);
            }
        var pairs = new List<(long Original, long Reworded)>();
        for (int k = 0; k < 40; k++)
        {
            var pick = rnd.Next(specs.Count);
            var (area, fault, wording, detail) = specs[pick];
            var (title, description) = RoundGenerator.Text(area, fault, wording + 1 + rnd.Next(2), detail);
            var unit = 100 + k;
            corpus.Add(new ProblemText(id, unit, unit, 2, title, description));
            pairs.Add((corpus[pick].Id, id++));
        }
        Assert.True(corpus.Count >= 200);

        var index = new ProblemIndex(corpus);
        foreach (var (original, reworded) in pairs)
        {
            var top = index.Similar(reworded, 3, _ => true);
            Assert.True(top.Any(t => t.ProblemId == original),
                $"{corpus.Single(p => p.Id == reworded).Title} → {string.Join(" | ", top.Select(t => t.Title + " " + t.Score))}");
        }
    }

    /// <summary>
    /// The top-k selection equals sorting every scored problem (score descending, then id ascending), for several k and
    /// a visibility filter, on a corpus with many equal texts (ties in score).
    /// </summary>
    [Fact]
    public void Similar_ReturnsTheSameAsSortingEveryScore_TiesByLowerId()
    {
        var rnd = new Random(7);
        var corpus = new List<ProblemText>();
        for (long id = 1; id <= 300; id++)
        {
            var (title, description) = RoundGenerator.Text(rnd.Next(4), rnd.Next(4), rnd.Next(2), rnd.Next(3));
            corpus.Add(new ProblemText(id, id % 12, id % 12, 1, title, description));
        }
        var index = new ProblemIndex(corpus);
        Func<ProblemText, bool> visible = p => p.UnitId != 5;
        foreach (var id in new long[] { 1, 2, 50, 123, 299 })
        {
            var self = corpus.Single(p => p.Id == id);
            var all = index.Scores(id)
                .Select(kv => (Doc: corpus[kv.Key], Score: kv.Value))
                .Where(x => x.Score >= 0.05 && x.Doc.InspectionId != self.InspectionId && visible(x.Doc))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Doc.Id).ToList();
            Assert.True(all.Count > 20, $"problem {id}: {all.Count} scored");
            Assert.True(all.Zip(all.Skip(1)).Any(p => p.First.Score == p.Second.Score), "the corpus should produce ties");
            foreach (var take in new[] { 1, 3, 10, 20 })
                Assert.Equal(all.Take(take).Select(x => x.Doc.Id), index.Similar(id, take, visible).Select(h => h.ProblemId));
        }
    }

    [Fact]
    public void Similar_LeavesOutTheSameInspection_AndWhatTheCallerMayNotSee()
    {
        var index = new ProblemIndex([
            new(1, 10, 100, 1, "公务接待超标准", "接待费用超标准列支"),
            new(2, 10, 100, 1, "公务接待超标准列支", "接待超标准"),
            new(3, 20, 200, 1, "公务接待超标准列支问题", null),
            new(4, 30, 300, 1, "公务接待超标准", null),
            new(5, 40, 400, 1, "校园安全隐患排查不到位", null),
        ]);
        var hits = index.Similar(1, 10, p => p.UnitId != 30);
        Assert.Equal([3L], hits.Select(h => h.ProblemId));
        Assert.Empty(index.Similar(999, 10, _ => true));
    }

    [Fact]
    public void Clusters_JoinSimilarProblemsAcrossUnits_NotWithinOne()
    {
        var index = new ProblemIndex([
            new(1, 10, 100, 1, "公务用车管理不规范", "公车私用，派车单缺失"),
            new(2, 20, 200, 1, "公务用车管理不够规范", "存在公车私用现象，派车单不全"),
            new(3, 30, 300, 1, "公车管理不规范，公车私用", "派车单缺失"),
            new(4, 10, 100, 1, "食堂账目不清", "食堂采购无台账"),
            new(5, 10, 100, 1, "食堂账目不清楚", "食堂采购没有台账"),
            new(6, 40, 400, 1, "网络安全等级保护未落实", null),
        ]);
        var clusters = index.Clusters([1, 2, 3, 4, 5, 6], 0.3);
        var c = Assert.Single(clusters);
        Assert.Equal([1L, 2L, 3L], c.Problems.Select(p => p.ProblemId).Order());
        Assert.Equal(3, c.UnitCount);
    }

    /// <summary>
    /// The pruned pairing (All-Pairs prefix filter) finds exactly the clusters of scoring every pair: 40 units × 30
    /// generated problems, at several thresholds, same members, same labels, same centrality to 4 decimals.
    /// </summary>
    [Theory]
    [InlineData(0.2)]
    [InlineData(0.35)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void Clusters_Pruned_SameAsEveryPairScored(double threshold)
    {
        var rnd = new Random(7);
        var corpus = new List<ProblemText>();
        long id = 1;
        for (int unit = 1; unit <= 40; unit++)
            for (int i = 0; i < 30; i++)
            {
                var (title, description) = RoundGenerator.Text(rnd.Next(RoundGenerator.Areas.Length), rnd.Next(RoundGenerator.Faults.Length), rnd.Next(3), rnd.Next(1000));
                corpus.Add(new ProblemText(id++, unit, unit, unit <= 30 ? 1 : 2, title, description));
            }
        var index = new ProblemIndex(corpus);
        var round = corpus.Where(p => p.RoundId == 1).Select(p => p.Id).ToList();
        var fast = index.Clusters(round, threshold);
        var slow = index.ClustersByBruteForce(round, threshold);
        Assert.NotEmpty(slow);
        Assert.Equal(slow.Count, fast.Count);
        for (int i = 0; i < slow.Count; i++)
        {
            Assert.Equal(slow[i].Label, fast[i].Label);
            Assert.Equal(slow[i].UnitCount, fast[i].UnitCount);
            Assert.Equal(slow[i].Problems.Select(p => p.ProblemId).Order(), fast[i].Problems.Select(p => p.ProblemId).Order());
            Assert.Equal(slow[i].Problems.Select(p => p.Score), fast[i].Problems.Select(p => p.Score), (a, b) => Math.Abs(a - b) < 1e-3);
        }
    }

    [Fact]
    public void Grams_AreBigramsAndTrigramsOfRuns_PunctuationSplits()
    {
        Assert.Equal(["公务", "务接", "公务接", "待"], ProblemIndex.Grams("公务接，待"));
        var grams = ProblemIndex.Grams("公务接待。AB").ToList();
        Assert.Contains("公务接", grams);
        Assert.Contains("ab", grams);
        Assert.DoesNotContain("待。", grams);
        Assert.DoesNotContain("待a", grams);
    }

    [Fact]
    public void Sentence_IsThePublishedWording()
    {
        Assert.Equal("巡察反馈的697个问题，完成整改688个，基本完成4个，未完成5个，总体完成率98.71%",
            SummaryDocument.Sentence(new CompletionFigures(697, 688, 4, 5, 600)));
        Assert.Equal("巡察反馈的25个问题，完成整改19个，未完成6个，总体完成率76%", SummaryDocument.Sentence(new CompletionFigures(25, 19, 0, 6, 0)));
        Assert.Equal("通过整改，处理3人，制定和修订完善制度12项，追缴清退资金12.5万元，召开会议4次",
            SummaryDocument.OutcomeSentence(new OutcomeTotals(3, 12, 5, 125000, 4)));
        Assert.Equal("", SummaryDocument.OutcomeSentence(OutcomeTotals.Zero));
    }

    [Fact]
    public void AsOfCutoff_IsTheEndOfTheDayInChina()
    {
        Assert.Equal(new DateTime(2023, 1, 17, 16, 0, 0, DateTimeKind.Utc), FigureQuery.Cutoff(new DateOnly(2023, 1, 17)));
    }
}
