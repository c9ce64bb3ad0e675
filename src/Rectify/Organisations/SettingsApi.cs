using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Organisations;

/// <summary>
/// The cycle and light settings an administrator may change. Every field is optional: null means "as configured"
/// (Rectify:Workflow / Rectify:Deadlines). The report day is 1–7 for Monday–Sunday, the time "HH:mm" (China time).
/// </summary>
public sealed record SettingValues(
    [property: Range(1, 7, ErrorMessage = "周汇报截止日须为 1–7（周一至周日）。")] int? ReportDueWeekday = null,
    [property: RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$", ErrorMessage = "周汇报截止时间须为 HH:mm，例如 17:00。")] string? ReportDueTime = null,
    [property: Range(1, 365, ErrorMessage = "绿灯天数须在 1–365 天之间。")] int? GreenDays = null,
    [property: Range(0, 365, ErrorMessage = "黄灯天数须在 0–365 天之间。")] int? YellowDays = null,
    bool? YellowForMissedReport = null,
    [property: Range(1, 365, ErrorMessage = "立行立改默认时限须在 1–365 天之间。")] int? ImmediateDeadlineDays = null,
    [property: Range(1, 24, ErrorMessage = "长期坚持复查周期须在 1–24 个月之间。")] int? LongTermRecheckMonths = null,
    [property: Range(1, 60, ErrorMessage = "佐证材料大小上限须在 1–60 MB 之间。")] int? MaxEvidenceMegabytes = null,
    [property: Range(1, 24, ErrorMessage = "整改方案时限须在 1–24 个月之间。")] int? PlanMonths = null,
    [property: Range(1, 24, ErrorMessage = "整改情况报告时限须在 1–24 个月之间。")] int? ReportMonths = null,
    [property: Range(1, 24, ErrorMessage = "集中整改期须在 1–24 个月之间。")] int? FocusedRectificationMonths = null,
    [property: Range(1, 36, ErrorMessage = "公开时限须在 1–36 个月之间。")] int? DisclosureMonths = null)
{
    public static SettingValues Of(WorkflowSettings w, DeadlineSettings d) => new(
        w.ReportDueDay == DayOfWeek.Sunday ? 7 : (int)w.ReportDueDay, w.ReportDueTime.ToString("HH\\:mm", CultureInfo.InvariantCulture),
        w.GreenDays, w.YellowDays, w.YellowForMissedReport, w.ImmediateDeadlineDays, w.LongTermRecheckMonths,
        (int)(w.MaxEvidenceBytes / 1024 / 1024), d.PlanMonths, d.ReportMonths, d.FocusedRectificationMonths, d.DisclosureMonths);

    public static SettingValues Of(StoredSettings? s) => s is null ? new() : new(
        s.ReportDueDay is { } day ? day == DayOfWeek.Sunday ? 7 : (int)day : null, s.ReportDueTime?.ToString("HH\\:mm", CultureInfo.InvariantCulture),
        s.GreenDays, s.YellowDays, s.YellowForMissedReport, s.ImmediateDeadlineDays, s.LongTermRecheckMonths,
        s.MaxEvidenceMegabytes, s.PlanMonths, s.ReportMonths, s.FocusedRectificationMonths, s.DisclosureMonths);

    /// <summary>A rule across fields, checked against the values that will be in force; (field, message) or null.</summary>
    public static (string Field, string Message)? Conflict(SettingValues effective) =>
        effective.YellowDays >= effective.GreenDays ? ("yellowDays", "黄灯天数须小于绿灯天数。")
        : effective.ReportMonths < effective.PlanMonths ? ("reportMonths", "整改情况报告时限不能早于整改方案时限。")
        : null;

    internal void CopyTo(StoredSettings s)
    {
        s.ReportDueDay = ReportDueWeekday is { } d ? (DayOfWeek)(d % 7) : null;
        s.ReportDueTime = ReportDueTime is { } t ? TimeOnly.ParseExact(t, "HH:mm", CultureInfo.InvariantCulture) : null;
        s.GreenDays = GreenDays; s.YellowDays = YellowDays; s.YellowForMissedReport = YellowForMissedReport;
        s.ImmediateDeadlineDays = ImmediateDeadlineDays; s.LongTermRecheckMonths = LongTermRecheckMonths;
        s.MaxEvidenceMegabytes = MaxEvidenceMegabytes; s.PlanMonths = PlanMonths; s.ReportMonths = ReportMonths;
        s.FocusedRectificationMonths = FocusedRectificationMonths; s.DisclosureMonths = DisclosureMonths;
    }
}

/// <summary>What is in force (<see cref="Effective"/>), what the administrator stored (<see cref="Stored"/>, null =
/// as configured), and the version to send back when saving (0 while nothing was ever stored).</summary>
public sealed record SettingsDto(SettingValues Effective, SettingValues Stored, int Version);

/// <summary>A broken rule: the camelCase field and the Chinese message.</summary>
public sealed record SettingsRefusal(string Field, string Message);

public sealed record SettingsRequest(
    [Required(ErrorMessage = "必须给出设置 stored（不设的项填 null，即按配置文件）。")] SettingValues? Stored,
    [Required(ErrorMessage = "必须提供读取时的版本号 version。")] int? Version);

/// <summary>Cycle and light settings: read by every signed-in user, changed by the administrator only.</summary>
public static class SettingsApi
{
    public static void MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("系统设置");
        api.MapGet("/settings", Get).Produces<SettingsDto>().WithSummary("周期与预警设置：生效值、管理员保存的值（未保存的项按配置文件）与版本号");
        api.MapPut("/settings", Put).Produces<SettingsDto>().WithSummary("修改周期与预警设置（仅系统管理员；立即生效，记入审计）");
    }

    static async Task<IResult> Get(RectifyDb db, IOptionsSnapshot<WorkflowSettings> w, IOptionsSnapshot<DeadlineSettings> d, CancellationToken ct)
    {
        var row = await db.StoredSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == StoredSettings.RowId, ct);
        return TypedResults.Ok(new SettingsDto(SettingValues.Of(w.Value, d.Value), SettingValues.Of(row), row?.Version ?? 0));
    }

    static async Task<IResult> Put(SettingsRequest req, RectifyDb db, StoredSettingsConfiguration configuration,
        IOptionsMonitor<WorkflowSettings> w, IOptionsMonitor<DeadlineSettings> d, CancellationToken ct)
    {
        if (db.Scope.Role != Role.Admin && !db.Scope.All) return Guard.Forbidden("只有系统管理员可以修改周期与预警设置。");
        var (row, refused) = await SaveAsync(db, configuration, req.Stored!, req.Version!.Value, ct);
        if (refused is not null) return Guard.Invalid(refused.Field, refused.Message);
        return TypedResults.Ok(new SettingsDto(SettingValues.Of(w.CurrentValue, d.CurrentValue), SettingValues.Of(row), row!.Version));
    }

    /// <summary>Checks and stores the values (one audited, versioned row) and applies them on this server at once; used
    /// by the API and the admin page. A broken rule is returned (nothing written); a stale version throws
    /// <see cref="ConcurrencyConflictException"/> (409).</summary>
    public static async Task<(StoredSettings? Row, SettingsRefusal? Refusal)> SaveAsync(RectifyDb db, StoredSettingsConfiguration configuration,
        SettingValues values, int version, CancellationToken ct = default)
    {
        if (Validate(values, configuration) is { } bad) return (null, new(bad.Field, bad.Message));
        var row = await db.StoredSettings.FirstOrDefaultAsync(s => s.Id == StoredSettings.RowId, ct);
        if (row is null)
        {
            if (version != 0) throw new ConcurrencyConflictException(nameof(StoredSettings), StoredSettings.RowId, 0);
            row = new StoredSettings { Id = StoredSettings.RowId };
            db.StoredSettings.Add(row);
        }
        else db.ExpectVersion(row, version);
        values.CopyTo(row);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) when (db.Entry(row).State == EntityState.Added)
        {
            // Another administrator stored the first row at the same moment.
            throw new ConcurrencyConflictException(nameof(StoredSettings), StoredSettings.RowId, 1);
        }
        configuration.Set(row);
        return (row, null);
    }

    /// <summary>The first broken rule as (camelCase field, Chinese message), or null: ranges, then rules across fields
    /// against the values that would be in force (a field left null keeps its configured value).</summary>
    public static (string Field, string Message)? Validate(SettingValues values, StoredSettingsConfiguration configuration)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(values, new ValidationContext(values), results, validateAllProperties: true))
        {
            var r = results[0];
            var name = r.MemberNames.FirstOrDefault() ?? "stored";
            return (char.ToLowerInvariant(name[0]) + name[1..], r.ErrorMessage ?? "设置值无效。");
        }
        var effective = configuration.WouldBe(values);
        return SettingValues.Conflict(effective);
    }
}
