using System.Text.RegularExpressions;
using Rectify.Core.Ledger;

namespace Rectify.Core.Import;

/// <summary>
/// Turns repaired paragraphs into the ledger structure: title, parts, categories, problems, measures, results,
/// signature and date. Every paragraph lands in a field or in <see cref="LedgerDocument.Unassigned"/>.
/// </summary>
internal sealed partial class NoticeParser
{
    enum Section { Front, Overview, Specifics, NextSteps, CategoryPart }

    enum Field { Description, Measures, Result, Outcome, Goal }

    readonly LedgerDocument doc;
    readonly Dictionary<LedgerProblem, string> problemWhere = [];
    Section section = Section.Front;
    int lastPart;
    LedgerCategory? category;
    string categoryWhere = "";
    LedgerCategory? pendingPartCategory;
    /// <summary>The level-1 heading that turned out to group （一） headings, and the category that collects （一）
    /// headings used as problems (a label right under them) in the current part.</summary>
    LedgerCategory? partGroup;
    LedgerCategory? promotedInto;
    bool partConfirmed = true;
    readonly List<TextParagraph> partBuffer = [];
    int lastCategory;
    LedgerProblem? problem;
    HeadingLevel problemLevel;
    Field field;
    int subList;
    bool implicitMeasures;
    readonly List<string> measureBlock = [];
    readonly List<(string Label, string Value)> measureAttributes = [];

    NoticeParser(LedgerDocument doc) => this.doc = doc;

    public static void Parse(IReadOnlyList<TextParagraph> paragraphs, LedgerDocument doc)
    {
        var p = new NoticeParser(doc);
        p.Run(paragraphs);
    }

    void Run(IReadOnlyList<TextParagraph> paragraphs)
    {
        var end = paragraphs.Count;
        // The signature: a date line near the end, the issuer on the line before it.
        for (int i = paragraphs.Count - 1; i >= Math.Max(0, paragraphs.Count - 3); i--)
        {
            var date = Patterns.ParseDateLine(paragraphs[i].Text);
            if (date is null) continue;
            doc.Date = date;
            end = i;
            var prev = i - 1;
            if (prev > 0 && IsSignature(paragraphs[prev].Text))
            {
                doc.Issuer = paragraphs[prev].Text;
                end = prev;
            }
            for (int k = i + 1; k < paragraphs.Count; k++) Unassigned(paragraphs[k], "落款日期之后的文本，已放入未归类内容");
            break;
        }

        // The title: up to three leading title-like paragraphs (a long title set on two centred lines).
        var start = 0;
        while (start < Math.Min(end, 3) && Patterns.LooksLikeTitle(paragraphs[start].Text)
               && (doc.Title?.Length ?? 0) + paragraphs[start].Text.Length <= 80)
            doc.Title += paragraphs[start++].Text;
        for (int i = start; i < end; i++) Add(paragraphs[i]);
        CloseProblem();
        FlushUnconfirmedPart();
        if (pendingPartCategory is not null) doc.Parts.Add(Heading(pendingPartCategory));
        Finish();
    }

    static bool IsSignature(string t) =>
        t.Length <= 40 && !Patterns.EndsSentence(t) && !Patterns.StartsBlock(t) && !t.Contains('，');

    static string Heading(LedgerCategory c) => c.Number + "、" + c.Title;

    void Add(TextParagraph p)
    {
        var h = Patterns.MatchHeading(p.Text);
        if (h?.Level == HeadingLevel.Part)
        {
            StartPart(h, p);
            return;
        }
        if (section == Section.CategoryPart && !partConfirmed)
        {
            // Whether an unnamed 一、 part holds problems is known only once a problem, a label or a problem-like
            // （一） heading shows up; until then its paragraphs wait.
            if (h is not null && (h.Level != HeadingLevel.Category || ProblemWords().IsMatch(Patterns.SplitTitle(h.Rest).Title)) || Patterns.MatchLabel(p.Text) is not null)
            {
                partConfirmed = true;
                foreach (var b in partBuffer) Process(b, Patterns.MatchHeading(b.Text));
                partBuffer.Clear();
            }
            else
            {
                partBuffer.Add(p);
                return;
            }
        }
        Process(p, h);
    }

