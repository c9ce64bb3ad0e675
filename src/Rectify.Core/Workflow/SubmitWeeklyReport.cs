using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

public sealed record WeeklyReportInput(string Done, int Percent, string? NextStep, DateOnly? Week, long[]? EvidenceIds, string? IdempotencyKey);

/// <summary>
/// 周汇报: the measure's 责任人 (or the unit office) reports on one week: what was done, percent complete, next step,
/// evidence already uploaded. The same idempotency key returns the report stored the first time. The API's submissions
/// go through <see cref="ReportWriter"/> (group commit), which makes the same checks for a whole batch at once.
/// </summary>
public sealed class SubmitWeeklyReport(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    internal static readonly Refusal NotOwner = new(403, "只有该措施的责任人或本单位整改办可以提交周汇报。");
    internal static readonly Refusal FutureWeek = new(400, "不能提交未来周次的周汇报。", "week");
    internal static readonly Refusal BadPercent = new(400, "完成百分比须在 0–100 之间。", "percent");
    internal static readonly Refusal BadEvidence = new(400, "附件必须是本措施已上传的佐证材料。", "evidenceIds");
    internal static readonly Refusal KeyReused = new(409, "该幂等键已用于另一份提交，请换一个 Idempotency-Key。", "idempotencyKey");

    public async Task<Outcome<ProgressReport>> RunAsync(long measureId, WeeklyReportInput input, CancellationToken ct = default)
    {
        var m = await db.Measures.FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return WorkflowAccess.NotFound("整改措施");
        var key = string.IsNullOrWhiteSpace(input.IdempotencyKey) ? null : input.IdempotencyKey.Trim();
        if (key is not null && await ByKeyAsync(key, ct) is { } earlier) return Same(earlier, m);

        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || !WorkflowAccess.MayActFor(user, m))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "report",
                NotOwner, ct);
        var now = clock.GetUtcNow();
        var calendar = new WeekCalendar(settings);
        var week = WeekCalendar.WeekOf(input.Week ?? calendar.Today(now));
        if (week > calendar.WeekOf(now))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "report", FutureWeek, ct);
        if (input.Percent is < 0 or > 100)
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "report", BadPercent, ct);
        var ids = input.EvidenceIds ?? [];
        var files = ids.Length == 0 ? [] : await db.EvidenceFiles.Where(f => ids.Contains(f.Id) && f.MeasureId == m.Id).ToListAsync(ct);
        if (files.Count != ids.Distinct().Count())
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "report", BadEvidence, ct);

        var report = new ProgressReport
        {
            MeasureId = m.Id, UnitId = m.UnitId, Week = week, AuthorUserId = user.Id, Done = input.Done.Trim(), Percent = input.Percent,
            NextStep = input.NextStep?.Trim(), SubmittedAt = now.UtcDateTime, IdempotencyKey = key,
        };
        db.ProgressReports.Add(report);
        m.Progress = $"{week:yyyy-MM-dd}周：{report.Done}";
        if (m.Status == MeasureStatus.NotStarted) m.ChangeStatus(MeasureStatus.InProgress);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (key is not null)
        {
            // Another request with the same key won the race: answer with its report.
            db.ChangeTracker.Clear();
            if (await ByKeyAsync(key, ct) is { } stored) return Same(stored, m);
            throw;
        }
        foreach (var f in files) f.ProgressReportId = report.Id;
        if (files.Count > 0) await db.SaveChangesAsync(ct);
        return report;
    }

    Task<ProgressReport?> ByKeyAsync(string key, CancellationToken ct) =>
        db.ProgressReports.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.IdempotencyKey == key, ct);

    Outcome<ProgressReport> Same(ProgressReport earlier, Measure m) =>
        earlier.MeasureId == m.Id && earlier.AuthorUserId == db.Scope.UserId
            ? earlier
            : KeyReused;
}
