using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Supervision;

/// <summary>What a carry-over did: inspections opened in the target round, problems and measures carried.</summary>
public sealed record CarryOverResult(int InspectionsCreated, int ProblemsCarried, int MeasuresCarried, int AlreadyCarried, IReadOnlyList<CarriedProblem> Problems);

/// <summary>One carried problem: the original and its copy in the later round.</summary>
public sealed record CarriedProblem(long FromProblemId, long ProblemId, long UnitId);

/// <summary>One step of a problem's history across rounds, newest first.</summary>
public sealed record ProblemHistoryStep(long ProblemId, long InspectionId, long? RoundId, string? RoundName, string Title, MeasureStatus Status, string StatusText);

/// <summary>
/// 结转: the unfinished problems of a round (every problem not completed by <see cref="StatusRules"/>, 基本完成 included)
/// are carried into a later round or a 回头看: per unit an inspection in the target round (opened if missing), a category
/// "上轮巡察未完成整改问题", a copy of the problem linked to the original (<see cref="Problem.CarriedFromProblemId"/>) and
/// copies of its open measures with their status, people and deadlines. Running it twice carries nothing twice.
/// </summary>
public static class CarryOver
{
    public const string CategoryTitle = "上轮巡察未完成整改问题";

    public static async Task<CarryOverResult> RunAsync(RectifyDb db, long fromRoundId, long toRoundId, CancellationToken ct = default)
    {
        if (fromRoundId == toRoundId) throw new DomainRuleException("不能结转到同一轮次。", "toRoundId");
        var from = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == fromRoundId, ct)
                   ?? throw new DomainRuleException("原轮次不存在或无权访问。", "id");
        var to = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == toRoundId, ct)
                 ?? throw new DomainRuleException("目标轮次不存在或无权访问。", "toRoundId");
        if (from.Start is { } fs && to.Start is { } ts && ts < fs) throw new DomainRuleException("只能结转到更晚的轮次或回头看。", "toRoundId");

        var inspections = await db.Inspections.Where(i => i.RoundId == fromRoundId).OrderBy(i => i.UnitId).ToListAsync(ct);
        var inspectionIds = inspections.Select(i => i.Id).ToList();
        var problems = await db.Problems.AsNoTracking().Include(p => p.Measures)
            .Where(p => inspectionIds.Contains(p.InspectionId)).OrderBy(p => p.InspectionId).ThenBy(p => p.CategoryId).ThenBy(p => p.Ordinal).ToListAsync(ct);
        var open = problems.Where(p => !StatusRules.IsCompleted(p.Status)).ToList();
        var openIds = open.Select(p => p.Id).ToList();
        var done = (await db.Problems.AsNoTracking().Where(p => p.CarriedFromProblemId != null && openIds.Contains(p.CarriedFromProblemId.Value)
                        && db.Inspections.Any(i => i.Id == p.InspectionId && i.RoundId == toRoundId))
                    .Select(p => p.CarriedFromProblemId!.Value).ToListAsync(ct)).ToHashSet();
        var todo = open.Where(p => !done.Contains(p.Id)).ToList();
        var todoIds = todo.Select(p => p.Id).ToList();
        var progress = await MeasureProgress.LinesAsync(db, db.Measures.Where(m => todoIds.Contains(m.ProblemId)), ct);

        var targets = await db.Inspections.Include(i => i.Categories).Where(i => i.RoundId == toRoundId).ToListAsync(ct);
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        // The target inspections first (their ids go into every row of the tree), then the tree.
        int created = 0, measures = 0;
        foreach (var unit in todo.Select(p => p.UnitId).Distinct().Where(u => targets.All(t => t.UnitId != u)))
        {
            var source = inspections.First(i => i.UnitId == unit);
            var target = new Inspection { UnitId = unit, RoundId = toRoundId, Team = source.Team, FeedbackDate = to.Start };
            db.Inspections.Add(target);
            targets.Add(target);
            created++;
        }
        if (created > 0) await db.SaveChangesAsync(ct);

        var carried = new List<(Problem From, Problem Copy)>();
        foreach (var group in todo.GroupBy(p => p.UnitId))
        {
            var target = targets.First(i => i.UnitId == group.Key);
            var category = target.Categories.FirstOrDefault(c => c.Title == CategoryTitle);
            if (category is null)
            {
                category = new Category
                {
                    InspectionId = target.Id, UnitId = group.Key, Title = CategoryTitle,
                    Ordinal = target.Categories.Count == 0 ? 1 : target.Categories.Max(c => c.Ordinal) + 1,
                };
                target.Categories.Add(category);
            }
            var categoryId = category.Id;
            var ordinal = categoryId == 0 ? 0 : await db.Problems.Where(p => p.CategoryId == categoryId).MaxAsync(p => (int?)p.Ordinal, ct) ?? 0;
            foreach (var p in group)
            {
                var copy = new Problem
                {
                    InspectionId = target.Id, UnitId = p.UnitId, Ordinal = ++ordinal, Title = p.Title, Description = p.Description, Goal = p.Goal,
                    MeasuresPreamble = p.MeasuresPreamble, Outcome = p.Outcome, CarriedFromProblemId = p.Id,
                    StatedStatus = p.Measures.Count == 0 ? p.StatedStatus : null,
                };
                foreach (var m in p.Measures.Where(m => !StatusRules.IsCompleted(m.Status)).OrderBy(m => m.Ordinal))
                {
                    copy.Measures.Add(new Measure
                    {
                        InspectionId = target.Id, UnitId = m.UnitId, Ordinal = copy.Measures.Count + 1, Text = m.Text, Mode = m.Mode, LeaderId = m.LeaderId,
                        LeadDepartmentId = m.LeadDepartmentId, SupportingDepartmentIds = [.. m.SupportingDepartmentIds], OwnerId = m.OwnerId,
                        Deadline = m.Deadline, OriginalDeadline = m.OriginalDeadline, Status = m.Status, Progress = progress.Shown(m.Id, m.Progress), Remarks = m.Remarks,
                    });
                    measures++;
                }
                category.Problems.Add(copy);
                carried.Add((p, copy));
            }
        }
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return new CarryOverResult(created, carried.Count, measures, done.Count,
            [.. carried.Select(c => new CarriedProblem(c.From.Id, c.Copy.Id, c.Copy.UnitId))]);
    }

    /// <summary>The problem and the problems it was carried from, newest first, each with its round and current status.</summary>
    public static async Task<IReadOnlyList<ProblemHistoryStep>> HistoryAsync(RectifyDb db, long problemId, CancellationToken ct = default)
    {
        var steps = new List<ProblemHistoryStep>();
        long? id = problemId;
        var seen = new HashSet<long>();
        while (id is { } current && seen.Add(current))
        {
            var p = await db.Problems.AsNoTracking().Include(x => x.Measures).FirstOrDefaultAsync(x => x.Id == current, ct);
            if (p is null) break;
            var round = await db.Inspections.AsNoTracking().Where(i => i.Id == p.InspectionId)
                .Select(i => new { i.RoundId, Name = db.Rounds.Where(r => r.Id == i.RoundId).Select(r => r.Name).FirstOrDefault() }).FirstOrDefaultAsync(ct);
            steps.Add(new ProblemHistoryStep(p.Id, p.InspectionId, round?.RoundId, round?.Name, p.Title, p.Status, StatusRules.Wording(p.Status)));
            id = p.CarriedFromProblemId;
        }
        return steps;
    }
}
