using System.Globalization;
using Rectify.Core.Ledger;

namespace Rectify.Core.Import;

/// <summary>
/// A ledger table (整改台账, domain.md §2) from an .xlsx sheet or a Word table: a header row with the usual column
/// names, then one row per measure. Rows of the same category and problem (merged cells already filled down by the
/// reader) are grouped; problem status follows from the measures (StatusRules.DeriveProblemStatus).
/// </summary>
internal static class LedgerTable
{
    enum Col { Seq, Category, Problem, Goal, Measure, Mode, Leader, Department, Owner, Deadline, Progress, Status, Outcome, Rules, Evidence, Closure, Remarks }

    /// <summary>Header words per column, most specific first; a header cell matches the first column whose word it contains.</summary>
    static readonly (Col Col, string[] Words)[] Headers =
    [
        (Col.Seq, ["序号", "编号"]),
        (Col.Category, ["问题类别", "问题类型", "类别", "问题分类", "反馈意见类别", "方面"]),
        (Col.Goal, ["整改目标", "整改标准", "目标"]),
        (Col.Measure, ["整改措施", "具体措施", "措施"]),
        (Col.Mode, ["整改方式", "整改类型"]),
        (Col.Leader, ["责任领导", "牵头领导", "分管领导"]),
        (Col.Department, ["责任部门", "责任单位", "责任股室", "牵头单位", "牵头部门"]),
        (Col.Owner, ["责任人", "具体责任人"]),
        (Col.Deadline, ["整改时限", "完成时限", "时限", "完成时间"]),
        (Col.Progress, ["整改进展", "进展情况", "进展"]),
        (Col.Status, ["整改状态", "完成情况", "整改情况", "状态"]),
        (Col.Outcome, ["整改成效", "成效"]),
        (Col.Rules, ["建章立制", "制度建设"]),
        (Col.Evidence, ["佐证材料", "佐证"]),
        (Col.Closure, ["销号情况", "销号"]),
        (Col.Remarks, ["备注"]),
        (Col.Problem, ["具体问题", "存在问题", "问题表现", "问题描述", "反馈问题", "问题"]),
    ];

    static Col? Match(string header)
    {
        var h = header.Replace(" ", "").Replace("\n", "").Replace("　", "");
        if (h.Length is 0 or > 16) return null;
        foreach (var (col, words) in Headers)
            if (words.Any(h.Contains)) return col;
        return null;
    }

    /// <summary>The header row within the first rows: at least three known columns, one of them the problem or measure.</summary>
    static (int Row, Dictionary<Col, int> Columns)? FindHeader(IReadOnlyList<string[]> rows)
    {
        for (int r = 0; r < Math.Min(rows.Count, 10); r++)
            if (HeaderColumns(rows[r]) is { } cols) return (r, cols);
        return null;
    }

    static Dictionary<Col, int>? HeaderColumns(string[] row)
    {
        var cols = new Dictionary<Col, int>();
        for (int c = 0; c < row.Length; c++)
            if (Match(row[c]) is { } col) cols.TryAdd(col, c);
        return cols.Count >= 3 && (cols.ContainsKey(Col.Problem) || cols.ContainsKey(Col.Measure)) ? cols : null;
    }

    public static bool LooksLikeLedger(IReadOnlyList<string[]> rows) => FindHeader(rows) is not null;

