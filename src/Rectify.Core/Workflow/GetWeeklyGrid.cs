using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

/// <summary>State of one measure's weekly report.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportState>))]
public enum ReportState
{
    /// <summary>Submitted before the due time.</summary>
    [JsonStringEnumMemberName("submitted")] Submitted,
    /// <summary>Submitted after the due time.</summary>
    [JsonStringEnumMemberName("late")] Late,
    /// <summary>Due, not submitted, measure still open.</summary>
    [JsonStringEnumMemberName("missing")] Missing,
    /// <summary>Not due yet.</summary>
    [JsonStringEnumMemberName("pending")] Pending,
    /// <summary>Not owed: the measure is completed.</summary>
    [JsonStringEnumMemberName("not_owed")] NotOwed,
}

public sealed record WeekCell(DateOnly Week, ReportState State, int? Percent, DateTime? SubmittedAt);
public sealed record RemarkView(DateOnly Week, string Text, DateTime At);
public sealed record GridRow(long MeasureId, long ProblemId, string Text, long? OwnerId, string? OwnerName, long? DepartmentId, string? DepartmentName,
    MeasureStatus Status, IReadOnlyList<WeekCell> Weeks, int Missing, IReadOnlyList<RemarkView> Remarks);
public sealed record MissingCount(long? Id, string Name, int Missing);
public sealed record WeeklyGrid(long InspectionId, IReadOnlyList<DateOnly> Weeks, IReadOnlyList<DateTime> DueAt, IReadOnlyList<GridRow> Measures,
    int Missing, IReadOnlyList<MissingCount> MissingByPerson, IReadOnlyList<MissingCount> MissingByDepartment);

/// <summary>
/// 周督查: the grid of an inspection's measures × weeks (submitted / late / missing / pending) with the supervision
/// remarks, and the missing reports counted per person and per department. Weeks run from the feedback date (or
/// <c>from</c>) to the current week. Only open measures owe reports.
/// </summary>
public sealed class GetWeeklyGrid(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    public async Task<WeeklyGrid?> RunAsync(long inspectionId, DateOnly? from, CancellationToken ct = default)
    {
        var inspection = await db.Inspections.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inspectionId, ct);
        if (inspection is null) return null;
        var now = clock.GetUtcNow();
        var calendar = new WeekCalendar(settings);
        var today = calendar.Today(now);
        var start = from ?? inspection.FeedbackDate ?? today.AddDays(-7 * 7);
        var weeks = WeekCalendar.Weeks(start, today).ToList();
        var measures = await db.Measures.AsNoTracking().Where(m => m.InspectionId == inspectionId).OrderBy(m => m.ProblemId).ThenBy(m => m.Ordinal).ToListAsync(ct);
        var ids = measures.Select(m => m.Id).ToList();
        var first = weeks.FirstOrDefault();
        var reports = (await db.ProgressReports.AsNoTracking().Where(r => ids.Contains(r.MeasureId) && r.Week >= first).ToListAsync(ct))
            .GroupBy(r => (r.MeasureId, r.Week)).ToDictionary(g => g.Key, g => g.OrderBy(r => r.SubmittedAt).First());
        var remarks = (await db.SupervisionRemarks.AsNoTracking().Where(r => ids.Contains(r.MeasureId)).OrderBy(r => r.At).ToListAsync(ct)).ToLookup(r => r.MeasureId);
        var people = await db.People.AsNoTracking().Where(p => p.UnitId == inspection.UnitId).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var departments = await db.Organisations.AsNoTracking().Where(o => o.UnitId == inspection.UnitId).ToDictionaryAsync(o => o.Id, o => o.Name, ct);

        var rows = new List<GridRow>();
        foreach (var m in measures)
        {
            var cells = weeks.Select(w =>
            {
                var due = calendar.DueUtc(w);
                if (reports.TryGetValue((m.Id, w), out var r))
                    return new WeekCell(w, r.SubmittedAt <= due ? ReportState.Submitted : ReportState.Late, r.Percent, r.SubmittedAt);
                if (!StatusRules.IsOpen(m.Status)) return new WeekCell(w, ReportState.NotOwed, null, null);
                return new WeekCell(w, due <= now.UtcDateTime ? ReportState.Missing : ReportState.Pending, null, null);
            }).ToList();
            rows.Add(new GridRow(m.Id, m.ProblemId, m.Text, m.OwnerId, m.OwnerId is { } o ? people.GetValueOrDefault(o) : null,
                m.LeadDepartmentId, m.LeadDepartmentId is { } d ? departments.GetValueOrDefault(d) : null, m.Status, cells,
                cells.Count(c => c.State == ReportState.Missing), [.. remarks[m.Id].Select(x => new RemarkView(x.Week, x.Text, x.At))]));
        }
        var byPerson = rows.Where(r => r.Missing > 0).GroupBy(r => r.OwnerId)
            .Select(g => new MissingCount(g.Key, g.First().OwnerName ?? "未指定责任人", g.Sum(r => r.Missing))).OrderByDescending(x => x.Missing).ToList();
        var byDepartment = rows.Where(r => r.Missing > 0).GroupBy(r => r.DepartmentId)
            .Select(g => new MissingCount(g.Key, g.First().DepartmentName ?? "未指定责任部门", g.Sum(r => r.Missing))).OrderByDescending(x => x.Missing).ToList();
        return new WeeklyGrid(inspectionId, weeks, [.. weeks.Select(calendar.DueUtc)], rows, rows.Sum(r => r.Missing), byPerson, byDepartment);
    }
}
