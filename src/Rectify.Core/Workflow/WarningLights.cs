using System.Text.Json.Serialization;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

/// <summary>红黄绿灯. None for closed items and 长期坚持 items in maintenance.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Light>))]
public enum Light
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("green")] Green,
    [JsonStringEnumMemberName("yellow")] Yellow,
    [JsonStringEnumMemberName("red")] Red,
}

/// <summary>The warning-light rule (domain.md §4), the one place lights are computed.</summary>
public static class WarningLights
{
    /// <param name="status">The measure's status.</param>
    /// <param name="mode">整改方式.</param>
    /// <param name="deadline">Current deadline, if any.</param>
    /// <param name="today">Today in the configured time zone.</param>
    /// <param name="missedLastReport">Whether the last weekly report due is missing.</param>
    public static Light ForMeasure(MeasureStatus status, RectificationMode mode, DateOnly? deadline, DateOnly today, bool missedLastReport, WorkflowSettings s)
    {
        if (StatusRules.IsClosed(status)) return Light.None;
        if (mode == RectificationMode.LongTerm && StatusRules.IsCompleted(status)) return Light.None;
        if (deadline is { } d)
        {
            if (today > d) return Light.Red;
            if (d.DayNumber - today.DayNumber <= s.YellowDays) return Light.Yellow;
        }
        if (missedLastReport && s.YellowForMissedReport && StatusRules.IsOpen(status)) return Light.Yellow;
        return Light.Green;
    }

    /// <summary>
    /// The light of a document the unit owes (整改方案, 整改情况报告, 公开): green once submitted (and not returned) or while
    /// more than <see cref="WorkflowSettings.YellowDays"/> days remain; yellow when due within them; red once overdue and
    /// not submitted. None without a deadline (no feedback date yet).
    /// </summary>
    public static Light ForDocument(bool submitted, DateOnly? due, DateOnly today, WorkflowSettings s)
    {
        if (submitted) return Light.Green;
        if (due is not { } d) return Light.None;
        if (today > d) return Light.Red;
        return d.DayNumber - today.DayNumber <= s.YellowDays ? Light.Yellow : Light.Green;
    }

    /// <summary>A group (problem, department, unit) shows its worst light; none when every member has none.</summary>
    public static Light Worst(IEnumerable<Light> lights) => lights.DefaultIfEmpty(Light.None).Max();

    public static string Wording(Light l) => l switch
    {
        Light.Red => "红灯", Light.Yellow => "黄灯", Light.Green => "绿灯", _ => "无",
    };
}
