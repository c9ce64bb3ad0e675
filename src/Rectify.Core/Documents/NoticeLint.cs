using System.Globalization;
using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>One inconsistency between what a document states and what the ledger shows. The message is Chinese.</summary>
public sealed record LintIssue(string Where, string Message)
{
    public override string ToString() => $"{Where}：{Message}";
}

/// <summary>The outcome of a lint that let the writer go on: no issues, or issues overridden with a reason to record.</summary>
public sealed record LintOutcome(IReadOnlyList<LintIssue> Issues, string? OverrideReason)
{
    public bool Overridden => Issues.Count > 0;
}

/// <summary>Writing refused because the document would state more (or other) than the ledger shows.</summary>
public sealed class DocumentLintException(IReadOnlyList<LintIssue> issues)
    : Exception($"文稿与台账不一致，已拒绝生成（共{issues.Count}处）：" + string.Join("；", issues))
{
    public IReadOnlyList<LintIssue> Issues { get; } = issues;
}

/// <summary>
/// The consistency lint run before any document is written: result wordings must match the status the measures give,
/// and every stated figure must equal what the ledger computes (counts and rate through <see cref="StatusRules.Count"/>,
/// other figures as the sum of the problems' own figures).
/// </summary>
public static class NoticeLint
{
    /// <summary>All issues; empty when the document is consistent.</summary>
    public static IReadOnlyList<LintIssue> Check(LedgerDocument doc)
    {
        var issues = new List<LintIssue>();
        foreach (var (problem, where) in Problems(doc))
        {
            var fromMeasures = DocumentText.MeasureStatusOf(problem);
            if (fromMeasures is not { } actual) continue;
            var stated = StatusRules.ParseWording(problem.Result);
            if (stated is { } s && Class(s) != Class(actual))
                issues.Add(new(where, $"整改结果写作“{problem.Result!.Trim()}”，但其整改措施的状态为“{StatusRules.Wording(actual)}”"
                                      + OpenMeasures(problem)));
            else if (problem.Status is { } ps && Class(ps) != Class(actual))
                issues.Add(new(where, $"问题状态为“{StatusRules.Wording(ps)}”，但其整改措施的状态为“{StatusRules.Wording(actual)}”"
                                      + OpenMeasures(problem)));
        }

        var figures = StatusRules.Count(doc.AllProblems.Select(DocumentText.StatusOf));
        // Figures a problem states in its own text are the ledger's data (they are in the problem's Figures); only the
        // document's own claims (opening, overview) are checked against what the ledger computes.
        foreach (var f in doc.Statistics.Where(f => f.Problem is null))
        {
            var where = string.IsNullOrWhiteSpace(f.Text) ? $"统计数字“{f.Kind}”" : $"“{f.Text.Trim()}”";
            var computed = Computed(doc, figures, f.Kind);
            if (computed is null)
                issues.Add(new(where, $"台账中没有可核对的“{KindName(f.Kind)}”数据，不能写入文稿"));
            else if (!Matches(f, computed.Value))
                issues.Add(new(where, $"文稿称{KindName(f.Kind)}为{Format(f.Value)}{f.Unit}，台账计算为{Format(computed.Value)}{UnitOf(f)}"));
        }
        return issues;
    }

    /// <summary>
    /// Runs the lint; throws <see cref="DocumentLintException"/> when there are issues and no override reason, else
    /// returns the issues with the reason so the caller can record both in the audit trail.
    /// </summary>
    public static LintOutcome Enforce(LedgerDocument doc, string? overrideReason)
    {
        var issues = Check(doc);
        if (issues.Count > 0 && string.IsNullOrWhiteSpace(overrideReason)) throw new DocumentLintException(issues);
        return new LintOutcome(issues, issues.Count > 0 ? overrideReason!.Trim() : null);
    }

    static IEnumerable<(LedgerProblem, string)> Problems(LedgerDocument doc)
    {
        var c = 0;
        foreach (var category in doc.Categories)
        {
            c++;
            var n = 0;
            foreach (var p in category.Problems)
            {
                n++;
                yield return (p, $"（{DocumentText.ChineseNumeral(c)}）第{n}个问题“{p.Title.Trim()}”");
            }
        }
    }

    /// <summary>The three classes counts are made of: completed, basically completed, unfinished.</summary>
    static int Class(MeasureStatus s) => StatusRules.IsCompleted(s) ? 2 : s == MeasureStatus.BasicallyRectified ? 1 : 0;

    static string OpenMeasures(LedgerProblem p)
    {
        var open = p.Measures.Select((m, i) => (m, i))
            .Where(x => x.m.Status is { } s && !StatusRules.IsCompleted(s))
            .Select(x => $"措施{DocumentText.ChineseNumeral(x.i + 1)}{StatusRules.Wording(x.m.Status!.Value)}")
            .ToList();
        return open.Count == 0 ? "" : "（" + string.Join("，", open) + "）";
    }

    static decimal? Computed(LedgerDocument doc, CompletionFigures f, string kind) => kind switch
    {
        "problems" => f.Problems,
        "rectified" or "completed" => f.Completed,
        "basically_rectified" => f.BasicallyCompleted,
        "in_progress" => f.Unfinished,
        "unrectified" => f.Problems - f.Completed,
        "closed" => f.Closed,
        "completion_rate" => f.Rate,
        _ => Sum(doc, kind),
    };

    static decimal? Sum(LedgerDocument doc, string kind)
    {
        var found = doc.AllProblems.SelectMany(p => p.Figures).Where(x => x.Kind == kind).ToList();
        return found.Count == 0 ? null : found.Sum(x => x.Value);
    }

    /// <summary>A rate written with fewer decimals matches when the computed rate rounds to it (98.7% for 98.71).</summary>
    static bool Matches(StatedFigure f, decimal computed)
    {
        if (f.Kind != "completion_rate") return f.Value == computed;
        var decimals = Math.Min(BitConverter.GetBytes(decimal.GetBits(f.Value)[3])[2], (byte)2);
        return Math.Round(computed, decimals, MidpointRounding.AwayFromZero) == f.Value;
    }

    static string Format(decimal v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    static string UnitOf(StatedFigure f) => f.Kind == "completion_rate" ? "%" : f.Unit;

    static string KindName(string kind) => kind switch
    {
        "problems" => "反馈问题数",
        "rectified" or "completed" => "已完成整改问题数",
        "basically_rectified" => "基本完成问题数",
        "in_progress" => "正在整改问题数",
        "unrectified" => "未完成整改问题数",
        "closed" => "已销号问题数",
        "completion_rate" => "整改完成率",
        "rules" => "制定及修改完善制度数",
        "funds_yuan" => "追缴清退资金",
        "people" => "处理人数",
        "meetings" => "会议次数",
        _ => kind,
    };
}
