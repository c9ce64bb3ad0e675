using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;

namespace Rectify.Core.Workflow;

/// <summary>
/// Creates the reminders that are due now (system scope): the week's report for 责任人 who have not reported yet,
/// approvals waiting for whoever holds the current step, measures that turned yellow (责任人, 责任领导) or red (also the
/// unit office). Each reminder's key is unique, so running this in several processes at once creates each one once.
/// </summary>
public sealed class ProduceReminders(RectifyDb db, TimeProvider clock, WorkflowSettings workflow, ReminderSettings settings)
{
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var calendar = new WeekCalendar(workflow);
        var week = calendar.WeekOf(now);
        var users = await db.Users.AsNoTracking().ToListAsync(ct);
        var byPerson = users.Where(u => u.PersonId != null).ToLookup(u => u.PersonId!.Value);
        var wanted = new List<Reminder>();
        void Add(IEnumerable<User> to, string kind, string subject, string period, string title, long? unitId, long? measureId)
        {
            foreach (var u in to.DistinctBy(u => u.Id))
                wanted.Add(new Reminder
                {
                    UserId = u.Id, Kind = kind, Subject = subject, Period = period, Key = Reminder.KeyOf(u.Id, kind, subject, period),
                    Title = title, UnitId = unitId, MeasureId = measureId, CreatedAt = now.UtcDateTime,
                });
        }

        var measures = await db.Measures.AsNoTracking().ToListAsync(ct);
        // The week's report, from ReportDueHours before it is due.
        if (now.UtcDateTime >= calendar.DueUtc(week).AddHours(-settings.ReportDueHours))
        {
            var reported = (await db.ProgressReports.AsNoTracking().Where(r => r.Week == week).Select(r => r.MeasureId).ToListAsync(ct)).ToHashSet();
            foreach (var m in measures.Where(m => StatusRules.IsOpen(m.Status) && m.OwnerId != null && !reported.Contains(m.Id)))
                Add(byPerson[m.OwnerId!.Value], "report_due", $"measure:{m.Id}", week.ToString("yyyy-MM-dd"),
                    $"请于{calendar.DueUtc(week).AddHours(8):M月d日 HH:mm}前提交周汇报：{Short(m.Text)}", m.UnitId, m.Id);
        }

        // Approvals waiting.
        var units = await db.Organisations.AsNoTracking().Where(o => o.Kind == OrganisationKind.Unit).ToDictionaryAsync(o => o.Id, o => o.ParentId, ct);
        var byId = measures.ToDictionary(m => m.Id);
        foreach (var r in await db.ClosureRequests.AsNoTracking().Where(r => r.State == RequestState.Pending).ToListAsync(ct))
        {
            if (!byId.TryGetValue(r.MeasureId, out var m) || r.CurrentStep is not { } step) continue;
            var to = step switch
            {
                ApprovalChain.Leader => m.LeaderId is { } l ? byPerson[l] : [],
                ApprovalChain.UnitAdmin => users.Where(u => u.Role == Role.UnitAdmin && u.UnitId == r.UnitId),
                ApprovalChain.Office => users.Where(u => u.Role == Role.Office && u.OfficeId != null && units.GetValueOrDefault(r.UnitId) == u.OfficeId),
                _ => [],
            };
            var what = r.Kind == RequestKind.Closure ? "销号申请" : "延期申请";
            Add(to.Where(u => u.Id != r.RequestedByUserId), "approval_waiting", $"request:{r.Id}", $"step:{r.Step}",
                $"{what}待您{ApprovalChain.Wording(step)}：{Short(m.Text)}", r.UnitId, m.Id);
        }

        // 长期坚持 re-checks (回头看) that are due: the unit office.
        var today = calendar.Today(now);
        foreach (var m in measures.Where(m => m.NextRecheck is { } d && d <= today))
            Add(users.Where(u => u.Role == Role.UnitAdmin && u.UnitId == m.UnitId), "recheck_due", $"measure:{m.Id}", m.NextRecheck!.Value.ToString("yyyy-MM-dd"),
                $"长期坚持事项到期复查（回头看）：{Short(m.Text)}", m.UnitId, m.Id);

        // Lights turning yellow or red.
        foreach (var l in (await new GetLights(db, clock, workflow).RunAsync(null, ct)).Measures.Where(l => l.Light is Light.Yellow or Light.Red))
        {
            var to = (l.OwnerId is { } o ? byPerson[o] : []).Concat(l.LeaderId is { } ld ? byPerson[ld] : []);
            if (l.Light == Light.Red) to = to.Concat(users.Where(u => u.Role == Role.UnitAdmin && u.UnitId == l.UnitId));
            var kind = l.Light == Light.Red ? "light_red" : "light_yellow";
            Add(to, kind, $"measure:{l.MeasureId}", l.Deadline?.ToString("yyyy-MM-dd") ?? week.ToString("yyyy-MM-dd"),
                $"{(l.Light == Light.Red ? "红灯：已超期未销号" : "黄灯：临近时限或周汇报未报")}：{Short(l.Text)}", l.UnitId, l.MeasureId);
        }

        var keys = wanted.Select(w => w.Key).ToList();
        var existing = (await db.Reminders.AsNoTracking().Where(r => keys.Contains(r.Key)).Select(r => r.Key).ToListAsync(ct)).ToHashSet();
        int created = 0;
        foreach (var r in wanted.DistinctBy(w => w.Key).Where(w => !existing.Contains(w.Key)))
        {
            db.Reminders.Add(r);
            try
            {
                await db.SaveChangesAsync(ct);
                created++;
            }
            catch (DbUpdateException)
            {
                // Another process created it first: the unique key keeps one.
                db.Entry(r).State = EntityState.Detached;
            }
        }
        return created;
    }

    static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>
/// Delivers unsent reminders through the outbox. Each one is claimed with a conditional UPDATE (SentAt null → now), so
/// with several processes exactly one sends it; a failed send releases the claim for the next run.
/// </summary>
public sealed class SendReminders(RectifyDb db, TimeProvider clock, IReminderSender sender)
{
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var pending = await db.Reminders.AsNoTracking().Where(r => r.SentAt == null).OrderBy(r => r.Id).Take(500).ToListAsync(ct);
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, ct);
        int sent = 0;
        foreach (var r in pending)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var claimed = await db.Reminders.Where(x => x.Id == r.Id && x.SentAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.SentAt, now), ct);
            if (claimed == 0) continue;
            var user = users.GetValueOrDefault(r.UserId);
            try
            {
                await sender.SendAsync(new ReminderMessage(r.Key, user?.DisplayName ?? user?.UserName ?? "?", user?.Email, r.Title), ct);
                sent++;
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                await db.Reminders.Where(x => x.Id == r.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SentAt, (DateTime?)null), CancellationToken.None);
            }
        }
        return sent;
    }
}
