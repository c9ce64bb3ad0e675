using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;

namespace Rectify.Ledger;

public sealed record RoundRequest(
    [Required(ErrorMessage = "轮次名称不能为空。"), StringLength(200, MinimumLength = 1, ErrorMessage = "轮次名称长度须在 1–200 字之间。")] string Name,
    RoundKind Kind = RoundKind.Regular, long? OfficeId = null, DateOnly? Start = null, DateOnly? End = null, int? Version = null);

public sealed record FeedbackDocumentInput(
    [Required(ErrorMessage = "文号不能为空。"), StringLength(100, ErrorMessage = "文号过长。")] string Reference,
    [StringLength(300, ErrorMessage = "标题过长。")] string? Title = null);

public sealed record InspectionRequest(
    [Required(ErrorMessage = "必须指定被巡察单位 unitId。")] long? UnitId,
    long? RoundId = null,
    [StringLength(100, ErrorMessage = "巡察组名称过长。")] string? Team = null,
    DateOnly? OnSiteStart = null, DateOnly? OnSiteEnd = null, DateOnly? FeedbackDate = null,
    [StringLength(300, ErrorMessage = "通报标题过长。")] string? NoticeTitle = null,
    [StringLength(200, ErrorMessage = "署名过长。")] string? Issuer = null,
    DateOnly? NoticeDate = null,
    [StringLength(50000, ErrorMessage = "开头段落过长。")] string? Opening = null,
    [StringLength(50000, ErrorMessage = "总体情况过长。")] string? Overview = null,
    [StringLength(50000, ErrorMessage = "下一步打算过长。")] string? NextSteps = null,
    FeedbackDocumentInput[]? FeedbackDocuments = null,
    int? Version = null);

public sealed record RoundDto(long Id, string Name, RoundKind Kind, long OfficeId, DateOnly? Start, DateOnly? End, int Version)
{
    public static RoundDto From(InspectionRound r) => new(r.Id, r.Name, r.Kind, r.OfficeId, r.Start, r.End, r.Version);
}

public sealed record InspectionDto(long Id, long? RoundId, long UnitId, string? Team, DateOnly? OnSiteStart, DateOnly? OnSiteEnd, DateOnly? FeedbackDate,
    string? NoticeTitle, string? Issuer, DateOnly? NoticeDate, string? Opening, string? Overview, string? NextSteps,
    IReadOnlyList<FeedbackDocumentInput> FeedbackDocuments, InspectionDeadlines? Deadlines, int Version)
{
    public static InspectionDto From(Inspection i, DeadlineSettings settings) => new(i.Id, i.RoundId, i.UnitId, i.Team, i.OnSiteStart, i.OnSiteEnd,
        i.FeedbackDate, i.NoticeTitle, i.Issuer, i.NoticeDate, i.Opening, i.Overview, i.NextSteps,
        [.. i.FeedbackDocuments.Select(d => new FeedbackDocumentInput(d.Reference, d.Title))], InspectionDeadlines.From(i.FeedbackDate, settings), i.Version);
}

/// <summary>Inspection rounds (巡察轮次) and the inspections of units, with their computed deadlines.</summary>
public static class InspectionsApi
{
    public static void MapInspectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("巡察轮次与检查");
        api.MapGet("/rounds", ListRounds).WithSummary("巡察轮次列表");
        api.MapPost("/rounds", AddRound).WithSummary("新建巡察轮次（巡察办）");
        api.MapGet("/rounds/{id:long}", GetRound).WithSummary("读取巡察轮次");
        api.MapPut("/rounds/{id:long}", EditRound).WithSummary("修改巡察轮次");
        api.MapDelete("/rounds/{id:long}", DeleteRound).WithSummary("删除巡察轮次（其检查保留）");

