using System.Globalization;
using System.Text.RegularExpressions;
using Rectify.Core.Ledger;

namespace Rectify.Core.Import;

/// <summary>
/// The figures a document states (domain.md §5) and their cross-checks: parts against the total, a stated rate
/// against its counts (StatusRules.CompletionRate), the stated number of problems against the itemised ones.
/// </summary>
internal static partial class StatedFigures
{
    const string Count = @"(\d{1,6})\s*(个|条|项|件)";

    /// <summary>Each rule with the words one of which must occur for the rule to be tried (keeps 5 MB under a second).</summary>
    static readonly (string Kind, string[] Triggers, Regex Rx)[] Rules =
    [
        ("problems", ["问题"], new(@"(?:反馈|指出|发现|交办|移交|梳理|共|涉及)[^，。；,;]{0,12}?" + Count + @"(?:具体)?(?:问题|方面问题)", RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("rectified", ["整改", "完成", "销号"], new(@"(?:已完成整改|已整改完成|已整改到位|已整改|完成整改|已完成|整改完成|已销号)\s*(?:问题)?" + Count + "|" + Count + @"(?:问题)?(?:已完成整改|已整改)", RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("basically_rectified", ["基本"], new(@"(?:基本完成整改|基本完成|基本整改)\s*" + Count, RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("in_progress", ["正在", "推进", "持续整改"], new(@"(?:正在整改|整改推进中|正在推进|持续整改|推进中)\s*" + Count, RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("unrectified", ["未"], new(@"(?:未完成整改|尚未完成|未完成|未整改)\s*" + Count, RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("completion_rate", ["完成率"], new(@"完成率\s*(?:为|达到|达)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*[%％]", RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("rules", ["制度", "建章立制"], new(@"(?:制定|修订|修改|完善|建立|出台|新建)[^，。；,;]{0,10}?制度\s*(\d{1,5})\s*(项|个|件|份|条)|建章立制\s*(\d{1,5})\s*(项|个|件)", RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("funds_yuan", ["元"], new(@"(?:追缴|清退|收缴|退还|挽回|缴入|缴回|上缴|返还|退赔|追回|收回|整改资金|违规资金)[^，。；,;]{0,30}?(\d{1,9}(?:\.\d{1,4})?)\s*(亿元|万元|元)|(\d{1,9}(?:\.\d{1,4})?)\s*(亿元|万元|元)(?:全部|已)?(?:缴入|缴回|上缴|退还|清退|追回|收回)", RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("people", ["名", "人"], new(@"(?:辞退|处分|诫勉|约谈|问责|通报批评|提醒谈话|批评教育|组织处理|清退|解聘|调离|免职|处理)[^，。；,;]{0,8}?(\d{1,5})\s*(名|人次|人)", RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("meetings", ["次", "场"], new(@"(?:召开|组织|开展)[^，。；,;]{0,6}?(\d{1,4})\s*(次|场)[^，。；,;]{0,12}?(?:会|学习|党课|培训)", RegexOptions.CultureInvariant | RegexOptions.Compiled)),
        ("clues", ["线索"], new(@"(?:移交|移送)[^，。；,;]{0,10}?(?:问题)?线索\s*(\d{1,5})\s*(件|条|个)", RegexOptions.CultureInvariant | RegexOptions.Compiled)),
    ];

    /// <summary>Reads the figures of every paragraph and adds the cross-check warnings.</summary>
    public static void Extract(IReadOnlyList<TextParagraph> paragraphs, LedgerDocument doc)
    {
        var stated = new List<(StatedFigure Figure, string Where, int TextParagraph)>();
        for (int p = 0; p < paragraphs.Count; p++)
        {
            var text = paragraphs[p].Text;
            if (!HasDigit(text)) continue;
            var taken = new List<(int Start, int End)>();
            foreach (var (kind, triggers, rx) in Rules)
            {
                if (!triggers.Any(t => text.Contains(t, StringComparison.Ordinal))) continue;
                for (var m = rx.Match(text); m.Success; m = m.NextMatch())
                {
                    if (taken.Any(t => m.Index < t.End && t.Start < m.Index + m.Length)) continue;
                    if (Read(kind, m) is not { } f) continue;
                    taken.Add((m.Index, m.Index + m.Length));
                    doc.Statistics.Add(f);
                    stated.Add((f, paragraphs[p].Where, p));
                }
            }
        }
        CrossCheck(stated, doc);
        AttachToProblems(doc);
    }

    /// <summary>A figure stated inside a problem's own text (its measures, preamble, result) belongs to that problem.</summary>
    static void AttachToProblems(LedgerDocument doc)
    {
        foreach (var f in doc.Statistics)
        {
            foreach (var c in doc.Categories)
            {
                var problem = c.Problems.FirstOrDefault(p => States(p, f.Text));
                if (problem is null) continue;
                f.Problem = $"{c.Number}.{problem.Number}";
                problem.Figures.Add(new StatedFigure { Kind = f.Kind, Value = f.Value, Unit = f.Unit, Text = f.Text });
                break;
            }
        }
    }

    static bool States(LedgerProblem p, string text) =>
        p.Measures.Any(m => m.Text.Contains(text, StringComparison.Ordinal))
        || p.MeasuresPreamble?.Contains(text, StringComparison.Ordinal) == true
        || p.Description?.Contains(text, StringComparison.Ordinal) == true
        || p.Result?.Contains(text, StringComparison.Ordinal) == true;

    static bool HasDigit(string s)
    {
        foreach (var c in s) if (char.IsAsciiDigit(c)) return true;
        return false;
    }

    static StatedFigure? Read(string kind, Match m)
    {
        var groups = m.Groups.Cast<Group>().Skip(1).Where(g => g.Success).ToList();
        if (groups.Count == 0 || !decimal.TryParse(groups[0].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)) return null;
        var unit = groups.Count > 1 ? groups[1].Value : "";
        switch (kind)
        {
            case "completion_rate": unit = "%"; break;
            case "funds_yuan":
                value *= unit switch { "亿元" => 100_000_000m, "万元" => 10_000m, _ => 1m };
                unit = "元";
                break;
            case "people": unit = "人"; break;
        }
        return new StatedFigure { Kind = kind, Value = value, Unit = unit, Text = m.Value };
    }

    static void CrossCheck(List<(StatedFigure Figure, string Where, int TextParagraph)> stated, LedgerDocument doc)
    {
        void Warn(string where, string message) => doc.Warnings.Add(new ImportWarning { Where = where, Message = message });
        static string N(decimal v) => v.ToString("0.##", CultureInfo.InvariantCulture);

        foreach (var group in stated.GroupBy(s => s.TextParagraph))
        {
            decimal? Get(string kind) => group.FirstOrDefault(s => s.Figure.Kind == kind).Figure?.Value;
            var where = group.First().Where;
            var total = Get("problems");
            var done = Get("rectified");
            var parts = new[] { "rectified", "basically_rectified", "in_progress", "unrectified" }.Select(Get).Where(v => v is not null).Select(v => v!.Value).ToList();
            if (total is { } t && parts.Count > 0)
            {
                var sum = parts.Sum();
                if (sum > t || (parts.Count >= 2 && sum != t))
                    Warn(where, $"陈述的问题数不一致：分项合计{N(sum)}个，总数{N(t)}个");
            }
            if (Get("completion_rate") is { } rate && total is { } tt && done is { } d && tt > 0)
            {
                var computed = StatusRules.CompletionRate((int)d, (int)tt);
                var decimals = rate == decimal.Truncate(rate) ? 0 : 2;
                if (Math.Round(computed, decimals, MidpointRounding.AwayFromZero) != rate)
                    Warn(where, $"陈述的整改完成率{N(rate)}%与数字不符：{N(d)}/{N(tt)} = {StatusRules.FormatRate(computed)}");
            }
        }

        var itemised = doc.AllProblems.Count();
        var first = stated.FirstOrDefault(s => s.Figure.Kind == "problems");
        if (itemised > 0 && first.Figure is { } pf && pf.Value != itemised)
            Warn(first.Where, $"文中陈述问题{N(pf.Value)}个，但逐条列出的问题是{itemised}个");
    }
}
