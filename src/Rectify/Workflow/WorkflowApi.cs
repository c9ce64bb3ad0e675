using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Workflow;

public sealed record ReportRequest(
    [Required(ErrorMessage = "必须填写本周完成情况 done。"), StringLength(10000, MinimumLength = 1, ErrorMessage = "完成情况长度须在 1–10000 字之间。")] string Done,
    [Range(0, 100, ErrorMessage = "完成百分比须在 0–100 之间。")] int Percent,
    [StringLength(5000, ErrorMessage = "下一步计划过长。")] string? NextStep = null,
    DateOnly? Week = null, long[]? EvidenceIds = null,
    [StringLength(100, ErrorMessage = "幂等键过长（最多 100 个字符）。")] string? IdempotencyKey = null);

public sealed record ClosureRequestBody(
    [Required(ErrorMessage = "必须写明整改成效 statement。"), StringLength(20000, MinimumLength = 1, ErrorMessage = "整改成效长度须在 1–20000 字之间。")] string Statement,
    long[]? EvidenceIds = null);

public sealed record ExtensionRequestBody(
    [Required(ErrorMessage = "必须给出新的整改时限 newDeadline。")] DateOnly? NewDeadline,
    [Required(ErrorMessage = "必须写明延期理由 reason。"), StringLength(5000, MinimumLength = 1, ErrorMessage = "延期理由长度须在 1–5000 字之间。")] string Reason);

public sealed record OpinionBody([StringLength(5000, ErrorMessage = "审批意见过长。")] string? Opinion = null);

public sealed record ReasonBody([Required(ErrorMessage = "必须写明原因 reason。"), StringLength(5000, MinimumLength = 1, ErrorMessage = "原因长度须在 1–5000 字之间。")] string Reason);

public sealed record RemarkBody(
    [Required(ErrorMessage = "督查意见不能为空。"), StringLength(5000, MinimumLength = 1, ErrorMessage = "督查意见长度须在 1–5000 字之间。")] string Text,
    DateOnly? Week = null);

/// <summary>
/// Running the rectification: weekly reports (周汇报) and the office's grid (周督查), evidence files, closure (对账销号)
/// and extension requests through the unit's approval chain, 回头看, and the warning lights (红黄绿灯).
/// </summary>
public static class WorkflowApi
{
    /// <summary>A measure's weekly reports, under /api (the warm-up's reports go there too: Hosting/WarmUp.cs).</summary>
    internal const string ReportsRoute = "/measures/{id:long}/reports";

    public static void MapWorkflowApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("整改推进");
        api.MapPost(ReportsRoute, SubmitReport).WithSummary("提交周汇报（责任人；Idempotency-Key 防重复提交）");
        api.MapGet(ReportsRoute, ListReports).WithSummary("措施的周汇报");
        api.MapPost("/measures/{id:long}/remarks", AddRemark).WithSummary("填写督查意见（单位整改办、巡察办）");
        api.MapGet("/inspections/{id:long}/weekly", WeeklyGrid).WithSummary("周督查表：措施×周次（已报、迟报、未报），按人和部门统计未报");

        api.MapPost("/measures/{id:long}/evidence", Upload).WithSummary("上传佐证材料（multipart 字段 file；按内容识别类型）").DisableAntiforgery();
        api.MapGet("/measures/{id:long}/evidence", ListEvidence).WithSummary("措施的佐证材料");
        api.MapGet("/evidence/{id:long}", Download).WithSummary("下载佐证材料（附件方式）");
        api.MapGet("/evidence/{id:long}/preview", Preview).WithSummary("在页面中预览佐证材料（图片、PDF；inline）");

        api.MapPost("/measures/{id:long}/closure", RequestClosureEndpoint).WithSummary("申请对账销号（须附佐证材料）");
        api.MapPost("/measures/{id:long}/extension", RequestExtensionEndpoint).WithSummary("申请延期（新时限和理由）");
        api.MapGet("/measures/{id:long}/requests", ListRequests).WithSummary("措施的销号、延期申请及审批记录");
        api.MapGet("/measures/{id:long}/deadlines", DeadlineHistory).WithSummary("措施的原定时限和每次变更");
        api.MapPost("/measures/{id:long}/reopen", Reopen).WithSummary("回头看：重新打开已完成或已销号的措施");
        api.MapGet("/requests/{id:long}", GetRequest).WithSummary("读取申请及审批记录");
        api.MapPost("/requests/{id:long}/approve", Approve).WithSummary("审批通过当前步骤");
        api.MapPost("/requests/{id:long}/return", Return).WithSummary("退回申请（须写明意见）");

