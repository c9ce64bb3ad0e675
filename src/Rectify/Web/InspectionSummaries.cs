using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Web;

public sealed record InspectionSummary(long Id, long UnitId, string UnitName, string? Team, string? RoundName, long? RoundId,
    DateOnly? FeedbackDate, LedgerFigures Figures, int OverdueMeasures);

public sealed record MyMeasure(long Id, long ProblemId, long InspectionId, string UnitName, string ProblemTitle, string Text, bool AsLeader,
    DateOnly? Deadline, MeasureStatus Status, bool Overdue);

/// <summary>The lists of the landing page and the dashboards, scoped by the caller's context.</summary>
public static class InspectionSummaries
{
    public static async Task<List<InspectionSummary>> LoadAsync(RectifyDb db, DateOnly today, long? roundId = null, CancellationToken ct = default)
    {
        var q = db.Inspections.AsNoTracking();
        if (roundId is { } r) q = q.Where(i => i.RoundId == r);
        var inspections = await q.OrderBy(i => i.Id).Take(500).ToListAsync(ct);
        var rounds = await db.Rounds.AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var result = new List<InspectionSummary>();
        foreach (var i in inspections)
        {
            var ledger = await GetLedger.RunAsync(db, i.Id, new DeadlineSettings(), ct);
            if (ledger is null) continue;
            var overdue = ledger.Categories.SelectMany(c => c.Problems).SelectMany(p => p.Measures).Count(m => Labels.Overdue(m.Status, m.Deadline, today));
            result.Add(new InspectionSummary(i.Id, i.UnitId, ledger.UnitName, i.Team, i.RoundId is { } rid ? rounds.GetValueOrDefault(rid) : null, i.RoundId,
                i.FeedbackDate, ledger.Figures, overdue));
        }
        return result;
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
