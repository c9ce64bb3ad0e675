using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
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
    static readonly Refusal NotOwner = new(403, "只有该措施的责任人或本单位整改办可以提交周汇报。");
    static readonly Refusal FutureWeek = new(400, "不能提交未来周次的周汇报。", "week");
    static readonly Refusal BadPercent = new(400, "完成百分比须在 0–100 之间。", "percent");
    internal static readonly Refusal BadEvidence = new(400, "附件必须是本措施已上传的佐证材料。", "evidenceIds");
    static readonly Refusal KeyReused = new(409, "该幂等键已用于另一份提交，请换一个 Idempotency-Key。", "idempotencyKey");

    public async Task<Outcome<ProgressReport>> RunAsync(long measureId, WeeklyReportInput input, CancellationToken ct = default)
    {
        var m = await db.Measures.FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return WorkflowAccess.NotFound("整改措施");
        var key = KeyOf(input);
        if (key is not null && await ByKeyAsync(key, ct) is { } earlier) return Same(earlier, m, db.Scope.UserId);

        var user = await WorkflowAccess.CallerAsync(db, ct);
        var now = clock.GetUtcNow();
        var (week, future) = WeekOf(settings, input, now);
        if (Check(user, m, future, input) is { } refused)
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "report", refused, ct);
        var ids = input.EvidenceIds ?? [];
        var files = ids.Length == 0 ? [] : await db.EvidenceFiles.Where(f => ids.Contains(f.Id) && f.MeasureId == m.Id).ToListAsync(ct);
        if (!AllEvidenceFound(files, input))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "report", BadEvidence, ct);

        var report = Add(db, m, user!.Id, week, input, key, now.UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (key is not null)
        {
            // Another request with the same key won the race: answer with its report.
            db.ChangeTracker.Clear();
            if (await ByKeyAsync(key, ct) is { } stored) return Same(stored, m, db.Scope.UserId);
            throw;
        }
        foreach (var f in files) f.ProgressReportId = report.Id;
        if (files.Count > 0) await db.SaveChangesAsync(ct);
        return report;
    }

    Task<ProgressReport?> ByKeyAsync(string key, CancellationToken ct) =>
        db.ProgressReports.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.IdempotencyKey == key, ct);

    /// <summary>The idempotency key without surrounding blanks; null when none was sent.</summary>
    internal static string? KeyOf(WeeklyReportInput input) =>
        string.IsNullOrWhiteSpace(input.IdempotencyKey) ? null : input.IdempotencyKey.Trim();

    /// <summary>The week reported on (its Monday; this week when none is given) and whether it lies in the future.</summary>
    internal static (DateOnly Week, bool Future) WeekOf(WorkflowSettings settings, WeeklyReportInput input, DateTimeOffset now)
    {
        var calendar = new WeekCalendar(settings);
        var week = WeekCalendar.WeekOf(input.Week ?? calendar.Today(now));
        return (week, week > calendar.WeekOf(now));
    }

    /// <summary>The checks once the measure is known, in the order they are answered; null when the report may be stored (evidence aside).</summary>
    internal static Refusal? Check(User? user, Measure m, bool futureWeek, WeeklyReportInput input) =>
        user is null || !WorkflowAccess.MayActFor(user, m) ? NotOwner
        : futureWeek ? FutureWeek
        : input.Percent is < 0 or > 100 ? BadPercent
        : null;

    /// <summary>Every evidence file named is one of the measure's (<paramref name="files"/>: those found among them).</summary>
    internal static bool AllEvidenceFound(IReadOnlyCollection<EvidenceFile> files, WeeklyReportInput input) =>
        files.Count == (input.EvidenceIds ?? []).Distinct().Count();

    /// <summary>
    /// Adds the report to the context; 未开始 becomes 整改中. The measure's progress line is the newest report, read
    /// when shown (<see cref="MeasureProgress"/>): the measure row itself changes only with its status.
    /// </summary>
    internal static ProgressReport Add(RectifyDb db, Measure m, long authorUserId, DateOnly week, WeeklyReportInput input, string? key, DateTime now)
    {
        var report = new ProgressReport
        {
            MeasureId = m.Id, UnitId = m.UnitId, Week = week, AuthorUserId = authorUserId, Done = input.Done.Trim(), Percent = input.Percent,
            NextStep = input.NextStep?.Trim(), SubmittedAt = now, IdempotencyKey = key,
        };
        db.ProgressReports.Add(report);
        if (m.Status == MeasureStatus.NotStarted) m.ChangeStatus(MeasureStatus.InProgress);
        return report;
    }

    /// <summary>A key seen before: the same submission (same measure, same author) gets the first report, else 409.</summary>
    internal static Outcome<ProgressReport> Same(ProgressReport earlier, Measure m, long? userId) =>
        earlier.MeasureId == m.Id && earlier.AuthorUserId == userId
            ? earlier
            : KeyReused;
}
