using System.Globalization;
using System.Text.Json.Serialization;

namespace Rectify.Core.Ledger;

/// <summary>Status of one measure (整改措施). Serialised in snake_case: <c>in_progress</c>, <c>rectified_ongoing</c>…</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MeasureStatus>))]
public enum MeasureStatus
{
    [JsonStringEnumMemberName("not_started")] NotStarted,
    [JsonStringEnumMemberName("in_progress")] InProgress,
    [JsonStringEnumMemberName("extension_requested")] ExtensionRequested,
    [JsonStringEnumMemberName("basically_rectified")] BasicallyRectified,
    [JsonStringEnumMemberName("pending_closure")] PendingClosure,
    [JsonStringEnumMemberName("rectified")] Rectified,
    [JsonStringEnumMemberName("rectified_ongoing")] RectifiedOngoing,
    [JsonStringEnumMemberName("closed")] Closed,
}

/// <summary>整改方式: fix now, fix by a date, keep at it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RectificationMode>))]
public enum RectificationMode
{
    [JsonStringEnumMemberName("by_deadline")] ByDeadline,
    [JsonStringEnumMemberName("immediate")] Immediate,
    [JsonStringEnumMemberName("long_term")] LongTerm,
}

/// <summary>
/// The one place that says what the statuses mean: which transitions are allowed, how a problem's status follows
/// from its measures, what counts as completed and closed, and how the completion rate is computed and written.
/// Every count in the UI, the API, the exports and the notices comes from here (domain.md §3).
/// </summary>
public static class StatusRules
{
    /// <summary>Measures and problems in these statuses are completed (完成整改). 基本完成 is not.</summary>
    public static bool IsCompleted(MeasureStatus s) =>
        s is MeasureStatus.Rectified or MeasureStatus.RectifiedOngoing or MeasureStatus.Closed;

    /// <summary>Struck off after review (已销号).</summary>
    public static bool IsClosed(MeasureStatus s) => s == MeasureStatus.Closed;

    /// <summary>Still open work: everything that is not completed (基本完成 included).</summary>
    public static bool IsOpen(MeasureStatus s) => !IsCompleted(s);

    static readonly Dictionary<MeasureStatus, MeasureStatus[]> Allowed = new()
    {
        [MeasureStatus.NotStarted] = [MeasureStatus.InProgress, MeasureStatus.Rectified, MeasureStatus.RectifiedOngoing, MeasureStatus.PendingClosure, MeasureStatus.ExtensionRequested, MeasureStatus.BasicallyRectified],
        [MeasureStatus.InProgress] = [MeasureStatus.PendingClosure, MeasureStatus.ExtensionRequested, MeasureStatus.BasicallyRectified, MeasureStatus.Rectified, MeasureStatus.RectifiedOngoing],
        [MeasureStatus.ExtensionRequested] = [MeasureStatus.InProgress],
        [MeasureStatus.BasicallyRectified] = [MeasureStatus.InProgress, MeasureStatus.PendingClosure, MeasureStatus.Rectified, MeasureStatus.RectifiedOngoing],
        [MeasureStatus.PendingClosure] = [MeasureStatus.InProgress, MeasureStatus.Closed, MeasureStatus.Rectified, MeasureStatus.RectifiedOngoing],
        [MeasureStatus.Rectified] = [MeasureStatus.PendingClosure, MeasureStatus.Closed, MeasureStatus.InProgress, MeasureStatus.RectifiedOngoing],
        [MeasureStatus.RectifiedOngoing] = [MeasureStatus.PendingClosure, MeasureStatus.Closed, MeasureStatus.InProgress, MeasureStatus.Rectified],
        // A closed item is only reopened (回头看), which sends it back to work.
        [MeasureStatus.Closed] = [MeasureStatus.InProgress],
    };

    /// <summary>Whether a measure may move from one status to another. Staying put is always allowed.</summary>
    public static bool CanTransition(MeasureStatus from, MeasureStatus to) =>
        from == to || Allowed[from].Contains(to);

