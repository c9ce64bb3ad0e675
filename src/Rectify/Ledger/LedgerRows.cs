using Rectify.Core.Ledger;

namespace Rectify.Ledger;

/// <summary>One row of the 任务清单: a measure with its problem and category.</summary>
public sealed record MeasureRow(MeasureView M, ProblemView P, CategoryView C, bool Overdue)
{
    public string Category => $"{C.Number}、{C.Title}";
    public string ProblemNo => $"{C.Number}.{P.Number}";
    public string ProblemTitle => P.Title;
    public int Number => M.Number;
    public string Text => M.Text;
    public string Mode => M.ModeText;
    public string Leader => M.LeaderName ?? "";
    public string Department => M.LeadDepartmentName ?? "";
    public string Supporting => string.Join("、", M.SupportingDepartmentNames.Where(n => n.Length > 0));
    public string Owner => M.OwnerName ?? "";
    public DateOnly? Deadline => M.Deadline;
    public MeasureStatus Status => M.Status;
}

/// <summary>One row of the 问题清单.</summary>
public sealed record ProblemRow(ProblemView P, CategoryView C, int Measures, int MeasuresCompleted, int Overdue)
{
    public string Category => $"{C.Number}、{C.Title}";
    public string ProblemNo => $"{C.Number}.{P.Number}";
    public string Title => P.Title;
    public MeasureStatus Status => P.Status;
}

/// <summary>One row of the 责任清单: who answers for how many measures.</summary>
public sealed record DutyRow(string Leader, string Department, string Owner, int Measures, int Completed, int Overdue)
{
    public string Rate => StatusRules.FormatRate(StatusRules.CompletionRate(Completed, Measures));
}

/// <summary>The filters of the ledger page; empty means everything.</summary>
public sealed class LedgerFilter
{
    public MeasureStatus? Status { get; set; }
    public long? DepartmentId { get; set; }
    public long? PersonId { get; set; }
    public RectificationMode? Mode { get; set; }
    public bool OverdueOnly { get; set; }
    public string? Search { get; set; }

    public bool Any => Status is not null || DepartmentId is not null || PersonId is not null || Mode is not null || OverdueOnly || !string.IsNullOrWhiteSpace(Search);

    public bool Matches(MeasureRow r)
    {
        if (Status is { } s && r.M.Status != s) return false;
        if (DepartmentId is { } d && r.M.LeadDepartmentId != d && !r.M.SupportingDepartmentIds.Contains(d)) return false;
        if (PersonId is { } p && r.M.OwnerId != p && r.M.LeaderId != p) return false;
        if (Mode is { } m && r.M.Mode != m) return false;
        if (OverdueOnly && !r.Overdue) return false;
        if (Search is { Length: > 0 } q && !(r.Text.Contains(q, StringComparison.OrdinalIgnoreCase) || r.ProblemTitle.Contains(q, StringComparison.OrdinalIgnoreCase)
                                             || r.Category.Contains(q, StringComparison.OrdinalIgnoreCase) || r.Owner.Contains(q) || r.Leader.Contains(q) || r.Department.Contains(q)))
            return false;
        return true;
    }

    public static List<MeasureRow> Rows(LedgerView ledger, DateOnly today) =>
        [.. from c in ledger.Categories from p in c.Problems from m in p.Measures
            select new MeasureRow(m, p, c, Web.Labels.Overdue(m.Status, m.Deadline, today))];

    public List<ProblemRow> Problems(LedgerView ledger, List<MeasureRow> rows)
    {
        var matching = rows.Where(Matches).ToLookup(r => r.P.Id);
        var q = Search?.Trim();
        return [.. from c in ledger.Categories from p in c.Problems
                   let all = rows.Where(r => r.P.Id == p.Id).ToList()
                   where !Any || matching[p.Id].Any() || (p.Measures.Count == 0 && Status is null && DepartmentId is null && PersonId is null && Mode is null && !OverdueOnly
                                                          && q is { Length: > 0 } && p.Title.Contains(q, StringComparison.OrdinalIgnoreCase))
                   select new ProblemRow(p, c, all.Count, all.Count(r => r.M.Completed), all.Count(r => r.Overdue))];
    }

    public List<DutyRow> Duties(List<MeasureRow> rows) =>
        [.. rows.Where(Matches).GroupBy(r => (r.Leader, r.Department, r.Owner))
            .Select(g => new DutyRow(g.Key.Leader, g.Key.Department, g.Key.Owner, g.Count(), g.Count(r => r.M.Completed), g.Count(r => r.Overdue)))
            .OrderBy(d => d.Department).ThenBy(d => d.Leader).ThenBy(d => d.Owner)];
}