        api.MapGet("/inspections/{id:long}/lights", InspectionLights).WithSummary("红黄绿灯：措施、问题、部门、单位");
        api.MapGet("/lights", AllLights).WithSummary("红黄绿灯：可见的全部单位");
        api.MapGet("/lights/red", RedList).WithSummary("全部红灯事项及责任人");

        api.MapPost("/problems/{id:long}/figures", AddFigure).WithSummary("填报问题的整改成效数据（资金、人数、制度、会议等）");
        api.MapGet("/problems/{id:long}/figures", ListFigures).WithSummary("问题的整改成效数据");
        api.MapDelete("/figures/{id:long}", DeleteFigure).WithSummary("删除一条整改成效数据");
        api.MapGet("/outcomes", Outcomes).WithSummary("整改成效按单位汇总（可按轮次）");
        api.MapPost("/rules", AddRule).WithSummary("登记长效机制（制度、文件及其文号）");
        api.MapGet("/rules", ListRules).WithSummary("长效机制登记册");
        api.MapGet("/rules/{id:long}", GetRule).WithSummary("读取长效机制");
        api.MapDelete("/rules/{id:long}", DeleteRule).WithSummary("删除长效机制");

        api.MapGet("/units/{id:long}/approval-chain", GetChain).WithSummary("单位的销号/延期审批流程");
        api.MapPut("/units/{id:long}/approval-chain", PutChain).WithSummary("设置单位的审批流程（空数组恢复默认）");

