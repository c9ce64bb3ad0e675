using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Supervision;

namespace Rectify.Web;

/// <summary>One inspection in the lists of the landing page, the inspections page and the dashboard: its problems'
/// figures and how many of its measures are overdue.</summary>
public sealed record InspectionSummary(long Id, long UnitId, string UnitName, string? Team, string? RoundName, long? RoundId,
    DateOnly? FeedbackDate, CompletionFigures Problems, int OverdueMeasures);

public sealed record MyMeasure(long Id, long ProblemId, long InspectionId, string UnitName, string ProblemTitle, string Text, bool AsLeader,
    DateOnly? Deadline, MeasureStatus Status, bool Overdue);

/// <summary>The lists of the landing page and the dashboards, scoped by the caller's context.</summary>
public static class InspectionSummaries
{
    /// <summary>The statuses <see cref="StatusRules.IsOpen"/> calls open, for the overdue count in SQL.</summary>
    static readonly MeasureStatus[] OpenStatuses = [.. Enum.GetValues<MeasureStatus>().Where(StatusRules.IsOpen)];

    /// <summary>
    /// Every inspection the caller sees (of one round when given), in a fixed number of grouped queries whatever their
    /// number — an inspection office sees thousands: the inspections with their units' names, the problems' figures
    /// from the counters the round figures read (<see cref="GetRoundFigures.ByInspectionAsync"/>), and the overdue
    /// measures counted in SQL as <see cref="Labels.Overdue"/> says (open and past their deadline).
    /// </summary>
    public static async Task<List<InspectionSummary>> LoadAsync(RectifyDb db, DateOnly today, long? roundId = null, CancellationToken ct = default)
    {
        var q = db.Inspections.AsNoTracking();
        if (roundId is { } r) q = q.Where(i => i.RoundId == r);
        var inspections = await (from i in q
                                 from o in db.Organisations.AsNoTracking().Where(o => o.Id == i.UnitId).DefaultIfEmpty()
                                 orderby i.Id
                                 select new { i.Id, i.UnitId, Name = o == null ? "" : o.Name, i.Team, i.RoundId, i.FeedbackDate }).ToListAsync(ct);
        var rounds = await db.Rounds.AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var ids = q.Select(i => i.Id);
        var figures = await GetRoundFigures.ByInspectionAsync(db, q, ct);
        var overdue = await db.Measures.AsNoTracking()
            .Where(m => ids.Contains(m.InspectionId) && OpenStatuses.Contains(m.Status) && m.Deadline != null && m.Deadline < today)
            .GroupBy(m => m.InspectionId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return [.. inspections.Select(i => new InspectionSummary(i.Id, i.UnitId, i.Name, i.Team, i.RoundId is { } rid ? rounds.GetValueOrDefault(rid) : null,
            i.RoundId, i.FeedbackDate, figures.GetValueOrDefault(i.Id, CompletionFigures.Zero), overdue.GetValueOrDefault(i.Id)))];
    }

    /// <summary>Measures where the person is the owner (责任人) or the leader (责任领导).</summary>
    public static async Task<List<MyMeasure>> MineAsync(RectifyDb db, long personId, DateOnly today, CancellationToken ct = default)
    {
        var rows = await (from m in db.Measures.AsNoTracking()
                          join p in db.Problems.AsNoTracking() on m.ProblemId equals p.Id
                          join o in db.Organisations.AsNoTracking() on m.UnitId equals o.Id
                          where m.OwnerId == personId || m.LeaderId == personId
                          orderby m.Deadline, m.Id
                          select new { m.Id, m.ProblemId, m.InspectionId, Unit = o.Name, p.Title, m.Text, m.LeaderId, m.Deadline, m.Status })
            .Take(500).ToListAsync(ct);
        return [.. rows.Select(x => new MyMeasure(x.Id, x.ProblemId, x.InspectionId, x.Unit, x.Title, x.Text, x.LeaderId == personId, x.Deadline, x.Status,
            Labels.Overdue(x.Status, x.Deadline, today)))];
    }
}
