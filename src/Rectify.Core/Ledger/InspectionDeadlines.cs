namespace Rectify.Core.Ledger;

/// <summary>Offsets from the feedback date (domain.md §1). Configurable under "Rectify:Deadlines".</summary>
public sealed record DeadlineSettings
{
    /// <summary>整改方案 due: 1 month after feedback.</summary>
    public int PlanMonths { get; init; } = 1;
    /// <summary>整改情况报告 due: 2 months after feedback (2015 条例 第二十七条).</summary>
    public int ReportMonths { get; init; } = 2;
    /// <summary>集中整改 ends: about 3 months after feedback.</summary>
    public int FocusedRectificationMonths { get; init; } = 3;
    /// <summary>公开 (disclosure) due, after the report.</summary>
    public int DisclosureMonths { get; init; } = 3;
}

/// <summary>The deadlines of one inspection, computed from its feedback date.</summary>
public sealed record InspectionDeadlines(DateOnly PlanDue, DateOnly FocusedRectificationEnd, DateOnly ReportDue, DateOnly DisclosureDue)
{
    public static InspectionDeadlines? From(DateOnly? feedbackDate, DeadlineSettings settings) =>
        feedbackDate is not { } f ? null : new(
            f.AddMonths(settings.PlanMonths),
            f.AddMonths(settings.FocusedRectificationMonths),
            f.AddMonths(settings.ReportMonths),
            f.AddMonths(settings.DisclosureMonths));
}