    /// <summary>
    /// A 一、 part with no problems in it (提高政治站位…, 其他工作) is narrative: it joins the overview when no problem has
    /// been seen yet, the closing part otherwise.
    /// </summary>
    void FlushUnconfirmedPart()
    {
        if (section != Section.CategoryPart || partConfirmed || pendingPartCategory is null) return;
        doc.Parts.Add(Heading(pendingPartCategory));
        var target = doc.AllProblems.Any() ? doc.NextSteps : doc.Overview;
        foreach (var b in partBuffer) target.Add(b.Text);
        partBuffer.Clear();
        pendingPartCategory = null;
        partConfirmed = true;
    }

    void Process(TextParagraph p, Heading? h)
    {
        if (section is Section.Overview or Section.NextSteps)
        {
            (section == Section.Overview ? doc.Overview : doc.NextSteps).Add(p.Text);
            return;
        }
        if (h?.Level == HeadingLevel.Category)
        {
            StartCategory(h, p);
            return;
        }
        if (h is not null && StartsProblem(h))
        {
            StartProblem(h, p);
            return;
        }
        var label = Patterns.MatchLabel(p.Text);
        if (problem is null && label is not null && category is not null && category.Problems.Count == 0 && category != promotedInto)
            PromoteCategory();
        if (problem is not null)
        {
            if (label is { } l) ApplyLabel(l.Label, l.Text);
            else
            {
                if (h is not null && field == Field.Description)
                {
                    // （1）（2）… right under a problem without 整改措施： are its measures when a result follows.
                    field = Field.Measures;
                    implicitMeasures = true;
                }
                AppendToField(p.Text);
            }
            return;
        }
        if (section == Section.Front && category is null)
        {
            doc.Opening.Add(p.Text);
            return;
        }
        if (category is not null && category.Problems.Count == 0)
        {
            category.Text = category.Text is null ? p.Text : category.Text + "\n" + p.Text;
            return;
        }
        Unassigned(p, "文本无法归入任何层级，已放入未归类内容");
    }

    /// <summary>
    /// A numbered paragraph starts a problem unless it is a sub-item inside one: a lower level than the category's
    /// problems, or a numbered list inside the measures that does not continue the problems' numbering.
    /// </summary>
    bool StartsProblem(Heading h)
    {
        if (problem is null || category is null) return true;
        if (problemLevel == HeadingLevel.Category) return false;
        if (h.Level != problemLevel && h.Level != HeadingLevel.Item) return false;
        if (field != Field.Measures) return true;
        if (h.Value == subList + 1 || h.Value != LastNumber(category) + 1)
        {
            subList = h.Value;
            return false;
        }
        return true;
    }

    void StartPart(Heading h, TextParagraph p)
    {
        CloseProblem();
        FlushUnconfirmedPart();
        if (pendingPartCategory is not null) doc.Parts.Add(Heading(pendingPartCategory));
        pendingPartCategory = null;
        category = null;
        partGroup = promotedInto = null;
        lastCategory = 0;
        CheckNumber(lastPart, h.Value, p.Where, "一级标题");
        lastPart = h.Value;
        var title = h.Rest;
        section = NextStepsTitle().IsMatch(title) ? Section.NextSteps
            : OverviewTitle().IsMatch(title) ? Section.Overview
            : SpecificsTitle().IsMatch(title) ? Section.Specifics
            : Section.CategoryPart;
        if (section == Section.CategoryPart)
        {
            pendingPartCategory = new LedgerCategory { Number = h.Number, Title = Patterns.TrimTitle(title), Where = p.Where };
            categoryWhere = p.Where;
            partConfirmed = false;
        }
        else doc.Parts.Add(p.Text);
    }

