namespace Rectify.Core.Workflow;

/// <summary>
/// The reporting week (周汇报): a week is named by its Monday in the configured time zone; its report is due on the
/// configured day and time of that week. Pure functions of the settings and an instant.
/// </summary>
public sealed class WeekCalendar(WorkflowSettings settings)
{
    readonly TimeZoneInfo _zone = settings.Zone();

    public DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, _zone).DateTime);

    /// <summary>The Monday of the week containing the local date.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public DateOnly WeekOf(DateTimeOffset now) => WeekOf(Today(now));

    /// <summary>When the report of the week starting on <paramref name="monday"/> is due, in UTC.</summary>
    public DateTime DueUtc(DateOnly monday)
    {
        var day = monday.AddDays(((int)settings.ReportDueDay + 6) % 7);
        var local = day.ToDateTime(settings.ReportDueTime, DateTimeKind.Unspecified);
        return TimeZoneInfo.ConvertTimeToUtc(local, _zone);
    }

    /// <summary>The latest week whose report is already due at <paramref name="now"/>.</summary>
    public DateOnly LastDueWeek(DateTimeOffset now)
    {
        var week = WeekOf(now);
        return DueUtc(week) <= now.UtcDateTime ? week : week.AddDays(-7);
    }

    /// <summary>Weeks from the one containing <paramref name="from"/> to the one containing <paramref name="to"/>.</summary>
    public static IEnumerable<DateOnly> Weeks(DateOnly from, DateOnly to)
    {
        for (var w = WeekOf(from); w <= WeekOf(to); w = w.AddDays(7)) yield return w;
    }
}
