using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Supervision;
using Rectify.Core.Workflow;
using Rectify.Workflow;

namespace Rectify.Supervision;

public sealed record GenerateDocumentBody(
    [Required(ErrorMessage = "必须指定文稿类型 kind（plan、report 或 disclosure）。")] string Kind,
    [StringLength(2000, ErrorMessage = "报送说明过长。")] string? Note = null);

public sealed record ReviewChainBody([Required(ErrorMessage = "请列出联审部门 officeIds（空数组恢复默认）。")] long[] OfficeIds);

public sealed record ReviewChainDto(long RoundId, bool IsDefault, IReadOnlyList<ReviewOffice> Offices);

/// <summary>
/// The documents units owe the inspection office after feedback (整改方案, 整改情况报告, 整改情况通报): deadlines and lights
/// per unit of a round, submission by the unit (upload DOCX/PDF, or generated from the ledger), and the joint review
/// (联审) by the offices of the round's review chain, each accepting or returning with an opinion.
/// </summary>
public static class DocumentsApi
{
    public static void MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("整改方案与报告：报送、联审");
        api.MapGet("/rounds/{id:long}/documents", RoundDocuments).WithSummary("本轮各单位整改方案、整改情况报告、公开的时限和红黄绿灯（巡察办）");
        api.MapGet("/rounds/{id:long}/review-chain", GetChain).WithSummary("本轮联审流程（依次审核的部门）");
        api.MapPut("/rounds/{id:long}/review-chain", PutChain).WithSummary("设置本轮联审流程，如巡察办 → 纪委监委 → 组织部（空数组恢复默认）");
        api.MapGet("/inspections/{id:long}/documents", InspectionDocuments).WithSummary("本单位应报文稿的时限、各版本及审核意见");
        api.MapPost("/inspections/{id:long}/documents", Upload).WithSummary("报送文稿：multipart 字段 kind（plan、report、disclosure）、file（DOCX 或 PDF）、note").DisableAntiforgery();
        api.MapPost("/inspections/{id:long}/documents/generate", Generate).WithSummary("由整改台账生成文稿（DOCX）并报送");
        api.MapGet("/documents/{id:long}", GetDocument).WithSummary("读取文稿版本及审核记录");
        api.MapGet("/documents/{id:long}/file", Download).WithSummary("下载文稿文件");
        api.MapPost("/documents/{id:long}/accept", Accept).WithSummary("审核通过（当前联审步骤的部门）");
        api.MapPost("/documents/{id:long}/return", Return).WithSummary("退回文稿（须写明意见）");
    }

    static GetDocumentDeadlines Deadlines(RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, IOptionsSnapshot<DeadlineSettings> d) => new(db, clock, s.Value, d.Value);

    static async Task<IResult> RoundDocuments(long id, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, IOptionsSnapshot<DeadlineSettings> d, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(SupervisionApi.OfficeViewers)) return Guard.Forbidden("各单位报送情况仅供巡察办查看。");
        return TypedResults.Ok(await Deadlines(db, clock, s, d).RoundAsync(id, ct));
    }

    static async Task<IResult> GetChain(long id, RectifyDb db, CancellationToken ct)
    {
        var round = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null) return Guard.NotFound("巡察轮次");
        return TypedResults.Ok(await ChainDto(db, round, ct));
    }

    static async Task<IResult> PutChain(long id, ReviewChainBody req, RectifyDb db, CancellationToken ct)
    {
        var outcome = await new SetReviewChain(db).RunAsync(id, req.OfficeIds, ct);
        return outcome.Refused is { } r ? WorkflowApi.Refused(r) : TypedResults.Ok(await ChainDto(db, outcome.Value!, ct));
    }

    static async Task<ReviewChainDto> ChainDto(RectifyDb db, InspectionRound round, CancellationToken ct)
    {
        var chain = ReviewChain.For(round);
        var names = await db.Organisations.IgnoreQueryFilters().Where(o => chain.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return new ReviewChainDto(round.Id, round.ReviewChain is null, [.. chain.Select(o => new ReviewOffice(o, names.GetValueOrDefault(o) ?? ""))]);
    }

    static async Task<IResult> InspectionDocuments(long id, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, IOptionsSnapshot<DeadlineSettings> d, CancellationToken ct) =>
        await Deadlines(db, clock, s, d).InspectionAsync(id, ct) is { } view ? TypedResults.Ok(view) : Guard.NotFound("检查");

    static async Task<IResult> Upload(long id, HttpRequest http, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        // Another unit's inspection is a 404 before the body is read.
        if (!await db.Inspections.AnyAsync(i => i.Id == id, ct)) return Guard.NotFound("检查");
        if (!http.HasFormContentType) return Guard.Invalid("file", "请以 multipart/form-data 上传，字段 kind 为文稿类型，file 为文件。");
        var form = await http.ReadFormAsync(ct);
        if (OwedDocuments.Parse(form["kind"].FirstOrDefault()) is not { } kind) return Guard.Invalid("kind", "文稿类型 kind 只能是 plan（整改方案）、report（整改情况报告）或 disclosure（整改情况通报）。");
        if (form.Files.GetFile("file") is not { } file) return Guard.Invalid("file", "请以 multipart/form-data 上传，文件字段名为 file。");
        var note = form["note"].FirstOrDefault();
        if (note is { Length: > 2000 }) return Guard.Invalid("note", "报送说明过长。");
        await using var stream = file.OpenReadStream();
        return Created(await new SubmitDocument(db, clock, s.Value).RunAsync(id, new SubmitDocumentInput(kind, file.FileName, stream, note), ct));
    }

    static async Task<IResult> Generate(long id, GenerateDocumentBody req, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        if (!await db.Inspections.AnyAsync(i => i.Id == id, ct)) return Guard.NotFound("检查");
        if (OwedDocuments.Parse(req.Kind) is not { } kind) return Guard.Invalid("kind", "文稿类型 kind 只能是 plan（整改方案）、report（整改情况报告）或 disclosure（整改情况通报）。");
        return Created(await new SubmitDocument(db, clock, s.Value).RunAsync(id, new SubmitDocumentInput(kind, null, null, req.Note), ct));
    }

    static IResult Created(Outcome<RectificationDocument> outcome) => outcome.Refused is { } r ? WorkflowApi.Refused(r)
        : TypedResults.Created($"/api/documents/{outcome.Value!.Id}", new { outcome.Value.Id, outcome.Value.Kind, outcome.Value.Number, outcome.Value.FileName,
            outcome.Value.ContentType, outcome.Value.Size, outcome.Value.Sha256, outcome.Value.Generated, outcome.Value.State });

    static async Task<IResult> GetDocument(long id, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, IOptionsSnapshot<DeadlineSettings> d, CancellationToken ct)
    {
        var inspectionId = await db.RectificationDocuments.Where(x => x.Id == id).Select(x => (long?)x.InspectionId).FirstOrDefaultAsync(ct);
        if (inspectionId is null) return Guard.NotFound("文稿");
        var view = await Deadlines(db, clock, s, d).InspectionAsync(inspectionId.Value, ct);
        return TypedResults.Ok(view!.Versions.Single(v => v.Id == id));
    }

    static async Task<IResult> Download(long id, HttpResponse response, RectifyDb db, CancellationToken ct)
    {
        var f = await db.RectificationDocuments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (f is null) return Guard.NotFound("文稿");
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        return TypedResults.File(f.Content, f.ContentType, f.FileName);
    }

    static Task<IResult> Accept(long id, OpinionBody req, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, IOptionsSnapshot<DeadlineSettings> d, CancellationToken ct) =>
        Decide(id, true, req.Opinion, db, clock, s, d, ct);

    static Task<IResult> Return(long id, OpinionBody req, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, IOptionsSnapshot<DeadlineSettings> d, CancellationToken ct) =>
        Decide(id, false, req.Opinion, db, clock, s, d, ct);

    static async Task<IResult> Decide(long id, bool accept, string? opinion, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, IOptionsSnapshot<DeadlineSettings> d, CancellationToken ct)
    {
        var outcome = await new ReviewDocument(db, clock).RunAsync(id, new DecisionInput(accept, opinion), ct);
        if (outcome.Refused is { } r) return WorkflowApi.Refused(r);
        var view = await Deadlines(db, clock, s, d).InspectionAsync(outcome.Value!.InspectionId, ct);
        return TypedResults.Ok(view!.Versions.Single(v => v.Id == id));
    }
}