    void StartCategory(Heading h, TextParagraph p)
    {
        CloseProblem();
        if (pendingPartCategory is not null)
        {
            // The level-1 heading groups categories: it is a part, not a category.
            doc.Parts.Add(Heading(pendingPartCategory));
            partGroup = pendingPartCategory;
            pendingPartCategory = null;
        }
        CheckNumber(lastCategory, h.Value, p.Where, "问题类别");
        lastCategory = h.Value;
        category = new LedgerCategory { Number = h.Number, Title = Patterns.TrimTitle(h.Rest), Where = p.Where };
        categoryWhere = p.Where;
        doc.Categories.Add(category);
        problemLevel = 0;
    }

    void StartProblem(Heading h, TextParagraph p)
    {
        CloseProblem();
        if (category is null)
        {
            category = pendingPartCategory ?? new LedgerCategory();
            pendingPartCategory = null;
            doc.Categories.Add(category);
        }
        if (problemLevel == 0) problemLevel = h.Level;
        // A slip is warned once: after 1, 2, 3, 3 the next 5 fits its position again.
        var previous = category.Problems.Count == 0 ? 0 : LastNumber(category);
        if (h.Value != category.Problems.Count + 1) CheckNumber(previous, h.Value, p.Where, $"{CategoryName(category)}的问题");
        var (title, description) = Patterns.SplitTitle(h.Rest);
        problem = new LedgerProblem { Number = h.Number, Title = title, Description = description, Where = p.Where };
        problemWhere[problem] = p.Where;
        category.Problems.Add(problem);
        field = Field.Description;
        subList = 0;
    }

    static int LastNumber(LedgerCategory c)
    {
        var n = c.Problems[^1].Number;
        return int.TryParse(n, out var v) ? v : n.Length == 1 && n[0] is >= '①' and <= '⑳' ? n[0] - '①' + 1 : Patterns.ChineseNumber(n);
    }

    /// <summary>
    /// A （一） heading directly followed by 整改措施：/整改结果： is a problem, not a category (small notices, and
    /// feedback grouped 一、category → （一）problem). It moves into the part's category (the 一、 heading when there is
    /// one, else an unnamed category) and the label applies to it.
    /// </summary>
    void PromoteCategory()
    {
        var c = category!;
        doc.Categories.Remove(c);
        if (promotedInto is null)
        {
            promotedInto = partGroup ?? new LedgerCategory();
            if (partGroup is not null) doc.Parts.Remove(Heading(partGroup));
            doc.Categories.Add(promotedInto);
        }
        problem = new LedgerProblem { Number = c.Number, Title = c.Title, Description = c.Text, Where = categoryWhere };
        problemWhere[problem] = categoryWhere;
        promotedInto.Problems.Add(problem);
        category = promotedInto;
        problemLevel = HeadingLevel.Category;
        field = Field.Description;
        subList = 0;
    }

    static string CategoryName(LedgerCategory c) => c.Number.Length > 0 ? $"类别{c.Number}" : "问题清单";

    void CheckNumber(int previous, int actual, string where, string what)
    {
        if (actual == previous + 1) return;
        Warn(where, actual == previous ? $"{what}编号重复：{actual}" : actual <= previous
            ? $"{what}编号倒退：{previous} 之后是 {actual}" : $"{what}编号跳过：{previous} 之后是 {actual}");
    }

    void ApplyLabel(string label, string rest)
    {
        switch (label)
        {
            case "整改措施" or "具体措施" or "主要措施" or "工作措施":
                field = Field.Measures;
                if (rest.Length > 0) measureBlock.Add(rest);
                break;
            case "整改结果" or "整改情况" or "整改进展" or "进展情况" or "完成情况" or "整改落实情况" or "整改完成情况":
                field = Field.Result;
                problem!.Result = problem.Result is null ? rest : problem.Result + "\n" + rest;
                break;
            case "整改成效":
                field = Field.Outcome;
                problem!.Outcome = Append(problem.Outcome, rest);
                break;
            case "整改目标" or "整改标准":
                field = Field.Goal;
                problem!.Goal = Append(problem.Goal, rest);
                break;
            case "存在问题" or "问题表现" or "具体表现" or "主要表现" or "问题描述" or "问题内容" or "反馈问题":
                field = Field.Description;
                problem!.Description = Append(problem.Description, rest);
                break;
            default:
                measureAttributes.Add((label, rest));
                break;
        }
    }