    static int Rank(MeasureStatus s) => s switch
    {
        MeasureStatus.NotStarted => 0,
        MeasureStatus.InProgress or MeasureStatus.ExtensionRequested => 1,
        MeasureStatus.BasicallyRectified => 2,
        MeasureStatus.PendingClosure => 3,
        MeasureStatus.Rectified or MeasureStatus.RectifiedOngoing => 4,
        MeasureStatus.Closed => 5,
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>
    /// A problem's status: derived from its measures' statuses, or the status stated for it (imported from a notice)
    /// while it has no measures.
    /// </summary>
    public static MeasureStatus ProblemStatus(MeasureStatus? stated, IEnumerable<MeasureStatus> measures)
    {
        var list = measures as IReadOnlyCollection<MeasureStatus> ?? measures.ToList();
        return list.Count == 0 && stated is { } s ? s : DeriveProblemStatus(list);
    }

    /// <summary>
    /// A problem is as far as its least advanced measure. A problem with no measures yet has not started.
    /// Completed problems whose measures include a 长期坚持 one are 已整改，长期坚持.
    /// </summary>
    public static MeasureStatus DeriveProblemStatus(IEnumerable<MeasureStatus> measures)
    {
        var list = measures as IReadOnlyCollection<MeasureStatus> ?? measures.ToList();
        if (list.Count == 0) return MeasureStatus.NotStarted;
        var min = list.Min(Rank);
        return min switch
        {
            0 => list.All(s => s == MeasureStatus.NotStarted) ? MeasureStatus.NotStarted : MeasureStatus.InProgress,
            1 => list.Contains(MeasureStatus.ExtensionRequested) ? MeasureStatus.ExtensionRequested : MeasureStatus.InProgress,
            2 => MeasureStatus.BasicallyRectified,
            3 => MeasureStatus.PendingClosure,
            4 => list.Contains(MeasureStatus.RectifiedOngoing) ? MeasureStatus.RectifiedOngoing : MeasureStatus.Rectified,
            _ => MeasureStatus.Closed,
        };
    }

    /// <summary>Counts over a set of problem statuses: the figures notices publish.</summary>
    public static CompletionFigures Count(IEnumerable<MeasureStatus> problemStatuses)
    {
        int total = 0, completed = 0, closed = 0, basically = 0;
        foreach (var s in problemStatuses)
        {
            total++;
            if (IsCompleted(s)) completed++;
            if (IsClosed(s)) closed++;
            if (s == MeasureStatus.BasicallyRectified) basically++;
        }
        return CompletionFigures.Of(total, completed, basically, closed);
    }

    /// <summary>Completion rate as a percentage with two decimals (688/697 → 98.71). Zero problems → 0.</summary>
    public static decimal CompletionRate(int completed, int total) =>
        total == 0 ? 0m : Math.Round(completed * 100m / total, 2, MidpointRounding.AwayFromZero);

    /// <summary>The rate as notices write it: whole percent when exact ("76%"), else two decimals ("98.71%").</summary>
    public static string FormatRate(decimal rate) =>
        (rate == decimal.Truncate(rate) ? decimal.Truncate(rate).ToString(CultureInfo.InvariantCulture)
            : rate.ToString("0.00", CultureInfo.InvariantCulture)) + "%";

    /// <summary>The wording a notice uses for a status (整改结果).</summary>
    public static string Wording(MeasureStatus s) => s switch
    {
        MeasureStatus.NotStarted => "尚未启动",
        MeasureStatus.InProgress => "整改推进中",
        MeasureStatus.ExtensionRequested => "申请延期",
        MeasureStatus.BasicallyRectified => "基本完成",
        MeasureStatus.PendingClosure => "已整改，待验收销号",
        MeasureStatus.Rectified => "已整改",
        MeasureStatus.RectifiedOngoing => "已整改，长期坚持",
        MeasureStatus.Closed => "已整改销号",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>
    /// Reads the result wording of a notice or ledger (整改结果/整改状态) into a status; null when the text says none.
    /// Order matters: "基本完成" and "销号" are checked before the plain "已整改".
    /// </summary>
    public static MeasureStatus? ParseWording(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Replace(" ", "").Replace("　", "");
        if (t.Contains("待验收") || t.Contains("待销号") || t.Contains("申请销号")) return MeasureStatus.PendingClosure;
        if (t.Contains("销号") || t.Contains("已销账")) return MeasureStatus.Closed;
        if (t.Contains("基本完成") || t.Contains("基本整改") || t.Contains("阶段性成果")) return MeasureStatus.BasicallyRectified;
        if (t.Contains("延期")) return MeasureStatus.ExtensionRequested;
        if (t.Contains("未启动") || t.Contains("未开始")) return MeasureStatus.NotStarted;
        if (t.Contains("未完成") || t.Contains("未整改") || t.Contains("推进中") || t.Contains("正在整改") || t.Contains("整改中")
            || t.Contains("持续整改") || t.Contains("持续推进")) return MeasureStatus.InProgress;
        var done = t.Contains("已整改") || t.Contains("已完成") || t.Contains("完成整改") || t.Contains("整改到位") || t.Contains("已落实")
                   || t.Contains("已解决") || t == "完成";
        if (done) return t.Contains("长期坚持") || t.Contains("持续坚持") ? MeasureStatus.RectifiedOngoing : MeasureStatus.Rectified;
        if (t.Contains("长期坚持")) return MeasureStatus.RectifiedOngoing;
        return null;
    }

    /// <summary>The status named by its <see cref="Code"/> (null for none or an unknown code).</summary>
    public static MeasureStatus? FromCode(string? code) =>
        Enum.GetValues<MeasureStatus>().Where(s => Code(s) == code).Cast<MeasureStatus?>().FirstOrDefault();

    /// <summary>The snake_case name used in JSON and on the CLI.</summary>
    public static string Code(MeasureStatus s) => s switch
    {
        MeasureStatus.NotStarted => "not_started",
        MeasureStatus.InProgress => "in_progress",
        MeasureStatus.ExtensionRequested => "extension_requested",
        MeasureStatus.BasicallyRectified => "basically_rectified",
        MeasureStatus.PendingClosure => "pending_closure",
        MeasureStatus.Rectified => "rectified",
        MeasureStatus.RectifiedOngoing => "rectified_ongoing",
        MeasureStatus.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string ModeWording(RectificationMode m) => m switch
    {
        RectificationMode.Immediate => "立行立改",
        RectificationMode.LongTerm => "长期坚持",
        _ => "限期整改",
    };

    public static RectificationMode? ParseMode(string? text) =>
        text is null ? null
        : text.Contains("立行立改") ? RectificationMode.Immediate
        : text.Contains("长期") ? RectificationMode.LongTerm
        : text.Contains("限期") ? RectificationMode.ByDeadline
        : null;
}

/// <summary>Problem counts by completion: completed + basically + unfinished = total.</summary>
public sealed record CompletionFigures(int Problems, int Completed, int BasicallyCompleted, int Unfinished, int Closed)
{
    public static readonly CompletionFigures Zero = new(0, 0, 0, 0, 0);

    /// <summary>The figures from the three counts (unfinished: every problem neither completed nor basically completed).</summary>
    public static CompletionFigures Of(int problems, int completed, int basicallyCompleted, int closed) =>
        new(problems, completed, basicallyCompleted, problems - completed - basicallyCompleted, closed);

    /// <summary>The figures of both sets of problems together (each problem is counted in one set only).</summary>
    public CompletionFigures Plus(CompletionFigures o) => new(Problems + o.Problems, Completed + o.Completed,
        BasicallyCompleted + o.BasicallyCompleted, Unfinished + o.Unfinished, Closed + o.Closed);

    public decimal Rate => StatusRules.CompletionRate(Completed, Problems);
    public string RateText => StatusRules.FormatRate(Rate);
}
