using System.Text;
using System.Text.RegularExpressions;
using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>Small text rules shared by the writers: numerals, dates, 文号, the status a problem is written with.</summary>
public static partial class DocumentText
{
    static readonly string[] Digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    /// <summary>1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; beyond 99 the Arabic number.</summary>
    public static string ChineseNumeral(int n)
    {
        if (n <= 0 || n > 99) return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (n < 10) return Digits[n];
        var tens = n / 10;
        var ones = n % 10;
        return (tens == 1 ? "" : Digits[tens]) + "十" + (ones == 0 ? "" : Digits[ones]);
    }

    /// <summary>成文日期 in Arabic numerals without zero padding: 2022年9月30日.</summary>
    public static string Date(DateOnly d) => $"{d.Year}年{d.Month}月{d.Day}日";

    /// <summary>
    /// Writes every 文号 in the text the standard way: 平龙巡[2022]029号, 平龙巡【2022】29号 and 平龙巡(2022)第29号 all
    /// become 平龙巡〔2022〕29号.
    /// </summary>
    public static string NormalizeReferences(string text) =>
        ReferencePattern().Replace(text, m =>
            $"{m.Groups["org"].Value}〔{m.Groups["year"].Value}〕{int.Parse(m.Groups["no"].Value, System.Globalization.CultureInfo.InvariantCulture)}号");

    [GeneratedRegex(@"(?<org>\p{IsCJKUnifiedIdeographs}+)\s*[\[【(（〔]\s*(?<year>(19|20)\d\d)\s*[\]】)）〕]\s*第?\s*(?<no>\d{1,5})\s*号")]
    private static partial Regex ReferencePattern();

    /// <summary>
    /// The status a problem is written with: derived from its measures' statuses when they carry any
    /// (<see cref="StatusRules.DeriveProblemStatus"/>), else the problem's own status, else the status its result wording
    /// states, else not started.
    /// </summary>
    public static MeasureStatus StatusOf(LedgerProblem p) =>
        MeasureStatusOf(p) ?? p.Status ?? StatusRules.ParseWording(p.Result) ?? MeasureStatus.NotStarted;

    /// <summary>The status the measures give, or null when no measure carries a status.</summary>
    public static MeasureStatus? MeasureStatusOf(LedgerProblem p)
    {
        var statuses = p.Measures.Where(m => m.Status is not null).Select(m => m.Status!.Value).ToList();
        return statuses.Count == 0 ? null : StatusRules.DeriveProblemStatus(statuses);
    }

    /// <summary>The 整改措施 paragraph body: the preamble, then 一是…二是… (a lone measure without preamble gets no 一是).</summary>
    public static string MeasuresText(LedgerProblem p)
    {
        var sb = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(p.MeasuresPreamble)) sb.Append(p.MeasuresPreamble.Trim());
        var numbered = p.Measures.Count > 1 || sb.Length > 0;
        var i = 0;
        foreach (var m in p.Measures)
        {
            i++;
            var text = m.Text.Trim();
            if (text.Length == 0) continue;
            var prefix = ChineseNumeral(i) + "是";
            if (numbered && !text.StartsWith(prefix, StringComparison.Ordinal)) sb.Append(prefix);
            sb.Append(text);
            if (!EndsWithStop(text)) sb.Append('。');
        }
        return NormalizeReferences(sb.ToString());
    }

    // A measure that already ends in punctuation (even a comma, as the seed's 长期违规借调教师 does) keeps its own ending.
    static bool EndsWithStop(string s) => s.Length > 0 && "。；！？，、：;.!?,:".Contains(s[^1]);

    static readonly string[] BreakAfter = ["关于", "巡察组", "巡视组", "巡察办", "党组", "党委", "委员会", "局", "反馈意见"];
    static readonly string[] BreakBefore = ["关于", "反馈意见", "整改", "落实", "情况"];

    /// <summary>
    /// Splits a title too long for one line into two lines at a word boundary (GB/T 9704: 回行时词意完整、排列对称):
    /// the candidate break (after 关于/巡察组/局…, before 关于/反馈意见/整改…) that keeps both lines within
    /// <paramref name="maxChars"/> and makes them most nearly equal. Titles that fit, or that need three or more lines,
    /// stay whole and wrap where the viewer wraps them.
    /// </summary>
    public static IReadOnlyList<string> TitleLines(string title, int maxChars)
    {
        if (Width(title) <= maxChars || Width(title) > 2 * maxChars) return [title];
        var candidates = new SortedSet<int>();
        foreach (var t in BreakAfter)
            for (var i = title.IndexOf(t, StringComparison.Ordinal); i >= 0; i = title.IndexOf(t, i + 1, StringComparison.Ordinal))
                candidates.Add(i + t.Length);
        foreach (var t in BreakBefore)
            for (var i = title.IndexOf(t, StringComparison.Ordinal); i >= 0; i = title.IndexOf(t, i + 1, StringComparison.Ordinal))
                candidates.Add(i);
        var best = candidates
            .Where(i => i > 0 && i < title.Length && Width(title[..i]) <= maxChars && Width(title[i..]) <= maxChars)
            .OrderBy(i => Math.Abs(Width(title[..i]) - Width(title[i..])))
            .Select(i => (int?)i)
            .FirstOrDefault();
        return best is { } b ? [title[..b], title[b..]] : [title];
    }

    /// <summary>Width of the text in full-width characters: ASCII counts a half.</summary>
    public static decimal Width(string s) => s.Sum(c => c < 0x80 ? 0.5m : 1m);

    /// <summary>The 责任部门 cell: the lead department, then the supporting ones.</summary>
    public static string Departments(LedgerMeasure m) =>
        m.SupportingDepartments.Count == 0 ? m.LeadDepartment ?? ""
        : $"{m.LeadDepartment}（牵头）；{string.Join("、", m.SupportingDepartments)}（配合）";
}
