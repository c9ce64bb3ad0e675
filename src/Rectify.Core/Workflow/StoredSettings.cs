using System.Globalization;
using Rectify.Core.Data;

namespace Rectify.Core.Workflow;

/// <summary>
/// The one row (Id 1) of cycle and light settings the administrator changed on /admin. A null column means "as
/// configured": configuration (Rectify:Workflow, Rectify:Deadlines) is the default, a stored value overrides it. Saved
/// through <see cref="RectifyDb"/>, so every change is versioned and in the audit trail.
/// </summary>
public sealed class StoredSettings : Entity
{
    public const long RowId = 1;

    public DayOfWeek? ReportDueDay { get; set; }
    public TimeOnly? ReportDueTime { get; set; }
    public int? GreenDays { get; set; }
    public int? YellowDays { get; set; }
    public bool? YellowForMissedReport { get; set; }
    public int? ImmediateDeadlineDays { get; set; }
    public int? LongTermRecheckMonths { get; set; }
    public int? MaxEvidenceMegabytes { get; set; }
    public int? PlanMonths { get; set; }
    public int? ReportMonths { get; set; }
    public int? FocusedRectificationMonths { get; set; }
    public int? DisclosureMonths { get; set; }

    /// <summary>The stored values as configuration keys (only the columns that are set).</summary>
    public Dictionary<string, string?> ToConfiguration()
    {
        var c = CultureInfo.InvariantCulture;
        var d = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Put(string key, string? value) { if (value is not null) d[key] = value; }
        const string W = "Rectify:Workflow:", D = "Rectify:Deadlines:";
        Put(W + "ReportDueDay", ReportDueDay?.ToString());
        Put(W + "ReportDueTime", ReportDueTime?.ToString("HH\\:mm", c));
        Put(W + "GreenDays", GreenDays?.ToString(c));
        Put(W + "YellowDays", YellowDays?.ToString(c));
        Put(W + "YellowForMissedReport", YellowForMissedReport?.ToString(c));
        Put(W + "ImmediateDeadlineDays", ImmediateDeadlineDays?.ToString(c));
        Put(W + "LongTermRecheckMonths", LongTermRecheckMonths?.ToString(c));
        Put(W + "MaxEvidenceBytes", MaxEvidenceMegabytes is { } mb ? (mb * 1024L * 1024L).ToString(c) : null);
        Put(D + "PlanMonths", PlanMonths?.ToString(c));
        Put(D + "ReportMonths", ReportMonths?.ToString(c));
        Put(D + "FocusedRectificationMonths", FocusedRectificationMonths?.ToString(c));
        Put(D + "DisclosureMonths", DisclosureMonths?.ToString(c));
        return d;
    }
}
