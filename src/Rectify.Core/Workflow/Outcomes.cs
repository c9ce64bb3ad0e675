using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;

namespace Rectify.Core.Workflow;

/// <summary>The kinds of outcome figure notices publish (domain.md §5), with their Chinese label and unit.</summary>
public static class OutcomeKinds
{
    public static readonly IReadOnlyDictionary<string, (string Label, string Unit)> All = new Dictionary<string, (string, string)>
    {
        ["funds_yuan"] = ("追缴/清退资金", "元"),
        ["people_sanctioned"] = ("党纪政务处分", "人"),
        ["people_organisational"] = ("组织处理", "人"),
        ["people_admonished"] = ("诫勉谈话", "人"),
        ["people_criticised"] = ("批评教育", "人"),
        ["people_reminded"] = ("提醒谈话", "人"),
        ["people_investigated"] = ("交由纪委调查", "人"),
        ["rules"] = ("制定及修改完善制度", "项"),
        ["meetings"] = ("专题会议、民主生活会", "次"),
        ["studies"] = ("集中学习、专题党课", "次"),
        ["cases_transferred"] = ("移交问题线索", "件"),
    };
}

public sealed record FigureInput(string Kind, decimal Value, long? MeasureId, string? Note);
public sealed record RuleInput(long UnitId, string Title, string? Reference, DateOnly? IssuedOn, string? Issuer, long? FileId, long[] ProblemIds);

/// <summary>整改成效: records one outcome figure of a problem (optionally of one of its measures). Unit office only.</summary>
public sealed class RecordOutcomeFigure(RectifyDb db)
{
    public async Task<Outcome<OutcomeFigure>> RunAsync(long problemId, FigureInput input, CancellationToken ct = default)
    {
        var p = await db.Problems.AsNoTracking().FirstOrDefaultAsync(x => x.Id == problemId, ct);
        if (p is null) return WorkflowAccess.NotFound("问题");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || !WorkflowAccess.IsUnitManager(user))
            return await WorkflowAccess.RefuseAsync(db, "Problem", p.Id, p.UnitId, "figure", new Refusal(403, "只有本单位整改办可以填报整改成效数据。"), ct);
        if (!OutcomeKinds.All.TryGetValue(input.Kind, out var kind))
            return new Refusal(400, $"未知的成效类别“{input.Kind}”，可选：{string.Join("、", OutcomeKinds.All.Keys)}。", "kind");
        if (input.Value < 0) return new Refusal(400, "成效数值不能为负数。", "value");
        // Decimals are stored with 18 digits, 4 after the point (RectifyDb): a larger value would overflow PostgreSQL's column.
        if (input.Value >= 100_000_000_000_000m) return new Refusal(400, "成效数值过大（须小于 100000000000000）。", "value");
        if (input.MeasureId is { } mid && !await db.Measures.AnyAsync(m => m.Id == mid && m.ProblemId == p.Id, ct))
            return new Refusal(400, "措施不属于该问题。", "measureId");
        var f = new OutcomeFigure { UnitId = p.UnitId, ProblemId = p.Id, MeasureId = input.MeasureId, Kind = input.Kind, Value = input.Value, Unit = kind.Unit, Note = input.Note?.Trim() };
        db.OutcomeFigures.Add(f);
        await db.SaveChangesAsync(ct);
        return f;
    }
}

/// <summary>长效机制: registers a rule or document issued, linked to the problems (of its unit) it answers.</summary>
public sealed class RegisterRule(RectifyDb db)
{
    public async Task<Outcome<RuleDocument>> RunAsync(RuleInput input, CancellationToken ct = default)
    {
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (!db.Scope.CanSeeUnit(input.UnitId)) return new Refusal(400, "单位不存在或无权访问。", "unitId");
        if (user is null || !WorkflowAccess.IsUnitManager(user))
            return await WorkflowAccess.RefuseAsync(db, nameof(RuleDocument), null, input.UnitId, "rule", new Refusal(403, "只有本单位整改办可以登记长效机制。"), ct);
        var ids = (input.ProblemIds ?? []).Distinct().ToList();
        if (await db.Problems.CountAsync(p => ids.Contains(p.Id) && p.UnitId == input.UnitId, ct) != ids.Count)
            return new Refusal(400, "关联的问题不存在或不属于本单位。", "problemIds");
        if (input.FileId is { } fid && !await db.EvidenceFiles.AnyAsync(f => f.Id == fid && f.UnitId == input.UnitId, ct))
            return new Refusal(400, "制度文件不存在或不属于本单位。", "fileId");
        var rule = new RuleDocument
        {
            UnitId = input.UnitId, Title = input.Title.Trim(), Reference = input.Reference?.Trim(), IssuedOn = input.IssuedOn, Issuer = input.Issuer?.Trim(),
            FileId = input.FileId, ProblemIds = ids,
        };
        db.Rules.Add(rule);
        await db.SaveChangesAsync(ct);
        return rule;
    }
}

public sealed record FigureTotal(string Kind, string Label, string Unit, decimal Total);
public sealed record UnitOutcomes(long UnitId, string UnitName, IReadOnlyList<FigureTotal> Figures, int RulesRegistered);

/// <summary>Outcome figures summed per unit (optionally for one round's inspections), with the rules registered.</summary>
public sealed class SumOutcomes(RectifyDb db)
{
    public async Task<IReadOnlyList<UnitOutcomes>> RunAsync(long? unitId, long? roundId, CancellationToken ct = default)
    {
        var figures = db.OutcomeFigures.AsNoTracking();
        var rules = db.Rules.AsNoTracking();
        if (unitId is { } u) { figures = figures.Where(f => f.UnitId == u); rules = rules.Where(r => r.UnitId == u); }
        if (roundId is { } rid)
        {
            var problemIds = db.Problems.Where(p => db.Inspections.Any(i => i.Id == p.InspectionId && i.RoundId == rid)).Select(p => p.Id);
            figures = figures.Where(f => f.ProblemId != null && problemIds.Contains(f.ProblemId.Value));
            var units = db.Inspections.Where(i => i.RoundId == rid).Select(i => i.UnitId);
            rules = rules.Where(r => units.Contains(r.UnitId));
        }
        var list = await figures.ToListAsync(ct);
        var ruleCounts = await rules.GroupBy(r => r.UnitId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var unitIds = list.Select(f => f.UnitId).Concat(ruleCounts.Keys).Distinct().ToList();
        var names = await db.Organisations.AsNoTracking().Where(o => unitIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return [.. unitIds.Order().Select(id => new UnitOutcomes(id, names.GetValueOrDefault(id) ?? "",
            [.. list.Where(f => f.UnitId == id).GroupBy(f => f.Kind).OrderBy(g => g.Key).Select(g =>
                new FigureTotal(g.Key, OutcomeKinds.All.TryGetValue(g.Key, out var k) ? k.Label : g.Key, g.First().Unit, g.Sum(f => f.Value)))],
            ruleCounts.GetValueOrDefault(id)))];
    }
}
