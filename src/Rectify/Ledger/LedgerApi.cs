using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Hosting;

namespace Rectify.Ledger;

public sealed record CreateCategory([Required(ErrorMessage = "类别名称不能为空。"), StringLength(500, MinimumLength = 1, ErrorMessage = "类别名称长度须在 1–500 字之间。")] string Title);
public sealed record UpdateCategory([Required(ErrorMessage = "类别名称不能为空。"), StringLength(500, MinimumLength = 1, ErrorMessage = "类别名称长度须在 1–500 字之间。")] string Title,
    [Required(ErrorMessage = "必须提供读取时的版本号 version。")] int? Version);

public sealed record CreateProblem(
    [Required(ErrorMessage = "问题标题不能为空。"), StringLength(1000, MinimumLength = 1, ErrorMessage = "问题标题长度须在 1–1000 字之间。")] string Title,
    [StringLength(20000, ErrorMessage = "问题描述过长。")] string? Description = null,
    [StringLength(5000, ErrorMessage = "整改目标过长。")] string? Goal = null,
    [StringLength(20000, ErrorMessage = "措施引言过长。")] string? MeasuresPreamble = null);
public sealed record UpdateProblem(
    [Required(ErrorMessage = "问题标题不能为空。"), StringLength(1000, MinimumLength = 1, ErrorMessage = "问题标题长度须在 1–1000 字之间。")] string Title,
    [StringLength(20000, ErrorMessage = "问题描述过长。")] string? Description,
    [StringLength(5000, ErrorMessage = "整改目标过长。")] string? Goal,
    [StringLength(20000, ErrorMessage = "措施引言过长。")] string? MeasuresPreamble,
    [StringLength(20000, ErrorMessage = "整改成效过长。")] string? Outcome,
    [Required(ErrorMessage = "必须提供读取时的版本号 version。")] int? Version);

public sealed record MeasureFields(
    [StringLength(20000, MinimumLength = 1, ErrorMessage = "措施内容长度须在 1–20000 字之间。")] string? Text = null,
    RectificationMode? Mode = null, long? LeaderId = null, long? LeadDepartmentId = null, long[]? SupportingDepartmentIds = null,
    long? OwnerId = null, DateOnly? Deadline = null, MeasureStatus? Status = null,
    [StringLength(20000, ErrorMessage = "整改进展过长。")] string? Progress = null,
    [StringLength(5000, ErrorMessage = "备注过长。")] string? Remarks = null,
    int? Version = null,
    // With a changed progress: the measure's newest report id as read (MeasureDto.ProgressReportId); a report since → 409.
    long? ProgressReportId = null);

public sealed record Reorder([Required(ErrorMessage = "必须给出新的顺序 ids。"), MinLength(1, ErrorMessage = "ids 不能为空。")] long[] Ids);

/// <summary>The ledger of an inspection: categories, problems and measures — read as a tree, edited row by row.</summary>
public static class LedgerApi
{
    public static void MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("整改台账");
        api.MapGet("/inspections/{id:long}/ledger", GetLedgerTree).Produces<LedgerView>().WithSummary("整改台账：类别→问题→措施的完整树，含状态、责任和统计");

        api.MapPost("/inspections/{id:long}/categories", AddCategory).WithSummary("新增问题类别");
        api.MapPut("/inspections/{id:long}/categories/order", ReorderCategories).WithSummary("调整类别顺序");
        api.MapGet("/categories/{id:long}", GetCategory).WithSummary("读取问题类别");
        api.MapPut("/categories/{id:long}", EditCategory).WithSummary("修改问题类别");
        api.MapDelete("/categories/{id:long}", DeleteCategory).WithSummary("删除问题类别（连同其问题和措施）");

