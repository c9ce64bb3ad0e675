using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Supervision;

namespace Rectify.Supervision;

public sealed record CarryOverRequest([Required(ErrorMessage = "必须指定目标轮次 toRoundId。")] long? ToRoundId);

/// <summary>
/// The inspection office's (巡察办) cross-unit views: round-wide and year-wide figures with their drill-down and summary
/// document, similar problems (举一反三) and clusters, search. Only office users and admins may use them; an office user
/// sees the units it supervises (the caller's scope). A unit user gets 403 on its own objects and 404 on others'.
/// </summary>
public static class SupervisionApi
{
    public static readonly Role[] OfficeViewers = [Role.Admin, Role.Office];

    public static void MapSupervisionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("巡察办：全轮次统计、举一反三、检索");
        api.MapGet("/rounds/{id:long}/figures", RoundFigures).WithSummary("全轮次整改统计（可按单位筛选、可查历史某日）");
        api.MapGet("/rounds/{id:long}/summary", RoundSummary).WithSummary("全轮次整改情况汇总（Markdown 或 DOCX）");
        api.MapGet("/figures", YearFigures).WithSummary("某年度全部被巡察单位的整改统计");
        api.MapGet("/problems/{id:long}/similar", Similar).WithSummary("举一反三：其他单位和以往轮次的相似问题");
        api.MapGet("/rounds/{id:long}/clusters", Clusters).WithSummary("举一反三：本轮次各单位的共性问题分组");
        api.MapGet("/search", Search).WithSummary("全文检索问题、措施、周汇报和制度");
        api.MapPost("/rounds/{id:long}/carry-over", CarryOverRound).WithSummary("将本轮未完成整改的问题结转到后续轮次或回头看（巡察办）");
        api.MapGet("/problems/{id:long}/history", History).WithSummary("问题的结转历史（本问题及其在以往轮次中的原问题）");
    }

    static async Task<IResult> RoundFigures(long id, DateOnly? asOf, long[]? unitId, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("全轮次统计仅供巡察办查看。");
        return TypedResults.Ok(await GetRoundFigures.RunAsync(db, new FigureQuery(id, null, unitId, asOf), ct));
    }

    static async Task<IResult> RoundSummary(long id, DateOnly? asOf, long[]? unitId, string? format, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("全轮次统计仅供巡察办查看。");
        if (format is not (null or "md" or "docx")) return Guard.Invalid("format", "格式只能是 md 或 docx。");
        var report = await GetRoundFigures.RunAsync(db, new FigureQuery(id, null, unitId, asOf), ct);
        if (format == "docx")
        {
            var ms = new MemoryStream();
            SummaryDocument.Docx(report, ms);
            return TypedResults.File(ms.ToArray(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "整改情况汇总.docx");
        }
        return TypedResults.Text(SummaryDocument.Markdown(report), "text/markdown; charset=utf-8");
    }

    static async Task<IResult> YearFigures(int? year, DateOnly? asOf, long[]? unitId, RectifyDb db, CancellationToken ct)
    {
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("年度统计仅供巡察办查看。");
        if (year is null or < 2000 or > 2100) return Guard.Invalid("year", "请指定年度，如 year=2022。");
        return TypedResults.Ok(await GetRoundFigures.RunAsync(db, new FigureQuery(null, year, unitId, asOf), ct));
    }

    static async Task<IResult> Similar(long id, int? take, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Problems.AnyAsync(p => p.Id == id, ct)) return Guard.NotFound("问题");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("举一反三比对仅供巡察办查看。");
        if (take is < 1 or > 100) return Guard.Invalid("take", "take 须在 1–100 之间。");
        return TypedResults.Ok(await ProblemSimilarity.SimilarAsync(db, id, take ?? 10, ct));
    }

    static async Task<IResult> Clusters(long id, double? threshold, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("共性问题分组仅供巡察办查看。");
        if (threshold is <= 0 or > 1) return Guard.Invalid("threshold", "相似度阈值须在 0–1 之间。");
        return TypedResults.Ok(await ProblemSimilarity.ClustersAsync(db, id, threshold ?? ProblemSimilarity.ClusterThreshold, ct));
    }

    static async Task<IResult> CarryOverRound(long id, CarryOverRequest req, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(Guard.OfficeEditors)) return Guard.Forbidden("结转仅由巡察办操作。");
        return TypedResults.Ok(await CarryOver.RunAsync(db, id, req.ToRoundId!.Value, ct));
    }

    static async Task<IResult> History(long id, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Problems.AnyAsync(p => p.Id == id, ct)) return Guard.NotFound("问题");
        return TypedResults.Ok(await CarryOver.HistoryAsync(db, id, ct));
    }

    static async Task<IResult> Search(string? q, long? unitId, long? roundId, string? status, string? kind, int? take, RectifyDb db, CancellationToken ct)
    {
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("跨单位检索仅供巡察办查看。");
        if (string.IsNullOrWhiteSpace(q)) return Guard.Invalid("q", "请输入检索词。");
        if (q.Length > 100) return Guard.Invalid("q", "检索词不能超过 100 字。");
        Core.Ledger.MeasureStatus? st = null;
        if (status is { Length: > 0 })
        {
            st = Enum.GetValues<Core.Ledger.MeasureStatus>().Where(s => Core.Ledger.StatusRules.Code(s) == status).Cast<Core.Ledger.MeasureStatus?>().FirstOrDefault();
            if (st is null) return Guard.Invalid("status", "状态取值无效（如 in_progress、rectified）。");
        }
        SearchKind? k = null;
        if (kind is { Length: > 0 })
        {
            k = SearchKinds.Parse(kind);
            if (k is null) return Guard.Invalid("kind", "类型只能是 problem、measure、report 或 rule。");
        }
        if (take is < 1 or > 200) return Guard.Invalid("take", "take 须在 1–200 之间。");
        var search = TextSearch.For(db);
        return TypedResults.Ok(await search.SearchAsync(db, new SearchQuery(q.Trim(), unitId, roundId, st, k, take ?? 50), ct));
    }
}
