using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Core.Documents;

/// <summary>One measure as the bulletin names it: problem, measure, 责任人, 责任部门, deadline, status at the week's end.</summary>
public sealed record BulletinItem(long MeasureId, string Problem, string Text, string? Owner, string? Department, DateOnly? Deadline, MeasureStatus Status);

/// <summary>A status change of a measure during the week, read from the audit trail.</summary>
public sealed record BulletinChange(BulletinItem Item, MeasureStatus From, MeasureStatus To, DateTime At);

/// <summary>A weekly report owed for the week: missing (never submitted) or late (submitted after the due time).</summary>
public sealed record BulletinReport(BulletinItem Item, ReportState State);

public sealed record BulletinRemark(BulletinItem Item, string Text, DateTime At);

/// <summary>
/// The week's figures. Problems, completed and rate are StatusRules' counts of the problems' statuses at the week's end.
/// </summary>
public sealed record BulletinFigures(CompletionFigures Problems, int Measures, int MeasuresCompleted, int CompletedThisWeek, int ClosedThisWeek,
    int Overdue, int NewlyOverdue, int MissingReports, int LateReports);

/// <summary>第N周整改进展: everything the weekly bulletin says, as of the end of one week (China time).</summary>
public sealed record Bulletin(long InspectionId, string UnitName, int WeekNumber, DateOnly Week, DateOnly WeekEnd, DateOnly IssuedOn,
    BulletinFigures Figures, IReadOnlyList<BulletinChange> Changes, IReadOnlyList<BulletinItem> Closed, IReadOnlyList<BulletinItem> Overdue,
    IReadOnlyList<BulletinReport> Reports, IReadOnlyList<MissingCount> MissingByDepartment, IReadOnlyList<MissingCount> MissingByPerson,
    IReadOnlyList<BulletinRemark> Remarks)
{
    public string Title => $"关于{UnitName}第{WeekNumber}周整改进展情况的通报";
}