    static string Append(string? existing, string text) =>
        string.IsNullOrEmpty(existing) ? text : text.Length == 0 ? existing : existing + "\n" + text;

    void AppendToField(string text)
    {
        var pr = problem!;
        switch (field)
        {
            case Field.Measures: measureBlock.Add(text); break;
            case Field.Result: pr.Result = Append(pr.Result, text); break;
            case Field.Outcome: pr.Outcome = Append(pr.Outcome, text); break;
            case Field.Goal: pr.Goal = Append(pr.Goal, text); break;
            default: pr.Description = Append(pr.Description, text); break;
        }
    }

    void CloseProblem()
    {
        if (problem is null) return;
        if (implicitMeasures && problem.Result is null)
        {
            // No result line: the numbered items describe the problem (feedback), they are not measures.
            problem.Description = Append(problem.Description, string.Join("\n", measureBlock));
            measureBlock.Clear();
        }
        implicitMeasures = false;
        if (measureBlock.Count > 0)
        {
            var (preamble, items) = MeasureSplitter.Split(string.Join("\n", measureBlock));
            problem.MeasuresPreamble = preamble;
            for (int i = 0; i < items.Count; i++) problem.Measures.Add(new LedgerMeasure { Number = i + 1, Text = items[i] });
        }
        foreach (var (label, value) in measureAttributes)
        {
            // Responsibility lines belong to the measures; without measures they stay readable in the description.
            if (problem.Measures.Count == 0) problem.Description = Append(problem.Description, label + "：" + value);
            foreach (var m in problem.Measures) LedgerTable.ApplyColumn(m, label, value);
        }
        if (problem.Result is { } r)
        {
            problem.Result = r.Trim();
            problem.Status = StatusRules.ParseWording(FirstLine(problem.Result));
        }
        measureBlock.Clear();
        measureAttributes.Clear();
        problem = null;
    }

    static string FirstLine(string s)
    {
        var nl = s.IndexOf('\n');
        return nl < 0 ? s : s[..nl];
    }

    void Finish()
    {
        var anyMeasures = doc.AllProblems.Any(p => p.Measures.Count > 0 || p.Result is not null);
        if (doc.AllProblems.Any()) doc.Kind = anyMeasures ? "notice" : "feedback";
        if (!anyMeasures) return;
        foreach (var p in doc.AllProblems)
        {
            var where = problemWhere.GetValueOrDefault(p, "");
            if (p.Result is null) Warn(where, $"问题“{p.Title}”没有整改结果");
            else if (p.Status is null) Warn(where, $"问题“{p.Title}”的整改结果“{FirstLine(p.Result)}”无法识别为整改状态");
        }
    }

    void Warn(string where, string message) => doc.Warnings.Add(new ImportWarning { Where = where, Message = message });

    void Unassigned(TextParagraph p, string why)
    {
        Warn(p.Where, why);
        doc.Unassigned.Add(p.Text);
    }

    /// <summary>Words of a problem as inspections word them (不够, 不到位, 短板…): a （一） heading with them is a problem area.</summary>
    [GeneratedRegex("不够|不到位|不严|不力|不足|不深入|不规范|不健全|不扎实|不及时|不彻底|缺失|缺位|差距|短板|薄弱|欠缺|偏差|弱化|虚化|淡化|违规|违纪")]
    private static partial Regex ProblemWords();

    [GeneratedRegex("下一步|下步|今后|打算|努力方向|持续深化")]
    private static partial Regex NextStepsTitle();

    [GeneratedRegex("整体情况|总体情况|基本情况|工作开展|主要做法|组织领导|工作举措|总体要求|指导思想")]
    private static partial Regex OverviewTitle();

    [GeneratedRegex("具体|整改落实情况|问题整改情况|反馈问题|整改情况|落实情况|问题及整改")]
    private static partial Regex SpecificsTitle();
}