    /// <summary>Reads the rows below the header into categories; <paramref name="where"/> gives a row's location.</summary>
    public static List<LedgerCategory> Read(IReadOnlyList<string[]> rows, Func<int, string> where, Extracted x)
    {
        var categories = new List<LedgerCategory>();
        if (FindHeader(rows) is not { } header)
        {
            x.Warnings.Add(new ImportWarning { Where = where(0), Message = "表格没有可识别的台账表头，按文本读取" });
            return categories;
        }
        var cols = header.Columns;
        string Cell(string[] row, Col col) => cols.TryGetValue(col, out var i) && i < row.Length ? row[i].Trim() : "";

        LedgerCategory? category = null;
        LedgerProblem? problem = null;
        string? categoryKey = null, problemKey = null;
        for (int r = header.Row + 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.All(string.IsNullOrWhiteSpace)) continue;
            if (HeaderColumns(row) is { } more)
            {
                // A second header row (责任 → 责任领导/责任部门/责任人 under a merged cell) adds its columns.
                foreach (var (col, c) in more) cols[col] = c;
                continue;
            }
            var catText = Cell(row, Col.Category);
            var problemText = Cell(row, Col.Problem);
            var measureText = Cell(row, Col.Measure);
            if (problemText.Length == 0 && measureText.Length == 0)
            {
                x.Warnings.Add(new ImportWarning { Where = where(r), Message = "台账行没有问题也没有措施，已放入未归类内容" });
                x.Unassigned.Add(string.Join(" ", row.Where(c => c.Length > 0)));
                continue;
            }
            if (category is null || catText != categoryKey)
            {
                (category, categoryKey) = (NewCategory(catText, categories.Count + 1), catText);
                category.Where = where(r);
                categories.Add(category);
                problem = null;
            }
            if (problem is null || problemText != problemKey)
            {
                (problem, problemKey) = (NewProblem(problemText, Cell(row, Col.Seq), category.Problems.Count + 1), problemText);
                problem.Where = where(r);
                problem.Goal = NullIfEmpty(Cell(row, Col.Goal));
                problem.Outcome = NullIfEmpty(Cell(row, Col.Outcome));
                category.Problems.Add(problem);
            }
            if (measureText.Length == 0 && problem.Measures.Count > 0) continue;
            var measure = new LedgerMeasure { Number = problem.Measures.Count + 1, Text = measureText };
            foreach (var (col, label) in new[] { (Col.Mode, "整改方式"), (Col.Leader, "责任领导"), (Col.Department, "责任部门"),
                         (Col.Owner, "责任人"), (Col.Deadline, "整改时限"), (Col.Progress, "整改进展"), (Col.Status, "整改状态"),
                         (Col.Rules, "建章立制"), (Col.Evidence, "佐证材料"), (Col.Closure, "销号情况"), (Col.Remarks, "备注") })
                ApplyColumn(measure, label, Cell(row, col));
            if (measure.Status is null && measure.Progress is not null) measure.Status = StatusRules.ParseWording(measure.Progress);
            problem.Measures.Add(measure);
        }
        foreach (var p in categories.SelectMany(c => c.Problems))
        {
            var statuses = p.Measures.Where(m => m.Status is not null).Select(m => m.Status!.Value).ToList();
            if (statuses.Count == 0) continue;
            p.Status = StatusRules.DeriveProblemStatus(statuses);
            p.Result = StatusRules.Wording(p.Status.Value);
        }
        return categories;
    }

    static LedgerCategory NewCategory(string text, int index)
    {
        var h = Patterns.MatchHeading(text);
        return h is not null && h.Level is HeadingLevel.Part or HeadingLevel.Category
            ? new LedgerCategory { Number = h.Number, Title = h.Rest.Trim() }
            : new LedgerCategory { Number = Patterns.ChineseNumeral(index), Title = text };
    }

    static LedgerProblem NewProblem(string text, string seq, int index)
    {
        var h = Patterns.MatchHeading(text);
        var number = h?.Number ?? (int.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : index.ToString(CultureInfo.InvariantCulture));
        var (title, description) = Patterns.SplitTitle(h?.Rest ?? text);
        return new LedgerProblem { Number = number, Title = title, Description = description };
    }

    static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;

    /// <summary>Sets one ledger column (by its Chinese label) on a measure; used by tables and by labelled lines in notices.</summary>
    public static void ApplyColumn(LedgerMeasure m, string label, string value)
    {
        value = value.Trim();
        if (value.Length == 0) return;
        switch (label)
        {
            case "整改方式": m.Mode = StatusRules.ParseMode(value); break;
            case "责任领导": m.Leader = value; break;
            case "责任部门" or "责任单位":
                var parts = value.Split(["配合", "协同"], 2, StringSplitOptions.None);
                m.LeadDepartment = parts[0].Replace("牵头", "").Trim(' ', '：', ':', '，', '、', '（', '）', '(', ')');
                if (parts.Length > 1)
                    m.SupportingDepartments = parts[1].Split(['、', '，', ',', '；', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => s.Trim('：', ':', '（', '）', '(', ')')).Where(s => s.Length > 0).ToList();
                break;
            case "责任人": m.Owner = value; break;
            case "整改时限" or "完成时限":
                m.Deadline = ParseDeadline(value);
                if (m.Deadline is null && m.Mode is null) m.Mode = StatusRules.ParseMode(value);
                if (m.Deadline is null) m.Remarks = Join(m.Remarks, "整改时限：" + value);
                break;
            case "整改进展": m.Progress = value; break;
            case "整改状态": m.Status = StatusRules.ParseWording(value); if (m.Status is null) m.Remarks = Join(m.Remarks, "整改状态：" + value); break;
            case "建章立制": m.Rules = value; break;
            case "佐证材料": m.Evidence = value; break;
            case "销号情况": m.Closure = value; break;
            case "备注": m.Remarks = Join(m.Remarks, value); break;
        }
    }

    static string Join(string? a, string b) => string.IsNullOrEmpty(a) ? b : a + "\n" + b;

    /// <summary>2022年12月31日, 2022-12-31, 2022/12/31, 2022.12.31, 2022年12月 (end of month), an Excel serial day number.</summary>
    public static DateOnly? ParseDeadline(string s)
    {
        var m = Patterns.DateRx().Match(s);
        if (m.Success) return Patterns.DateFrom(m);
        var parts = s.Trim().TrimEnd('前', '底').Split(['-', '/', '.', '年', '月', '日'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 2 or 3 && parts.All(p => p.All(char.IsAsciiDigit) && p.Length <= 4))
        {
            var y = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var mo = int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (mo is < 1 or > 12 || y is < 1900 or > 2200) return null;
            var d = parts.Length == 3 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : DateTime.DaysInMonth(y, mo);
            return Patterns.MakeDate(y, mo, d);
        }
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 20000 and < 80000)
            return DateOnly.FromDateTime(DateTime.FromOADate(serial));
        return null;
    }
}
