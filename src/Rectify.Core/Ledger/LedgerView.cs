using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;

namespace Rectify.Core.Ledger;

public sealed record MeasureView(long Id, long ProblemId, int Number, int Ordinal, string Text, RectificationMode Mode, string ModeText,
    long? LeaderId, string? LeaderName, long? LeadDepartmentId, string? LeadDepartmentName, IReadOnlyList<long> SupportingDepartmentIds,
    IReadOnlyList<string> SupportingDepartmentNames, long? OwnerId, string? OwnerName, DateOnly? Deadline, DateOnly? OriginalDeadline,
    MeasureStatus Status, string StatusText, bool Completed, string? Progress, string? Remarks, int Version);

public sealed record ProblemView(long Id, long CategoryId, string Number, int Ordinal, string Title, string? Description, string? Goal,
    string? MeasuresPreamble, string? Outcome, MeasureStatus Status, string StatusText, bool Completed, int Version,
    IReadOnlyList<MeasureView> Measures);

public sealed record CategoryView(long Id, string Number, int Ordinal, string Title, int Version, CompletionFigures Figures,
    IReadOnlyList<ProblemView> Problems);

public sealed record LedgerFigures(CompletionFigures Problems, int Measures, int MeasuresCompleted, int MeasuresClosed);

public sealed record LedgerView(long InspectionId, long UnitId, string UnitName, string? Team, DateOnly? FeedbackDate,
    InspectionDeadlines? Deadlines, LedgerFigures Figures, IReadOnlyList<CategoryView> Categories);

/// <summary>
/// The whole ledger of one inspection: category → problem → measure, with statuses, names and counts.
/// A fixed number of queries whatever the size (no N+1): inspection, categories, problems, measures, their newest
/// reports (one query, two index lookups per measure), people, departments.
/// </summary>
public static class GetLedger
{
    public static async Task<LedgerView?> RunAsync(RectifyDb db, long inspectionId, DeadlineSettings deadlines, CancellationToken ct = default)
    {
        var inspection = await db.Inspections.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inspectionId, ct);
        if (inspection is null) return null;
        var unitName = await db.Organisations.AsNoTracking().Where(o => o.Id == inspection.UnitId).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? "";
        var categories = await db.Categories.AsNoTracking().Where(c => c.InspectionId == inspectionId).OrderBy(c => c.Ordinal).ThenBy(c => c.Id).ToListAsync(ct);
        var problems = await db.Problems.AsNoTracking().Where(p => p.InspectionId == inspectionId).OrderBy(p => p.Ordinal).ThenBy(p => p.Id).ToListAsync(ct);
        var measures = await db.Measures.AsNoTracking().Where(m => m.InspectionId == inspectionId).OrderBy(m => m.Ordinal).ThenBy(m => m.Id).ToListAsync(ct);
        var progress = await MeasureProgress.LinesAsync(db, db.Measures.Where(m => m.InspectionId == inspectionId), ct);
        var people = await db.People.AsNoTracking().Where(p => p.UnitId == inspection.UnitId).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var departments = await db.Organisations.AsNoTracking().Where(o => o.UnitId == inspection.UnitId).ToDictionaryAsync(o => o.Id, o => o.Name, ct);

        string? Name(Dictionary<long, string> d, long? id) => id is { } k && d.TryGetValue(k, out var n) ? n : null;
        var measuresByProblem = measures.ToLookup(m => m.ProblemId);
        var problemsByCategory = problems.ToLookup(p => p.CategoryId);

        var categoryViews = new List<CategoryView>(categories.Count);
        var allStatuses = new List<MeasureStatus>(problems.Count);
        for (int ci = 0; ci < categories.Count; ci++)
        {
            var c = categories[ci];
            var problemViews = new List<ProblemView>();
            int pi = 0;
            foreach (var p in problemsByCategory[c.Id])
            {
                pi++;
                int mi = 0;
                var mv = measuresByProblem[p.Id].Select(m => new MeasureView(m.Id, m.ProblemId, ++mi, m.Ordinal, m.Text, m.Mode, StatusRules.ModeWording(m.Mode),
                    m.LeaderId, Name(people, m.LeaderId), m.LeadDepartmentId, Name(departments, m.LeadDepartmentId), m.SupportingDepartmentIds,
                    m.SupportingDepartmentIds.Select(id => Name(departments, id) ?? "").ToList(), m.OwnerId, Name(people, m.OwnerId),
                    m.Deadline, m.OriginalDeadline, m.Status, StatusRules.Wording(m.Status), StatusRules.IsCompleted(m.Status), progress.Shown(m.Id, m.Progress), m.Remarks, m.Version)).ToList();
                var status = StatusRules.ProblemStatus(p.StatedStatus, mv.Select(m => m.Status));
                allStatuses.Add(status);
                problemViews.Add(new ProblemView(p.Id, p.CategoryId, pi.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Ordinal, p.Title, p.Description, p.Goal,
                    p.MeasuresPreamble, p.Outcome, status, StatusRules.Wording(status), StatusRules.IsCompleted(status), p.Version, mv));
            }
            categoryViews.Add(new CategoryView(c.Id, ChineseNumber.Format(ci + 1), c.Ordinal, c.Title, c.Version,
                StatusRules.Count(problemViews.Select(p => p.Status)), problemViews));
        }
        var figures = new LedgerFigures(StatusRules.Count(allStatuses), measures.Count,
            measures.Count(m => StatusRules.IsCompleted(m.Status)), measures.Count(m => StatusRules.IsClosed(m.Status)));
        return new LedgerView(inspection.Id, inspection.UnitId, unitName, inspection.Team, inspection.FeedbackDate,
            InspectionDeadlines.From(inspection.FeedbackDate, deadlines), figures, categoryViews);
    }
}
