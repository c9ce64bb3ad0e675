using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

public sealed record MeasureLight(long MeasureId, long ProblemId, long InspectionId, long UnitId, string Text, MeasureStatus Status, RectificationMode Mode,
    DateOnly? Deadline, int? DaysLeft, bool MissedLastReport, DateOnly? NextRecheck, Light Light,
    long? OwnerId, string? OwnerName, long? LeaderId, string? LeaderName, long? DepartmentId, string? DepartmentName);
public sealed record GroupLight(long? Id, string Name, Light Light, int Red, int Yellow, int Green);
public sealed record LightsView(DateOnly Today, IReadOnlyList<MeasureLight> Measures, IReadOnlyList<GroupLight> Problems,
    IReadOnlyList<GroupLight> Departments, IReadOnlyList<GroupLight> Units);

/// <summary>
/// 红黄绿灯 for every measure the caller can see (optionally one inspection), rolled up to problems, departments and
/// units (each shows its worst light). Computed from deadlines and missing weekly reports with <see cref="WarningLights"/>.
/// </summary>
public sealed class GetLights(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    public async Task<LightsView> RunAsync(long? inspectionId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var calendar = new WeekCalendar(settings);
        var today = calendar.Today(now);
        var lastDue = calendar.LastDueWeek(now);
        var q = db.Measures.AsNoTracking();
        if (inspectionId is { } iid) q = q.Where(m => m.InspectionId == iid);
        var measures = await q.OrderBy(m => m.UnitId).ThenBy(m => m.ProblemId).ThenBy(m => m.Ordinal).ToListAsync(ct);
        var ids = measures.Select(m => m.Id).ToList();
        var inspectionIds = measures.Select(m => m.InspectionId).Distinct().ToList();
        var feedback = await db.Inspections.AsNoTracking().Where(i => inspectionIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.FeedbackDate, ct);
        var reported = (await db.ProgressReports.AsNoTracking().Where(r => ids.Contains(r.MeasureId) && r.Week == lastDue).Select(r => r.MeasureId).ToListAsync(ct)).ToHashSet();
        var unitIds = measures.Select(m => m.UnitId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => unitIds.Contains(p.UnitId)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var orgs = await db.Organisations.AsNoTracking().Where(o => unitIds.Contains(o.Id) || (o.UnitId != null && unitIds.Contains(o.UnitId.Value))).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var problemIds = measures.Select(m => m.ProblemId).Distinct().ToList();
        var problems = await db.Problems.AsNoTracking().Where(p => problemIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Title, ct);

        string? Name(Dictionary<long, string> d, long? id) => id is { } k ? d.GetValueOrDefault(k) : null;
        var lights = measures.Select(m =>
        {
            // A report is owed for the last due week only once the inspection's feedback had been given by then.
            var owed = feedback.GetValueOrDefault(m.InspectionId) is not { } f || WeekCalendar.WeekOf(f) <= lastDue;
            var missed = owed && !reported.Contains(m.Id);
            // 立行立改 without a deadline of its own: the default short deadline after feedback.
            var deadline = m.Deadline ?? (m.Mode == RectificationMode.Immediate && feedback.GetValueOrDefault(m.InspectionId) is { } fb
                ? fb.AddDays(settings.ImmediateDeadlineDays) : null);
            var light = WarningLights.ForMeasure(m.Status, m.Mode, deadline, today, missed, settings);
            return new MeasureLight(m.Id, m.ProblemId, m.InspectionId, m.UnitId, m.Text, m.Status, m.Mode, deadline,
                deadline is { } d ? d.DayNumber - today.DayNumber : null, missed && StatusRules.IsOpen(m.Status), m.NextRecheck, light,
                m.OwnerId, Name(people, m.OwnerId), m.LeaderId, Name(people, m.LeaderId), m.LeadDepartmentId, Name(orgs, m.LeadDepartmentId));
        }).ToList();

        static GroupLight Group(long? id, string name, IEnumerable<MeasureLight> ms)
        {
            var list = ms.ToList();
            return new GroupLight(id, name, WarningLights.Worst(list.Select(x => x.Light)), list.Count(x => x.Light == Light.Red),
                list.Count(x => x.Light == Light.Yellow), list.Count(x => x.Light == Light.Green));
        }
        return new LightsView(today, lights,
            [.. lights.GroupBy(l => l.ProblemId).Select(g => Group(g.Key, problems.GetValueOrDefault(g.Key) ?? "", g))],
            [.. lights.GroupBy(l => l.DepartmentId).Select(g => Group(g.Key, g.First().DepartmentName ?? "未指定责任部门", g))],
            [.. lights.GroupBy(l => l.UnitId).Select(g => Group(g.Key, orgs.GetValueOrDefault(g.Key) ?? "", g))]);
    }
}
