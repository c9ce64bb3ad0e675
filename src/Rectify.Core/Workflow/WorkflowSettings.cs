namespace Rectify.Core.Workflow;

/// <summary>
/// Settings of the rectification cycle, bound under "Rectify:Workflow". Defaults follow domain.md §1 and §4:
/// weekly reports due Friday 17:00 China time; green while ≥ 20 days remain, yellow at ≤ 10 days or after a missed
/// weekly report, red once overdue and not closed.
/// </summary>
public sealed record WorkflowSettings
{
    /// <summary>IANA time zone the week is counted in.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";
    /// <summary>Day of the week the weekly report (周汇报) is due.</summary>
    public DayOfWeek ReportDueDay { get; init; } = DayOfWeek.Friday;
    /// <summary>Local time of day the weekly report is due.</summary>
    public TimeOnly ReportDueTime { get; init; } = new(17, 0);
    /// <summary>Green while at least this many days remain (informational: anything not yellow or red is green).</summary>
    public int GreenDays { get; init; } = 20;
    /// <summary>Yellow once this many days or fewer remain.</summary>
    public int YellowDays { get; init; } = 10;
    /// <summary>Yellow also when the last weekly report due is missing.</summary>
    public bool YellowForMissedReport { get; init; } = true;
    /// <summary>Default deadline of a 立行立改 measure: days after feedback.</summary>
    public int ImmediateDeadlineDays { get; init; } = 15;
    /// <summary>Re-check interval of a 长期坚持 measure once rectified (quarterly).</summary>
    public int LongTermRecheckMonths { get; init; } = 3;
    /// <summary>Largest accepted evidence file.</summary>
    public long MaxEvidenceBytes { get; init; } = 20 * 1024 * 1024;
    /// <summary>Approval chain used when a unit has none of its own: 责任领导 → unit office → 巡察办.</summary>
    public string[] DefaultApprovalChain { get; init; } = [ApprovalChain.Leader, ApprovalChain.UnitAdmin, ApprovalChain.Office];
    /// <summary>Approval chains per unit id (e.g. "12": ["leader", "unit_admin", "unit_admin", "office"]).</summary>
    public Dictionary<string, string[]> UnitApprovalChains { get; init; } = [];

    /// <summary>The chain of a unit: its own (stored on the unit), else the configured one for its id, else the default.</summary>
    public string[] ChainFor(long unitId, string? stored = null) =>
        stored is { Length: > 0 } ? stored.Split(',', StringSplitOptions.RemoveEmptyEntries) :
        UnitApprovalChains.TryGetValue(unitId.ToString(System.Globalization.CultureInfo.InvariantCulture), out var c) && c.Length > 0 ? c : DefaultApprovalChain;

    public TimeZoneInfo Zone()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(TimeZone); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8"); }
    }
}

/// <summary>The step kinds an approval chain is made of.</summary>
public static class ApprovalChain
{
    /// <summary>责任领导: the measure's leader (User.PersonId == Measure.LeaderId).</summary>
    public const string Leader = "leader";
    /// <summary>The unit's rectification office (unit_admin of the measure's unit).</summary>
    public const string UnitAdmin = "unit_admin";
    /// <summary>巡察办: an office user supervising the unit.</summary>
    public const string Office = "office";

    public static string Wording(string step) => step switch
    {
        Leader => "责任领导审核",
        UnitAdmin => "单位整改办验收",
        Office => "巡察办核验",
        _ => step,
    };
}