        api.MapGet("/inbox", Inbox).WithSummary("我的提醒：周汇报到期、待审批、黄灯红灯");
        api.MapPost("/inbox/{id:long}/read", MarkRead).WithSummary("提醒标为已读");
    }

    internal static IResult Refused(Refusal r) => r.Status switch
    {
        404 => Guard.NotFound(r.Message.Replace("不存在或无权访问。", "")),
        403 => Guard.Forbidden(r.Message),
        400 when r.Field is { } f => Guard.Invalid(f, r.Message),
        409 => TypedResults.Problem(title: "冲突", detail: r.Message, statusCode: 409),
        _ => TypedResults.Problem(title: "请求不符合业务规则", detail: r.Message, statusCode: r.Status),
    };

    // Weekly reports

    /// <summary>
    /// No database work here: the submission is queued for <see cref="ReportWriter"/>, which checks and stores it with
    /// others in one transaction and answers after the commit (201; 200 for a key stored before).
    /// </summary>
    static async Task<IResult> SubmitReport(long id, ReportRequest req, HttpRequest http, CallerScope scope, ReportWriter writer, IOptionsMonitor<WorkflowSettings> s, CancellationToken ct)
    {
        var key = http.Headers["Idempotency-Key"].FirstOrDefault() ?? req.IdempotencyKey;
        var outcome = await writer.SubmitAsync(id, new WeeklyReportInput(req.Done, req.Percent, req.NextStep, req.Week, req.EvidenceIds, key), scope, s.CurrentValue, ct);
        if (outcome.Refused is { } r) return Refused(r);
        var dto = ReportDto.From(outcome.Value!.Report);
        return outcome.Value.Existed ? TypedResults.Ok(dto) : TypedResults.Created($"/api/measures/{id}/reports", dto);
    }

    static async Task<IResult> ListReports(long id, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Measures.AnyAsync(m => m.Id == id, ct)) return Guard.NotFound("整改措施");
        var list = await db.ProgressReports.AsNoTracking().Where(r => r.MeasureId == id).OrderBy(r => r.Week).ThenBy(r => r.SubmittedAt).ToListAsync(ct);
        return TypedResults.Ok(list.Select(ReportDto.From).ToList());
    }

    static async Task<IResult> AddRemark(long id, RemarkBody req, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        var outcome = await new AddSupervisionRemark(db, clock, s.Value).RunAsync(id, req.Text, req.Week, ct);
        return outcome.Refused is { } r ? Refused(r)
            : TypedResults.Created($"/api/measures/{id}/remarks", new RemarkView(outcome.Value!.Week, outcome.Value.Text, outcome.Value.At));
    }

    static async Task<IResult> WeeklyGrid(long id, DateOnly? from, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct) =>
        await new GetWeeklyGrid(db, clock, s.Value).RunAsync(id, from, ct) is { } grid ? TypedResults.Ok(grid) : Guard.NotFound("检查");

    // Evidence

    static async Task<IResult> Upload(long id, HttpRequest http, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        // Another unit's measure is a 404 before the body is read.
        if (!await db.Measures.AnyAsync(m => m.Id == id, ct)) return Guard.NotFound("整改措施");
        if (!http.HasFormContentType) return Guard.Invalid("file", "请以 multipart/form-data 上传，文件字段名为 file。");
        var form = await http.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file) return Guard.Invalid("file", "请以 multipart/form-data 上传，文件字段名为 file。");
        await using var stream = file.OpenReadStream();
        var outcome = await new UploadEvidence(db, clock, s.Value).RunAsync(id, file.FileName, stream, ct);
        return outcome.Refused is { } r ? Refused(r) : TypedResults.Created($"/api/evidence/{outcome.Value!.Id}", EvidenceDto.From(outcome.Value));
    }

    static async Task<IResult> ListEvidence(long id, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Measures.AnyAsync(m => m.Id == id, ct)) return Guard.NotFound("整改措施");
        var list = await db.EvidenceFiles.AsNoTracking().Where(f => f.MeasureId == id).OrderBy(f => f.Id)
            .Select(f => new EvidenceDto(f.Id, f.MeasureId, f.ClosureRequestId, f.ProgressReportId, f.FileName, f.ContentType, f.Size, f.Sha256, f.UploadedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    static async Task<IResult> Download(long id, HttpResponse response, RectifyDb db, CancellationToken ct)
    {
        var f = await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (f is null) return Guard.NotFound("佐证材料");
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        return TypedResults.File(f.Content, f.ContentType, f.FileName);
    }

    /// <summary>The content types shown inline in the approval queue: images and PDF (the type was checked by content on upload).</summary>
    public static bool Previewable(string contentType) => contentType is "application/pdf" or "image/png" or "image/jpeg" or "image/gif" or "image/webp";

    /// <summary>
    /// Inline for images and PDF (the approval queue embeds them), same scoping as the download. The file is still
    /// denied scripts and other resources; only this app's pages may frame it.
    /// </summary>
    static async Task<IResult> Preview(long id, HttpResponse response, RectifyDb db, CancellationToken ct)
    {
        var f = await db.EvidenceFiles.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (f is null) return Guard.NotFound("佐证材料");
        if (!Previewable(f.ContentType)) return Guard.Invalid("id", "该类型的文件不能在线预览，请下载后查看。");
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "SAMEORIGIN";
        // Chromium's PDF viewer does not run in a sandboxed document, so PDFs get no 'sandbox'; no script source either way.
        response.Headers.ContentSecurityPolicy = f.ContentType == "application/pdf"
            ? "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
            : "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'self'";
        var name = Uri.EscapeDataString(f.FileName);
        response.Headers.ContentDisposition = $"inline; filename*=UTF-8''{name}";
        return TypedResults.Bytes(f.Content, f.ContentType);
    }

    // Closure, extension, decisions

    static async Task<IResult> RequestClosureEndpoint(long id, ClosureRequestBody req, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        var outcome = await new RequestClosure(db, clock, s.Value).RunAsync(id, new ClosureInput(req.Statement, req.EvidenceIds ?? []), ct);
        return outcome.Refused is { } r ? Refused(r) : TypedResults.Created($"/api/requests/{outcome.Value!.Id}", RequestDto.From(outcome.Value, []));
    }

    static async Task<IResult> RequestExtensionEndpoint(long id, ExtensionRequestBody req, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        var outcome = await new RequestExtension(db, clock, s.Value).RunAsync(id, new ExtensionInput(req.NewDeadline!.Value, req.Reason), ct);
        return outcome.Refused is { } r ? Refused(r) : TypedResults.Created($"/api/requests/{outcome.Value!.Id}", RequestDto.From(outcome.Value, []));
    }

    static async Task<IResult> ListRequests(long id, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Measures.AnyAsync(m => m.Id == id, ct)) return Guard.NotFound("整改措施");
        var requests = await db.ClosureRequests.AsNoTracking().Where(r => r.MeasureId == id).OrderBy(r => r.Id).ToListAsync(ct);
        var ids = requests.Select(r => r.Id).ToList();
        var steps = (await db.ApprovalSteps.AsNoTracking().Where(a => ids.Contains(a.RequestId)).OrderBy(a => a.Id).ToListAsync(ct)).ToLookup(a => a.RequestId);
        return TypedResults.Ok(requests.Select(r => RequestDto.From(r, steps[r.Id])).ToList());
    }

    static async Task<IResult> GetRequest(long id, RectifyDb db, CancellationToken ct)
    {
        var r = await db.ClosureRequests.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return Guard.NotFound("申请");
        var steps = await db.ApprovalSteps.AsNoTracking().Where(a => a.RequestId == id).OrderBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(RequestDto.From(r, steps));
    }

    static Task<IResult> Approve(long id, OpinionBody? req, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct) =>
        Decide(id, true, req?.Opinion, db, clock, s.Value, ct);

    static Task<IResult> Return(long id, OpinionBody? req, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct) =>
        Decide(id, false, req?.Opinion, db, clock, s.Value, ct);

    static async Task<IResult> Decide(long id, bool approve, string? opinion, RectifyDb db, TimeProvider clock, WorkflowSettings s, CancellationToken ct)
    {
        var outcome = await new DecideRequest(db, clock, s).RunAsync(id, new DecisionInput(approve, opinion), ct);
        if (outcome.Refused is { } r) return Refused(r);
        var steps = await db.ApprovalSteps.AsNoTracking().Where(a => a.RequestId == id).OrderBy(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(RequestDto.From(outcome.Value!, steps));
    }

    static async Task<IResult> DeadlineHistory(long id, RectifyDb db, CancellationToken ct)
    {
        var m = await db.Measures.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return Guard.NotFound("整改措施");
        var changes = await db.DeadlineChanges.AsNoTracking().Where(d => d.MeasureId == id).OrderBy(d => d.Id)
            .Select(d => new DeadlineChangeDto(d.OldDeadline, d.NewDeadline, d.Reason, d.ChangedByUserId, d.At, d.RequestId)).ToListAsync(ct);
        return TypedResults.Ok(new DeadlineHistoryDto(m.Id, m.OriginalDeadline ?? m.Deadline, m.Deadline, changes));
    }

    static async Task<IResult> Reopen(long id, ReasonBody req, RectifyDb db, CancellationToken ct)
    {
        var outcome = await new ReopenMeasure(db).RunAsync(id, req.Reason, ct);
        return outcome.Refused is { } r ? Refused(r) : TypedResults.Ok(await MeasureDto.FromAsync(db, outcome.Value!, ct));
    }

    // Lights

    static async Task<IResult> InspectionLights(long id, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        if (!await db.Inspections.AnyAsync(i => i.Id == id, ct)) return Guard.NotFound("检查");
        return TypedResults.Ok(await new GetLights(db, clock, s.Value).RunAsync(id, ct));
    }

    static async Task<IResult> AllLights(RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct) =>
        TypedResults.Ok(await new GetLights(db, clock, s.Value).RunAsync(null, ct));

    // Outcome figures and the register of rules

    static async Task<IResult> AddFigure(long id, FigureBody req, RectifyDb db, CancellationToken ct)
    {
        var outcome = await new RecordOutcomeFigure(db).RunAsync(id, new FigureInput(req.Kind, req.Value!.Value, req.MeasureId, req.Note), ct);
        return outcome.Refused is { } r ? Refused(r) : TypedResults.Created($"/api/figures/{outcome.Value!.Id}", FigureDto.From(outcome.Value));
    }

    static async Task<IResult> ListFigures(long id, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Problems.AnyAsync(p => p.Id == id, ct)) return Guard.NotFound("问题");
        var list = await db.OutcomeFigures.AsNoTracking().Where(f => f.ProblemId == id).OrderBy(f => f.Id).ToListAsync(ct);
        return TypedResults.Ok(list.Select(FigureDto.From).ToList());
    }

    static async Task<IResult> DeleteFigure(long id, RectifyDb db, CancellationToken ct)
    {
        var f = await db.OutcomeFigures.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (f is null) return Guard.NotFound("成效数据");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        db.OutcomeFigures.Remove(f);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> Outcomes(long? unitId, long? roundId, RectifyDb db, CancellationToken ct) =>
        TypedResults.Ok(await new SumOutcomes(db).RunAsync(unitId, roundId, ct));

    static async Task<IResult> AddRule(RuleBody req, RectifyDb db, CancellationToken ct)
    {
        var outcome = await new RegisterRule(db).RunAsync(new RuleInput(req.UnitId!.Value, req.Title, req.Reference, req.IssuedOn, req.Issuer, req.FileId, req.ProblemIds ?? []), ct);
        return outcome.Refused is { } r ? Refused(r) : TypedResults.Created($"/api/rules/{outcome.Value!.Id}", RuleDto.From(outcome.Value));
    }

    static async Task<IResult> ListRules(long? unitId, long? problemId, RectifyDb db, CancellationToken ct)
    {
        var q = db.Rules.AsNoTracking();
        if (unitId is { } u) q = q.Where(r => r.UnitId == u);
        var list = await q.OrderBy(r => r.IssuedOn).ThenBy(r => r.Id).ToListAsync(ct);
        if (problemId is { } p) list = [.. list.Where(r => r.ProblemIds.Contains(p))];
        return TypedResults.Ok(list.Select(RuleDto.From).ToList());
    }

    static async Task<IResult> GetRule(long id, RectifyDb db, CancellationToken ct) =>
        await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } r ? TypedResults.Ok(RuleDto.From(r)) : Guard.NotFound("长效机制");

    static async Task<IResult> DeleteRule(long id, RectifyDb db, CancellationToken ct)
    {
        var r = await db.Rules.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return Guard.NotFound("长效机制");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        db.Rules.Remove(r);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    // Approval chain of a unit

    static async Task<IResult> GetChain(long id, RectifyDb db, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        var unit = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.Kind == Core.Organisations.OrganisationKind.Unit, ct);
        return unit is null ? Guard.NotFound("单位") : TypedResults.Ok(ChainDto.From(unit.Id, s.Value.ChainFor(unit.Id, unit.ApprovalChain), unit.ApprovalChain is null));
    }

    static async Task<IResult> PutChain(long id, ChainBody req, RectifyDb db, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct)
    {
        var outcome = await new SetApprovalChain(db).RunAsync(id, req.Steps ?? [], ct);
        return outcome.Refused is { } r ? Refused(r)
            : TypedResults.Ok(ChainDto.From(id, s.Value.ChainFor(id, outcome.Value!.ApprovalChain), outcome.Value.ApprovalChain is null));
    }

    // Inbox: a user's own reminders only; another user's reminder is not found.

    static async Task<IResult> Inbox(bool? unread, RectifyDb db, CancellationToken ct)
    {
        var q = db.Reminders.AsNoTracking().Where(r => r.UserId == db.Scope.UserId);
        if (unread == true) q = q.Where(r => r.ReadAt == null);
        var list = await q.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(200)
            .Select(r => new ReminderDto(r.Id, r.Kind, r.Title, r.MeasureId, r.CreatedAt, r.ReadAt)).ToListAsync(ct);
        return TypedResults.Ok(list);
    }

    static async Task<IResult> MarkRead(long id, RectifyDb db, TimeProvider clock, CancellationToken ct)
    {
        var r = await db.Reminders.FirstOrDefaultAsync(x => x.Id == id && x.UserId == db.Scope.UserId, ct);
        if (r is null) return Guard.NotFound("提醒");
        r.ReadAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> RedList(RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> s, CancellationToken ct) =>
        TypedResults.Ok((await new GetLights(db, clock, s.Value).RunAsync(null, ct)).Measures.Where(m => m.Light == Light.Red).ToList());
}

public sealed record FigureBody(
    [Required(ErrorMessage = "必须给出成效类别 kind。"), StringLength(50, ErrorMessage = "成效类别过长。")] string Kind,
    [Required(ErrorMessage = "必须给出数值 value。")] decimal? Value,
    long? MeasureId = null,
    [StringLength(1000, ErrorMessage = "说明过长。")] string? Note = null);

public sealed record RuleBody(
    [Required(ErrorMessage = "必须给出单位 unitId。")] long? UnitId,
    [Required(ErrorMessage = "制度名称不能为空。"), StringLength(500, MinimumLength = 1, ErrorMessage = "制度名称长度须在 1–500 字之间。")] string Title,
    [StringLength(100, ErrorMessage = "文号过长。")] string? Reference = null,
    DateOnly? IssuedOn = null,
    [StringLength(200, ErrorMessage = "发文机关过长。")] string? Issuer = null,
    long? FileId = null, long[]? ProblemIds = null);

public sealed record FigureDto(long Id, long? ProblemId, long? MeasureId, string Kind, string Label, decimal Value, string Unit, string? Note, int Version)
{
    public static FigureDto From(OutcomeFigure f) => new(f.Id, f.ProblemId, f.MeasureId, f.Kind,
        OutcomeKinds.All.TryGetValue(f.Kind, out var k) ? k.Label : f.Kind, f.Value, f.Unit, f.Note, f.Version);
}

public sealed record RuleDto(long Id, long UnitId, string Title, string? Reference, DateOnly? IssuedOn, string? Issuer, long? FileId, IReadOnlyList<long> ProblemIds, int Version)
{
    public static RuleDto From(RuleDocument r) => new(r.Id, r.UnitId, r.Title, r.Reference, r.IssuedOn, r.Issuer, r.FileId, r.ProblemIds, r.Version);
}

public sealed record ChainBody([Required(ErrorMessage = "必须给出审批步骤 steps。")] string[]? Steps);

public sealed record ChainDto(long UnitId, IReadOnlyList<string> Steps, IReadOnlyList<string> StepTexts, bool IsDefault)
{
    public static ChainDto From(long unitId, string[] steps, bool isDefault) => new(unitId, steps, [.. steps.Select(ApprovalChain.Wording)], isDefault);
}

public sealed record ReminderDto(long Id, string Kind, string Title, long? MeasureId, DateTime CreatedAt, DateTime? ReadAt);

public sealed record ReportDto(long Id, long MeasureId, DateOnly Week, long AuthorUserId, string Done, int Percent, string? NextStep, DateTime SubmittedAt, string? IdempotencyKey)
{
    public static ReportDto From(ProgressReport r) => new(r.Id, r.MeasureId, r.Week, r.AuthorUserId, r.Done, r.Percent, r.NextStep, r.SubmittedAt, r.IdempotencyKey);
}

public sealed record EvidenceDto(long Id, long? MeasureId, long? ClosureRequestId, long? ProgressReportId, string FileName, string ContentType, long Size, string Sha256, DateTime UploadedAt)
{
    public static EvidenceDto From(EvidenceFile f) => new(f.Id, f.MeasureId, f.ClosureRequestId, f.ProgressReportId, f.FileName, f.ContentType, f.Size, f.Sha256, f.UploadedAt);
}

public sealed record StepDto(int StepIndex, string StepKind, string StepText, long DecidedByUserId, RequestState Decision, string? Opinion, DateTime At);

public sealed record RequestDto(long Id, long MeasureId, RequestKind Kind, long RequestedByUserId, DateTime RequestedAt, string Statement, DateOnly? NewDeadline,
    RequestState State, IReadOnlyList<string> Chain, string? CurrentStep, DateTime? DecidedAt, IReadOnlyList<StepDto> Steps, int Version)
{
    public static RequestDto From(ClosureRequest r, IEnumerable<ApprovalStep> steps) => new(r.Id, r.MeasureId, r.Kind, r.RequestedByUserId, r.RequestedAt,
        r.Statement, r.NewDeadline, r.State, r.ChainSteps, r.CurrentStep, r.DecidedAt,
        [.. steps.Select(a => new StepDto(a.StepIndex, a.StepKind, ApprovalChain.Wording(a.StepKind), a.DecidedByUserId, a.Decision, a.Opinion, a.At))], r.Version);
}

public sealed record DeadlineChangeDto(DateOnly? OldDeadline, DateOnly NewDeadline, string Reason, long ChangedByUserId, DateTime At, long? RequestId);
public sealed record DeadlineHistoryDto(long MeasureId, DateOnly? OriginalDeadline, DateOnly? Deadline, IReadOnlyList<DeadlineChangeDto> Changes);