/// <summary>
/// 周汇报通报: gathers the bulletin of one inspection for one week (default: the last completed week). Statuses at the
/// week's start and end are rebuilt from the audit trail (before/after of Measure rows), deadlines from the deadline
/// changes, so a bulletin of an earlier week says what was true then. Every count comes from <see cref="StatusRules"/>.
/// </summary>
public sealed class WeeklyBulletin(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    sealed record StatusEvent(DateTime At, string Action, MeasureStatus? Before, MeasureStatus? After);

    public async Task<Outcome<Bulletin>> RunAsync(long inspectionId, DateOnly? week, CancellationToken ct = default)
    {
        var inspection = await db.Inspections.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inspectionId, ct);
        if (inspection is null) return new Refusal(404, "检查不存在或无权访问。");
        var calendar = new WeekCalendar(settings);
        var zone = settings.Zone();
        var now = clock.GetUtcNow();
        var today = calendar.Today(now);
        var monday = week is { } w ? WeekCalendar.WeekOf(w) : WeekCalendar.WeekOf(today).AddDays(-7);
        if (monday > WeekCalendar.WeekOf(today)) return new Refusal(400, "不能生成未来周次的通报。", "week");
        var firstWeek = WeekCalendar.WeekOf(inspection.FeedbackDate ?? monday);
        if (monday < firstWeek) return new Refusal(400, $"该周早于反馈日期 {inspection.FeedbackDate:yyyy-MM-dd}，没有整改进展可通报。", "week");
        var next = monday.AddDays(7);
        DateTime Utc(DateOnly d) => TimeZoneInfo.ConvertTimeToUtc(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified), zone);
        var start = Utc(monday);
        var end = Utc(next);
        var due = calendar.DueUtc(monday);

        var unitName = await db.Organisations.AsNoTracking().Where(o => o.Id == inspection.UnitId).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? "";
        var measures = await db.Measures.AsNoTracking().Where(m => m.InspectionId == inspectionId).OrderBy(m => m.ProblemId).ThenBy(m => m.Ordinal).ToListAsync(ct);
        var problems = await db.Problems.AsNoTracking().Where(p => p.InspectionId == inspectionId).OrderBy(p => p.Ordinal).ToListAsync(ct);
        var ids = measures.Select(m => m.Id).ToList();
        var people = await db.People.AsNoTracking().Where(p => p.UnitId == inspection.UnitId).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var departments = await db.Organisations.AsNoTracking().Where(o => o.UnitId == inspection.UnitId).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var audit = (await db.AuditEvents.AsNoTracking()
                .Where(a => a.EntityType == nameof(Measure) && a.EntityId != null && ids.Contains(a.EntityId.Value) && a.UnitId == inspection.UnitId)
                .OrderBy(a => a.Sequence).ToListAsync(ct))
            .Select(a => (Id: a.EntityId!.Value, Event: new StatusEvent(a.At, a.Action, StatusOf(a.Before), StatusOf(a.After))))
            .Where(x => x.Event.Before is not null || x.Event.After is not null)
            .ToLookup(x => x.Id, x => x.Event);
        var deadlineChanges = (await db.DeadlineChanges.AsNoTracking().Where(d => ids.Contains(d.MeasureId)).OrderBy(d => d.At).ToListAsync(ct)).ToLookup(d => d.MeasureId);
        var reports = (await db.ProgressReports.AsNoTracking().Where(r => ids.Contains(r.MeasureId) && r.Week == monday).ToListAsync(ct))
            .GroupBy(r => r.MeasureId).ToDictionary(g => g.Key, g => g.Min(r => r.SubmittedAt));
        var remarks = await db.SupervisionRemarks.AsNoTracking().Where(r => ids.Contains(r.MeasureId) && r.Week == monday).OrderBy(r => r.At).ToListAsync(ct);
        var problemTitles = problems.ToDictionary(p => p.Id, p => p.Title);

        // Status of a measure at an instant; null when it did not exist yet.
        MeasureStatus? StatusAt(Measure m, DateTime at)
        {
            var events = audit[m.Id].ToList();
            if (events.LastOrDefault(e => e.At <= at && e.After is not null) is { } before) return before.After;
            if (events.FirstOrDefault(e => e.At > at) is { } after) return after.Action == "created" ? null : after.Before;
            return m.Status;
        }
        DateOnly? DeadlineAt(Measure m, DateTime at)
        {
            var later = deadlineChanges[m.Id].FirstOrDefault(d => d.At > at);
            var deadline = later is not null ? later.OldDeadline : m.Deadline;
            // 立行立改 without a deadline of its own: the default short deadline after feedback (as GetLights).
            return deadline ?? (m.Mode == RectificationMode.Immediate && inspection.FeedbackDate is { } fb ? fb.AddDays(settings.ImmediateDeadlineDays) : null);
        }
        BulletinItem Item(Measure m, MeasureStatus status, DateOnly? deadline) => new(m.Id, problemTitles.GetValueOrDefault(m.ProblemId) ?? "", m.Text,
            m.OwnerId is { } o ? people.GetValueOrDefault(o) : null, m.LeadDepartmentId is { } d ? departments.GetValueOrDefault(d) : null, deadline, status);

        var atEnd = measures.Select(m => (M: m, Status: StatusAt(m, end), Deadline: DeadlineAt(m, end))).Where(x => x.Status is not null)
            .Select(x => (x.M, Status: x.Status!.Value, x.Deadline, Item: Item(x.M, x.Status!.Value, x.Deadline))).ToList();

        var changes = new List<BulletinChange>();
        foreach (var x in atEnd)
            foreach (var e in audit[x.M.Id].Where(e => e.At >= start && e.At < end && e.Before is { } b && e.After is { } a && b != a))
                changes.Add(new BulletinChange(x.Item, e.Before!.Value, e.After!.Value, e.At));
        changes = [.. changes.OrderBy(c => c.At)];
        var closed = atEnd.Where(x => StatusRules.IsClosed(x.Status) && changes.Any(c => c.Item.MeasureId == x.M.Id && StatusRules.IsClosed(c.To) && !StatusRules.IsClosed(c.From)))
            .Select(x => x.Item).ToList();
        var completedThisWeek = atEnd.Count(x => StatusRules.IsCompleted(x.Status) && StatusAt(x.M, start) is { } s && !StatusRules.IsCompleted(s));

        // Overdue at the week's end: still open and the deadline passed by Sunday (today > deadline on the next Monday).
        var overdue = atEnd.Where(x => StatusRules.IsOpen(x.Status) && x.Deadline is { } d && d < next).ToList();
        var newlyOverdue = overdue.Count(x => x.Deadline >= monday);

        // Reports owed for the week: measures open when the report fell due, once the feedback had been given.
        var owed = atEnd.Where(x => StatusAt(x.M, due) is { } s && StatusRules.IsOpen(s) && due <= now.UtcDateTime).ToList();
        var reportStates = owed.Select(x => reports.TryGetValue(x.M.Id, out var at)
                ? new BulletinReport(x.Item, at <= due ? ReportState.Submitted : ReportState.Late)
                : new BulletinReport(x.Item, ReportState.Missing))
            .Where(r => r.State != ReportState.Submitted).ToList();
        var missing = reportStates.Where(r => r.State == ReportState.Missing).ToList();
        var byDepartment = missing.GroupBy(r => r.Item.Department).Select(g => new MissingCount(null, g.Key ?? "未指定责任部门", g.Count()))
            .OrderByDescending(c => c.Missing).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        var byPerson = missing.GroupBy(r => r.Item.Owner).Select(g => new MissingCount(null, g.Key ?? "未指定责任人", g.Count()))
            .OrderByDescending(c => c.Missing).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        // Keep the ids where a name maps to one id.
        byDepartment = [.. byDepartment.Select(c => c with { Id = departments.Where(d => d.Value == c.Name).Select(d => (long?)d.Key).SingleOrDefault() })];
        byPerson = [.. byPerson.Select(c => c with { Id = people.Where(p => p.Value == c.Name).Select(p => (long?)p.Key).SingleOrDefault() })];

        var statusByMeasure = atEnd.ToDictionary(x => x.M.Id, x => x.Status);
        var problemStatuses = problems.Select(p =>
        {
            var own = measures.Where(m => m.ProblemId == p.Id && statusByMeasure.ContainsKey(m.Id)).Select(m => statusByMeasure[m.Id]).ToList();
            return StatusRules.ProblemStatus(p.StatedStatus, own);
        });
        var figures = new BulletinFigures(StatusRules.Count(problemStatuses), atEnd.Count, atEnd.Count(x => StatusRules.IsCompleted(x.Status)),
            completedThisWeek, closed.Count, overdue.Count, newlyOverdue, missing.Count, reportStates.Count(r => r.State == ReportState.Late));
        var items = atEnd.ToDictionary(x => x.M.Id, x => x.Item);
        return new Bulletin(inspectionId, unitName, (monday.DayNumber - firstWeek.DayNumber) / 7 + 1, monday, next.AddDays(-1), today, figures,
            changes, closed, [.. overdue.Select(x => x.Item)], reportStates, byDepartment, byPerson,
            [.. remarks.Where(r => items.ContainsKey(r.MeasureId)).Select(r => new BulletinRemark(items[r.MeasureId], r.Text, r.At))]);
    }

    static MeasureStatus? StatusOf(string? json)
    {
        if (json is null) return null;
        using var doc = JsonDocument.Parse(json);
        if (!doc.RootElement.TryGetProperty(nameof(Measure.Status), out var s) || s.ValueKind != JsonValueKind.String) return null;
        return JsonSerializer.Deserialize<MeasureStatus>(s.GetRawText());
    }
}