        api.MapPost("/categories/{id:long}/problems", AddProblem).WithSummary("新增问题");
        api.MapPut("/categories/{id:long}/problems/order", ReorderProblems).WithSummary("调整问题顺序");
        api.MapGet("/problems/{id:long}", GetProblem).WithSummary("读取问题及其措施");
        api.MapPut("/problems/{id:long}", EditProblem).WithSummary("修改问题");
        api.MapDelete("/problems/{id:long}", DeleteProblem).WithSummary("删除问题（连同其措施）");

        api.MapPost("/problems/{id:long}/measures", AddMeasure).WithSummary("新增整改措施");
        api.MapPut("/problems/{id:long}/measures/order", ReorderMeasures).WithSummary("调整措施顺序");
        api.MapGet("/measures/{id:long}", GetMeasure).WithSummary("读取整改措施");
        api.MapPut("/measures/{id:long}", EditMeasure).WithSummary("修改整改措施（只改给出的字段；version 必填）");
        api.MapDelete("/measures/{id:long}", DeleteMeasure).WithSummary("删除整改措施");
    }

    /// <summary>
    /// The inspection must be visible in the caller's scope (else 404); the tree is then served from the read cache
    /// while no audit event of the inspection's unit was appended since it was computed. A copy computed for this very
    /// scope proves the inspection visible (an inspection never changes unit; its deletion is an event of the unit), so a
    /// request whose copy matches the in-memory head of the unit (<see cref="AuditHeads"/>) runs no SQL at all. The
    /// response carries the head as ETag; a client sending it back in If-None-Match gets 304.
    /// </summary>
    static async Task<IResult> GetLedgerTree(long id, HttpContext http, RectifyDb db, IOptionsSnapshot<DeadlineSettings> deadlines, ReadCache cache, AuditHeads heads, CancellationToken ct)
    {
        // The deadline settings are part of the key: an administrator's change is no audit event of the unit.
        var d = deadlines.Value;
        var key = $"ledger|{id}|{ReadCache.ScopeKey(db.Scope)}|{d.PlanMonths},{d.ReportMonths},{d.FocusedRectificationMonths},{d.DisclosureMonths}";
        await heads.EnsureCurrentAsync(ct);
        if (cache.Peek(key) is { Value: LedgerView view } hit && heads.Unit(view.UnitId) == hit.Validator)
            return ReadCache.Conditional(http, hit);

        // One round trip: the inspection as the caller may see it, its unit, and the newest audit sequence of the unit.
        var generation = heads.Generation;
        var seen = await db.Inspections.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new { i.UnitId, Head = db.AuditEvents.Where(a => a.UnitId == i.UnitId).Max(a => (long?)a.Sequence) ?? 0 })
            .FirstOrDefaultAsync(ct);
        if (seen is null) return Guard.NotFound("检查");
        heads.Observe(seen.UnitId, seen.Head, generation);
        var cached = await cache.GetAsync(key, seen.Head, async () =>
            await GetLedger.RunAsync(db, id, d, CancellationToken.None) is { } ledger ? (ledger, ledger) : ((LedgerView, object)?)null);
        return cached is null ? Guard.NotFound("检查") : ReadCache.Conditional(http, cached);
    }

    // Categories

    static async Task<IResult> AddCategory(long id, CreateCategory req, RectifyDb db, CancellationToken ct)
    {
        var inspection = await db.Inspections.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (inspection is null) return Guard.NotFound("检查");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        var next = await db.Categories.Where(c => c.InspectionId == id).MaxAsync(c => (int?)c.Ordinal, ct) ?? 0;
        var c = new Category { InspectionId = id, UnitId = inspection.UnitId, Ordinal = next + 1, Title = req.Title.Trim() };
        db.Categories.Add(c);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/categories/{c.Id}", CategoryDto.From(c));
    }

    static async Task<IResult> GetCategory(long id, RectifyDb db, CancellationToken ct) =>
        await db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c ? TypedResults.Ok(CategoryDto.From(c)) : Guard.NotFound("问题类别");

    static async Task<IResult> EditCategory(long id, UpdateCategory req, RectifyDb db, CancellationToken ct)
    {
        var c = await db.Categories.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Guard.NotFound("问题类别");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        db.ExpectVersion(c, req.Version);
        c.Title = req.Title.Trim();
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(CategoryDto.From(c));
    }

    static async Task<IResult> DeleteCategory(long id, int? version, RectifyDb db, CancellationToken ct)
    {
        var c = await db.Categories.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Guard.NotFound("问题类别");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        db.ExpectVersion(c, version);
        // Children go with it; load them so each deletion is audited.
        var problems = await db.Problems.Where(p => p.CategoryId == id).ToListAsync(ct);
        var problemIds = problems.Select(p => p.Id).ToList();
        db.Measures.RemoveRange(await db.Measures.Where(m => problemIds.Contains(m.ProblemId)).ToListAsync(ct));
        db.Problems.RemoveRange(problems);
        db.Categories.Remove(c);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> ReorderCategories(long id, Reorder req, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Inspections.AnyAsync(i => i.Id == id, ct)) return Guard.NotFound("检查");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        return await ApplyOrder(db, await db.Categories.Where(c => c.InspectionId == id).ToListAsync(ct), req.Ids, c => c.Id, (c, o) => c.Ordinal = o, ct);
    }

    // Problems

    static async Task<IResult> AddProblem(long id, CreateProblem req, RectifyDb db, CancellationToken ct)
    {
        var c = await db.Categories.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Guard.NotFound("问题类别");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        var next = await db.Problems.Where(p => p.CategoryId == id).MaxAsync(p => (int?)p.Ordinal, ct) ?? 0;
        var p = new Problem
        {
            CategoryId = id, InspectionId = c.InspectionId, UnitId = c.UnitId, Ordinal = next + 1, Title = req.Title.Trim(),
            Description = req.Description, Goal = req.Goal, MeasuresPreamble = req.MeasuresPreamble,
        };
        db.Problems.Add(p);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/problems/{p.Id}", await ProblemDto.FromAsync(db, p, ct));
    }

    static async Task<IResult> GetProblem(long id, RectifyDb db, CancellationToken ct) =>
        await db.Problems.AsNoTracking().Include(p => p.Measures.OrderBy(m => m.Ordinal)).FirstOrDefaultAsync(p => p.Id == id, ct) is { } p
            ? TypedResults.Ok(await ProblemDto.FromAsync(db, p, ct)) : Guard.NotFound("问题");

    static async Task<IResult> EditProblem(long id, UpdateProblem req, RectifyDb db, CancellationToken ct)
    {
        var p = await db.Problems.Include(x => x.Measures).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return Guard.NotFound("问题");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        db.ExpectVersion(p, req.Version);
        p.Title = req.Title.Trim();
        p.Description = req.Description;
        p.Goal = req.Goal;
        p.MeasuresPreamble = req.MeasuresPreamble;
        p.Outcome = req.Outcome;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ProblemDto.FromAsync(db, p, ct));
    }

    static async Task<IResult> DeleteProblem(long id, int? version, RectifyDb db, CancellationToken ct)
    {
        var p = await db.Problems.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return Guard.NotFound("问题");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        db.ExpectVersion(p, version);
        db.Measures.RemoveRange(await db.Measures.Where(m => m.ProblemId == id).ToListAsync(ct));
        db.Problems.Remove(p);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> ReorderProblems(long id, Reorder req, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Categories.AnyAsync(c => c.Id == id, ct)) return Guard.NotFound("问题类别");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        return await ApplyOrder(db, await db.Problems.Where(p => p.CategoryId == id).ToListAsync(ct), req.Ids, p => p.Id, (p, o) => p.Ordinal = o, ct);
    }

    // Measures

    static async Task<IResult> AddMeasure(long id, MeasureFields req, RectifyDb db, CancellationToken ct)
    {
        var p = await db.Problems.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return Guard.NotFound("问题");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        if (string.IsNullOrWhiteSpace(req.Text)) return Guard.Invalid("text", "措施内容不能为空。");
        var next = await db.Measures.Where(m => m.ProblemId == id).MaxAsync(m => (int?)m.Ordinal, ct) ?? 0;
        var m = new Measure { ProblemId = id, InspectionId = p.InspectionId, UnitId = p.UnitId, Ordinal = next + 1, Text = req.Text.Trim() };
        if (await ApplyFields(db, m, req, ct) is { } invalid) return invalid;
        m.OriginalDeadline = m.Deadline;
        db.Measures.Add(m);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/measures/{m.Id}", await MeasureDto.FromAsync(db, m, ct));
    }

    static async Task<IResult> GetMeasure(long id, RectifyDb db, CancellationToken ct) =>
        await db.Measures.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct) is { } m ? TypedResults.Ok(await MeasureDto.FromAsync(db, m, ct)) : Guard.NotFound("整改措施");

    static async Task<IResult> EditMeasure(long id, MeasureFields req, RectifyDb db, CancellationToken ct)
    {
        var m = await db.Measures.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return Guard.NotFound("整改措施");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        if (req.Version is null) return Guard.Invalid("version", "必须提供读取时的版本号 version。");
        db.ExpectVersion(m, req.Version);
        if (req.Text is { } text) m.Text = text.Trim();
        if (await ApplyFields(db, m, req, ct) is { } invalid) return invalid;
        m.OriginalDeadline ??= m.Deadline;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await MeasureDto.FromAsync(db, m, ct));
    }

    static async Task<IResult> DeleteMeasure(long id, int? version, RectifyDb db, CancellationToken ct)
    {
        var m = await db.Measures.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return Guard.NotFound("整改措施");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        db.ExpectVersion(m, version);
        db.Measures.Remove(m);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> ReorderMeasures(long id, Reorder req, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Problems.AnyAsync(p => p.Id == id, ct)) return Guard.NotFound("问题");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        return await ApplyOrder(db, await db.Measures.Where(m => m.ProblemId == id).ToListAsync(ct), req.Ids, m => m.Id, (m, o) => m.Ordinal = o, ct);
    }

    /// <summary>Sets responsible fields, deadline and status; people and departments must belong to the measure's unit.</summary>
    static async Task<IResult?> ApplyFields(RectifyDb db, Measure m, MeasureFields req, CancellationToken ct)
    {
        async Task<bool> PersonOk(long? pid) => pid is null || await db.People.AnyAsync(p => p.Id == pid && p.UnitId == m.UnitId, ct);
        async Task<bool> DeptOk(long did) => await db.Organisations.AnyAsync(o => o.Id == did && (o.UnitId == m.UnitId || o.Id == m.UnitId), ct);
        if (!await PersonOk(req.LeaderId)) return Guard.Invalid("leaderId", "责任领导不存在或不属于本单位。");
        if (!await PersonOk(req.OwnerId)) return Guard.Invalid("ownerId", "责任人不存在或不属于本单位。");
        if (req.LeadDepartmentId is { } lead && !await DeptOk(lead)) return Guard.Invalid("leadDepartmentId", "牵头部门不存在或不属于本单位。");
        foreach (var d in req.SupportingDepartmentIds ?? [])
            if (!await DeptOk(d)) return Guard.Invalid("supportingDepartmentIds", $"配合部门 {d} 不存在或不属于本单位。");
        if (req.Mode is { } mode) m.Mode = mode;
        if (req.LeaderId is { } l) m.LeaderId = l;
        if (req.OwnerId is { } o) m.OwnerId = o;
        if (req.LeadDepartmentId is { } ld) m.LeadDepartmentId = ld;
        if (req.SupportingDepartmentIds is { } sd) m.SupportingDepartmentIds = [.. sd.Distinct()];
        if (req.Deadline is { } dl) m.Deadline = dl;
        if (req.Progress is { } pr) await MeasureProgress.WriteAsync(db, m, pr, req.ProgressReportId, ct);
        if (req.Remarks is { } rm) m.Remarks = rm;
        if (req.Status is { } s) m.ChangeStatus(s);
        return null;
    }

    static async Task<IResult> ApplyOrder<T>(RectifyDb db, List<T> rows, long[] ids, Func<T, long> key, Action<T, int> set, CancellationToken ct) where T : Entity
    {
        if (ids.Length != rows.Count || ids.Distinct().Count() != ids.Length || !rows.All(r => ids.Contains(key(r))))
            return Guard.Invalid("ids", "新的顺序必须恰好列出全部现有条目，且不重复。");
        var byId = rows.ToDictionary(key);
        for (int i = 0; i < ids.Length; i++) set(byId[ids[i]], i + 1);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}