        api.MapGet("/inspections", ListInspections).WithSummary("检查列表（可按单位、轮次筛选）");
        api.MapPost("/inspections", AddInspection).WithSummary("新建对某单位的检查");
        api.MapGet("/inspections/{id:long}", GetInspection).WithSummary("读取检查及其期限");
        api.MapPut("/inspections/{id:long}", EditInspection).WithSummary("修改检查（含通报开头、总体情况、下一步打算）");
        api.MapDelete("/inspections/{id:long}", DeleteInspection).WithSummary("删除检查及其整个台账");
    }

    static async Task<IResult> ListRounds(RectifyDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.Rounds.AsNoTracking().OrderByDescending(r => r.Start).ThenBy(r => r.Id)
            .Select(r => new RoundDto(r.Id, r.Name, r.Kind, r.OfficeId, r.Start, r.End, r.Version)).ToListAsync(ct));

    static async Task<IResult> GetRound(long id, RectifyDb db, CancellationToken ct) =>
        await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } r ? TypedResults.Ok(RoundDto.From(r)) : Guard.NotFound("巡察轮次");

    static async Task<IResult> AddRound(RoundRequest req, RectifyDb db, CancellationToken ct)
    {
        if (!db.Scope.Allows(Guard.OfficeEditors)) return Guard.Forbidden();
        var officeId = req.OfficeId ?? db.Scope.OfficeIds.FirstOrDefault();
        if (!await db.Organisations.AnyAsync(o => o.Id == officeId && o.Kind == OrganisationKind.Office, ct))
            return Guard.Invalid("officeId", "巡察办不存在或无权访问。");
        if (req.Start > req.End) return Guard.Invalid("end", "结束日期不能早于开始日期。");
        var r = new InspectionRound { Name = req.Name.Trim(), Kind = req.Kind, OfficeId = officeId, Start = req.Start, End = req.End };
        db.Rounds.Add(r);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/rounds/{r.Id}", RoundDto.From(r));
    }

    static async Task<IResult> EditRound(long id, RoundRequest req, RectifyDb db, CancellationToken ct)
    {
        var r = await db.Rounds.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(Guard.OfficeEditors) || !db.Scope.All && !db.Scope.OfficeIds.Contains(r.OfficeId)) return Guard.Forbidden();
        if (req.Version is null) return Guard.Invalid("version", "必须提供读取时的版本号 version。");
        if (req.Start > req.End) return Guard.Invalid("end", "结束日期不能早于开始日期。");
        db.ExpectVersion(r, req.Version);
        (r.Name, r.Kind, r.Start, r.End) = (req.Name.Trim(), req.Kind, req.Start, req.End);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(RoundDto.From(r));
    }

    static async Task<IResult> DeleteRound(long id, int? version, RectifyDb db, CancellationToken ct)
    {
        var r = await db.Rounds.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(Guard.OfficeEditors) || !db.Scope.All && !db.Scope.OfficeIds.Contains(r.OfficeId)) return Guard.Forbidden();
        db.ExpectVersion(r, version);
        foreach (var i in await db.Inspections.Where(i => i.RoundId == id).ToListAsync(ct)) i.RoundId = null;
        db.Rounds.Remove(r);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> ListInspections(long? unitId, long? roundId, RectifyDb db, IOptionsSnapshot<DeadlineSettings> settings, CancellationToken ct)
    {
        var q = db.Inspections.AsNoTracking().Include(i => i.FeedbackDocuments).AsQueryable();
        if (unitId is { } u) q = q.Where(i => i.UnitId == u);
        if (roundId is { } r) q = q.Where(i => i.RoundId == r);
        var list = await q.OrderBy(i => i.Id).Take(1000).ToListAsync(ct);
        return TypedResults.Ok(list.Select(i => InspectionDto.From(i, settings.Value)).ToList());
    }

    static async Task<IResult> GetInspection(long id, RectifyDb db, IOptionsSnapshot<DeadlineSettings> settings, CancellationToken ct) =>
        await db.Inspections.AsNoTracking().Include(i => i.FeedbackDocuments).FirstOrDefaultAsync(i => i.Id == id, ct) is { } i
            ? TypedResults.Ok(InspectionDto.From(i, settings.Value)) : Guard.NotFound("检查");

    static async Task<IResult> AddInspection(InspectionRequest req, RectifyDb db, IOptionsSnapshot<DeadlineSettings> settings, CancellationToken ct)
    {
        if (!db.Scope.Allows(Guard.SetupEditors)) return Guard.Forbidden();
        if (!await db.Organisations.AnyAsync(o => o.Id == req.UnitId && o.Kind == OrganisationKind.Unit, ct))
            return Guard.Invalid("unitId", "被巡察单位不存在或无权访问。");
        if (req.RoundId is { } rid && !await db.Rounds.AnyAsync(r => r.Id == rid, ct)) return Guard.Invalid("roundId", "巡察轮次不存在或无权访问。");
        var i = new Inspection { UnitId = req.UnitId!.Value };
        if (Apply(i, req) is { } invalid) return invalid;
        db.Inspections.Add(i);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/inspections/{i.Id}", InspectionDto.From(i, settings.Value));
    }

    static async Task<IResult> EditInspection(long id, InspectionRequest req, RectifyDb db, IOptionsSnapshot<DeadlineSettings> settings, CancellationToken ct)
    {
        var i = await db.Inspections.Include(x => x.FeedbackDocuments).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return Guard.NotFound("检查");
        if (!db.Scope.Allows(Guard.SetupEditors)) return Guard.Forbidden();
        if (req.Version is null) return Guard.Invalid("version", "必须提供读取时的版本号 version。");
        if (req.UnitId != i.UnitId) return Guard.Invalid("unitId", "不能把检查改到另一个单位。");
        if (req.RoundId is { } rid && !await db.Rounds.AnyAsync(r => r.Id == rid, ct)) return Guard.Invalid("roundId", "巡察轮次不存在或无权访问。");
        db.ExpectVersion(i, req.Version);
        if (Apply(i, req) is { } invalid) return invalid;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(InspectionDto.From(i, settings.Value));
    }

    static IResult? Apply(Inspection i, InspectionRequest req)
    {
        if (req.OnSiteStart > req.OnSiteEnd) return Guard.Invalid("onSiteEnd", "巡察结束日期不能早于开始日期。");
        if (req.FeedbackDate < req.OnSiteStart) return Guard.Invalid("feedbackDate", "反馈日期不能早于巡察开始日期。");
        i.RoundId = req.RoundId;
        i.Team = req.Team?.Trim();
        (i.OnSiteStart, i.OnSiteEnd, i.FeedbackDate) = (req.OnSiteStart, req.OnSiteEnd, req.FeedbackDate);
        (i.NoticeTitle, i.Issuer, i.NoticeDate) = (req.NoticeTitle, req.Issuer, req.NoticeDate);
        (i.Opening, i.Overview, i.NextSteps) = (req.Opening, req.Overview, req.NextSteps);
        if (req.FeedbackDocuments is { } docs)
        {
            i.FeedbackDocuments.Clear();
            foreach (var d in docs) i.FeedbackDocuments.Add(new FeedbackDocument { UnitId = i.UnitId, Reference = d.Reference.Trim(), Title = d.Title });
        }
        return null;
    }

    static async Task<IResult> DeleteInspection(long id, int? version, RectifyDb db, CancellationToken ct)
    {
        var i = await db.Inspections.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (i is null) return Guard.NotFound("检查");
        if (!db.Scope.Allows([Role.Admin, Role.Office])) return Guard.Forbidden("只有巡察办或管理员可以删除整个检查。");
        db.ExpectVersion(i, version);
        db.Measures.RemoveRange(await db.Measures.Where(m => m.InspectionId == id).ToListAsync(ct));
        db.Problems.RemoveRange(await db.Problems.Where(p => p.InspectionId == id).ToListAsync(ct));
        db.Categories.RemoveRange(await db.Categories.Where(c => c.InspectionId == id).ToListAsync(ct));
        db.FeedbackDocuments.RemoveRange(await db.FeedbackDocuments.Where(d => d.InspectionId == id).ToListAsync(ct));
        db.Inspections.Remove(i);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