public sealed record CategoryDto(long Id, long InspectionId, int Ordinal, string Title, int Version)
{
    public static CategoryDto From(Category c) => new(c.Id, c.InspectionId, c.Ordinal, c.Title, c.Version);
}

public sealed record MeasureDto(long Id, long ProblemId, int Ordinal, string Text, RectificationMode Mode, long? LeaderId, long? LeadDepartmentId,
    IReadOnlyList<long> SupportingDepartmentIds, long? OwnerId, DateOnly? Deadline, DateOnly? OriginalDeadline, MeasureStatus Status,
    string StatusText, string? Progress, string? Remarks, int Version, long? ProgressReportId)
{
    /// <summary>
    /// The measure with the progress it shows (<see cref="MeasureProgress"/>: <paramref name="progress"/>'s line, else its
    /// own text) and its newest report's id (<paramref name="newest"/>), to be sent back with a changed progress.
    /// </summary>
    public static MeasureDto From(Measure m, IReadOnlyDictionary<long, string> progress, IReadOnlyDictionary<long, long> newest) => new(m.Id, m.ProblemId, m.Ordinal, m.Text, m.Mode,
        m.LeaderId, m.LeadDepartmentId, m.SupportingDepartmentIds, m.OwnerId, m.Deadline, m.OriginalDeadline, m.Status, StatusRules.Wording(m.Status),
        progress.Shown(m.Id, m.Progress), m.Remarks, m.Version, newest.TryGetValue(m.Id, out var n) ? n : null);

    public static async Task<MeasureDto> FromAsync(RectifyDb db, Measure m, CancellationToken ct)
    {
        var one = db.Measures.Where(x => x.Id == m.Id);
        return From(m, await MeasureProgress.LinesAsync(db, one, ct), await MeasureProgress.NewestReportIdsAsync(db, one, ct));
    }
}

public sealed record ProblemDto(long Id, long CategoryId, long InspectionId, int Ordinal, string Title, string? Description, string? Goal,
    string? MeasuresPreamble, string? Outcome, MeasureStatus Status, string StatusText, int Version, IReadOnlyList<MeasureDto> Measures)
{
    public static async Task<ProblemDto> FromAsync(RectifyDb db, Problem p, CancellationToken ct)
    {
        var measures = db.Measures.Where(m => m.ProblemId == p.Id);
        var progress = p.Id == 0 ? [] : await MeasureProgress.LinesAsync(db, measures, ct);
        var newest = p.Id == 0 ? [] : await MeasureProgress.NewestReportIdsAsync(db, measures, ct);
        return new(p.Id, p.CategoryId, p.InspectionId, p.Ordinal, p.Title, p.Description, p.Goal, p.MeasuresPreamble, p.Outcome, p.Status,
            StatusRules.Wording(p.Status), p.Version, [.. p.Measures.OrderBy(m => m.Ordinal).Select(m => MeasureDto.From(m, progress, newest))]);
    }
}
