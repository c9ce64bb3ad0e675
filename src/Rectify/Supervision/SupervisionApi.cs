using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Supervision;
using Rectify.Hosting;

namespace Rectify.Supervision;

public sealed record SheetRequest(
    [Required(ErrorMessage = "评分表名称不能为空。"), StringLength(200, MinimumLength = 1, ErrorMessage = "评分表名称长度须在 1–200 字之间。")] string Name,
    [Required(ErrorMessage = "请列出评分标准 criteria。")] Criterion[] Criteria,
    [Required(ErrorMessage = "请列出等次 grades。")] GradeBand[] Grades);

public sealed record SheetDto(string Name, IReadOnlyList<Criterion> Criteria, IReadOnlyList<GradeBand> Grades);

public sealed record EvaluationRequest(
    [Required(ErrorMessage = "必须指定单位 unitId。")] long? UnitId,
    [Required(ErrorMessage = "请填写各项得分 scores。")] Dictionary<string, decimal> Scores,
    [StringLength(2000, ErrorMessage = "评语过长。")] string? Comment = null);

public sealed record EvaluationDto(long UnitId, string UnitName, string CompletionRate, decimal? Total, string? Grade, string? FollowUp, string? FollowUpText,
    IReadOnlyDictionary<string, decimal>? Scores, string? Comment, DateTime? EvaluatedAt);

public sealed record EvaluationsDto(SheetDto Sheet, IReadOnlyList<EvaluationDto> Units, IReadOnlyDictionary<string, int> GradeCounts);

/// <summary>
/// Round-wide or year-wide figures as the API returns them: totals, outcomes and the rows of the units, lowest rate
/// first — all of them, or the page asked for (<see cref="UnitPage"/>); <c>UnitCount</c> is the number of all rows. The
/// problems behind "unfinished" and "basically completed" are a separate call (<see cref="FigureItemsDto"/>): at
/// province size they are tens of thousands of rows that a figures page does not show.
/// </summary>
public sealed record RoundFiguresDto(long? RoundId, string? RoundName, int? Year, DateOnly? AsOf, CompletionFigures Figures, string RateText,
    OutcomeTotals Outcomes, IReadOnlyList<UnitFigures> Units, int UnitCount, string Sentence)
{
    public static RoundFiguresDto From(RoundFiguresReport r, UnitPage page) => Paged(r with { Units = page.Of(r.Units) }, r.Units.Count);

    /// <summary>The answer of a report whose <see cref="RoundFiguresReport.Units"/> are already the page, of <paramref name="unitCount"/> rows in all.</summary>
    public static RoundFiguresDto Paged(RoundFiguresReport r, int unitCount) =>
        new(r.RoundId, r.RoundName, r.Year, r.AsOf, r.Figures, r.RateText, r.Outcomes, r.Units, unitCount, r.Sentence);
}

/// <summary>
/// Which unit rows of the figures to send: from <c>offset</c>, at most <c>limit</c> (all when not given). A meeting's
/// dashboard asks for the totals and the units furthest behind (<c>limit=20</c>) instead of 2 000 rows.
/// </summary>
public sealed record UnitPage(int Offset, int? Limit)
{
    public const int MaxLimit = 10_000;
    public static readonly UnitPage All = new(0, null);

    public IReadOnlyList<UnitFigures> Of(IReadOnlyList<UnitFigures> units) =>
        Offset == 0 && (Limit is null || Limit >= units.Count) ? units : [.. units.Skip(Offset).Take(Limit ?? int.MaxValue)];

    /// <summary>The page from the query string; the answer (in Chinese) when it is not one, else null.</summary>
    public static IResult? Parse(int? offset, int? limit, out UnitPage page)
    {
        page = new UnitPage(offset ?? 0, limit);
        return offset is < 0 ? Guard.Invalid("offset", "offset 不能为负数。")
            : limit is < 1 or > MaxLimit ? Guard.Invalid("limit", $"limit 须在 1 到 {MaxLimit} 之间。")
            : null;
    }
}

/// <summary>The drill-down behind the figures: which problems are unfinished and which basically completed.</summary>
public sealed record FigureItemsDto(CompletionFigures Figures, IReadOnlyList<FigureItem> Unfinished, IReadOnlyList<FigureItem> BasicallyCompleted);

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
        api.MapGet("/rounds/{id:long}/figures", RoundFigures).Produces<RoundFiguresDto>().WithSummary("全轮次整改统计（可按单位筛选、可查历史某日）");
        api.MapGet("/rounds/{id:long}/figures/items", RoundFigureItems).Produces<FigureItemsDto>().WithSummary("全轮次统计明细：未完成、基本完成的问题清单（筛选同上）");
        api.MapGet("/rounds/{id:long}/summary", RoundSummary).WithSummary("全轮次整改情况汇总（Markdown 或 DOCX）");
        api.MapGet("/figures", YearFigures).Produces<RoundFiguresDto>().WithSummary("某年度全部被巡察单位的整改统计");
        api.MapGet("/figures/items", YearFigureItems).Produces<FigureItemsDto>().WithSummary("年度统计明细：未完成、基本完成的问题清单");
        api.MapGet("/problems/{id:long}/similar", Similar).WithSummary("举一反三：其他单位和以往轮次的相似问题");
        api.MapGet("/rounds/{id:long}/clusters", Clusters).WithSummary("举一反三：本轮次各单位的共性问题分组");
        api.MapGet("/search", Search).WithSummary("全文检索问题、措施、周汇报和制度");
        api.MapPost("/rounds/{id:long}/carry-over", CarryOverRound).WithSummary("将本轮未完成整改的问题结转到后续轮次或回头看（巡察办）");
        api.MapGet("/rounds/{id:long}/evaluation-sheet", GetSheet).WithSummary("整改评估评分表（未配置时为默认百分制）");
        api.MapPut("/rounds/{id:long}/evaluation-sheet", PutSheet).WithSummary("配置整改评估评分表：评分标准与等次、后续处置");
        api.MapGet("/rounds/{id:long}/evaluations", ListEvaluations).WithSummary("各单位整改评估结果、等次分布");
        api.MapPut("/rounds/{id:long}/evaluations", Evaluate).WithSummary("评定一个单位：各项得分 → 总分、等次、后续处置（约谈、二次整改）");
        api.MapGet("/problems/{id:long}/history", History).WithSummary("问题的结转历史（本问题及其在以往轮次中的原问题）");
    }

    static async Task<IResult> RoundFigures(long id, DateOnly? asOf, long[]? unitId, int? offset, int? limit, HttpContext http, RectifyDb db, ReadCache cache, AuditHeads heads, CancellationToken ct)
    {
        var query = new FigureQuery(id, null, unitId, asOf);
        // A copy computed for this very scope at the current head proves the round visible to it (deleting a round or
        // moving it to another office is an event that moves the head): served without SQL, as the ledger is.
        if (db.Scope.Allows(OfficeViewers) && UnitPage.Parse(offset, limit, out var asked) is null
            && await CurrentFiguresAsync(db, cache, heads, query, asked, ct) is { } current)
            return ReadCache.Conditional(http, current);
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("全轮次统计仅供巡察办查看。");
        if (UnitPage.Parse(offset, limit, out var page) is { } invalid) return invalid;
        // Null: the round was deleted (or left the caller's scope) after the check above.
        return await CachedFiguresAsync(db, cache, heads, query, page, ct) is { } figures
            ? ReadCache.Conditional(http, figures) : Guard.NotFound("巡察轮次");
    }

    static async Task<IResult> RoundFigureItems(long id, DateOnly? asOf, long[]? unitId, RectifyDb db, ReadCache cache, AuditHeads heads, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("全轮次统计仅供巡察办查看。");
        return Items(await CachedFigureItemsAsync(db, cache, heads, new FigureQuery(id, null, unitId, asOf), ct));
    }

    static IResult Items(ReadCache.Cached? c)
    {
        var r = (RoundFiguresReport)c!.Value;
        return TypedResults.Ok(new FigureItemsDto(r.Figures, r.Unfinished, r.BasicallyCompleted));
    }

    /// <summary>The figures of a query as kept in the cache, with the generation of audit heads they were computed in.</summary>
    sealed record FiguresModel(RoundFiguresReport Report, long Generation);

    /// <summary>
    /// Figures computed once per (query, caller's scope) and kept until an audit event other than a weekly report's or an
    /// evidence file's is appended (every write appends one; the head comes from <see cref="AuditHeads.CurrentStructureAsync"/>:
    /// a stream of reports does not recompute them, a report that changes its measure's status does); concurrent
    /// requests share one computation. After such a change the copy — also one older than the cache's age limit — is
    /// brought up to date unit by unit when the heads can tell which units changed
    /// (<see cref="AuditHeads.FigureUnitsChangedSince"/>, <see cref="GetRoundFigures.RefreshAsync"/>): the first reader
    /// after a status change waits for that unit's rows, not for the round's. As-of dates are keyed like any other query
    /// and always computed whole. Each page of units is a copy of its own JSON cut from that one model (<paramref name="page"/>);
    /// a page asked for while there is no such model to bring up to date is read on its own instead
    /// (<see cref="GetRoundFigures.PageAsync"/>: a round's page from the kept rows, without reading every unit's row).
    /// </summary>
    static async Task<ReadCache.Cached?> CachedFiguresAsync(RectifyDb db, ReadCache cache, AuditHeads heads, FigureQuery q, UnitPage page, CancellationToken ct)
    {
        // The head and the generation it belongs to (a restore starts a new one between the two reads: read again).
        long generation, head;
        do
        {
            generation = heads.Generation;
            head = await heads.CurrentStructureAsync(ct);
        } while (generation != heads.Generation);
        var key = FiguresKey("figures", db, q);
        var previous = q.AsOf is null ? cache.Peek(key, evenExpired: true) : null;
        var pageKey = $"{key}|{page.Offset}|{page.Limit}";
        // A page of units, with no copy of every row to bring up to date: the database sums and sorts the kept rows, and
        // only the page is read (GetRoundFigures.PageAsync). A copy of its own, like the pages cut from a whole model.
        if (page.Limit is { } limit && q.AsOf is null
            && !(previous is { Value: FiguresModel old } && old.Generation == generation && previous.Validator <= head))
            return await cache.GetAsync(pageKey, head, async () =>
            {
                var (report, unitCount) = await GetRoundFigures.PageAsync(db, q, page.Offset, limit, CancellationToken.None);
                if (q.RoundId is not null && report.RoundName is null) return ((FiguresModel, object)?)null;
                return (new FiguresModel(report, generation), RoundFiguresDto.Paged(report, unitCount));
            });
        var model = await cache.GetAsync(key, head, async () =>
        {
            RoundFiguresReport report;
            if (previous is { Value: FiguresModel old } && old.Generation == generation && previous.Validator <= head
                && heads.FigureUnitsChangedSince(previous.Validator, generation) is { } changed)
                report = await GetRoundFigures.RefreshAsync(db, q, old.Report, changed, CancellationToken.None);
            else report = await GetRoundFigures.FiguresAsync(db, q, CancellationToken.None);
            // A round not found (through the caller's scope) in the snapshot the figures were read from: deleted or
            // moved out of the scope between the caller's check and the head. Not kept, or the copy at this head would
            // answer for a round that is gone (CurrentFiguresAsync serves such copies without asking the database).
            if (q.RoundId is not null && report.RoundName is null) return ((FiguresModel, object)?)null;
            return (new FiguresModel(report, generation), report.Figures);
        });
        if (model is null) return null;
        var whole = (FiguresModel)model.Value;
        return await cache.GetAsync(pageKey, model.Validator,
            () => Task.FromResult(((FiguresModel, object)?)(whole, RoundFiguresDto.From(whole.Report, page))));
    }

    /// <summary>A round's figures, every unit, computed into the read cache for the context's scope as a first read would (<see cref="Hosting.WarmUp"/>).</summary>
    internal static Task WarmFiguresAsync(RectifyDb db, ReadCache cache, AuditHeads heads, long roundId, CancellationToken ct) =>
        CachedFiguresAsync(db, cache, heads, new FigureQuery(roundId, null, null, null), UnitPage.All, ct);

    /// <summary>
    /// The page of <see cref="CachedFiguresAsync"/> if it is already computed at the current head and generation, without
    /// computing, refreshing or querying anything; null otherwise.
    /// </summary>
    static async ValueTask<ReadCache.Cached?> CurrentFiguresAsync(RectifyDb db, ReadCache cache, AuditHeads heads, FigureQuery q, UnitPage page, CancellationToken ct)
    {
        var generation = heads.Generation;
        var head = await heads.CurrentStructureAsync(ct);
        if (generation != heads.Generation) return null;
        // Every copy of a page holds the model it was made from (a whole one, or the page's own) and its generation.
        return cache.Peek($"{FiguresKey("figures", db, q)}|{page.Offset}|{page.Limit}") is { Value: FiguresModel model } hit
               && hit.Validator == head && model.Generation == generation
            ? hit : null;
    }

    /// <summary>The figures with the problem lists behind them (every problem read), kept like the figures.</summary>
    static async Task<ReadCache.Cached?> CachedFigureItemsAsync(RectifyDb db, ReadCache cache, AuditHeads heads, FigureQuery q, CancellationToken ct)
    {
        var head = await heads.CurrentStructureAsync(ct);
        return await cache.GetAsync(FiguresKey("figure-items", db, q), head, async () =>
        {
            var report = await GetRoundFigures.RunAsync(db, q, CancellationToken.None);
            return ((RoundFiguresReport, object)?)(report, report.Figures);
        });
    }

    /// <summary>The cache key of a figures query in the caller's scope.</summary>
    static string FiguresKey(string what, RectifyDb db, FigureQuery q)
    {
        var units = q.UnitIds is { Count: > 0 } u ? string.Join(',', u.Order()) : "";
        return $"{what}|{q.RoundId}|{q.Year}|{q.AsOf:yyyy-MM-dd}|{units}|{ReadCache.ScopeKey(db.Scope)}";
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

    static async Task<IResult> YearFigures(int? year, DateOnly? asOf, long[]? unitId, int? offset, int? limit, HttpContext http, RectifyDb db, ReadCache cache, AuditHeads heads, CancellationToken ct)
    {
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("年度统计仅供巡察办查看。");
        if (year is null or < 2000 or > 2100) return Guard.Invalid("year", "请指定年度，如 year=2022。");
        if (UnitPage.Parse(offset, limit, out var page) is { } invalid) return invalid;
        return ReadCache.Conditional(http, (await CachedFiguresAsync(db, cache, heads, new FigureQuery(null, year, unitId, asOf), page, ct))!);
    }

    static async Task<IResult> YearFigureItems(int? year, DateOnly? asOf, long[]? unitId, RectifyDb db, ReadCache cache, AuditHeads heads, CancellationToken ct)
    {
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("年度统计仅供巡察办查看。");
        if (year is null or < 2000 or > 2100) return Guard.Invalid("year", "请指定年度，如 year=2022。");
        return Items(await CachedFigureItemsAsync(db, cache, heads, new FigureQuery(null, year, unitId, asOf), ct));
    }

    /// <summary>Kept per (problem, take, caller's scope) until an audit event other than a weekly report's or an evidence
    /// file's is appended, like the figures (the comparison reads problems, not reports).</summary>
    static async Task<IResult> Similar(long id, int? take, HttpContext http, RectifyDb db, ReadCache cache, AuditHeads heads, CancellationToken ct)
    {
        if (!await db.Problems.AnyAsync(p => p.Id == id, ct)) return Guard.NotFound("问题");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("举一反三比对仅供巡察办查看。");
        if (take is < 1 or > 100) return Guard.Invalid("take", "take 须在 1–100 之间。");
        var head = await heads.CurrentStructureAsync(ct);
        var cached = await cache.GetAsync($"similar|{id}|{take ?? 10}|{ReadCache.ScopeKey(db.Scope)}", head, async () =>
        {
            var similar = await ProblemSimilarity.SimilarAsync(db, await heads.CurrentProblemsAsync(CancellationToken.None), id, take ?? 10, CancellationToken.None);
            return ((IReadOnlyList<SimilarProblem>, object)?)(similar, similar);
        });
        return ReadCache.Json(http, cached!);
    }

    static async Task<IResult> Clusters(long id, double? threshold, RectifyDb db, AuditHeads heads, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("共性问题分组仅供巡察办查看。");
        if (threshold is <= 0 or > 1) return Guard.Invalid("threshold", "相似度阈值须在 0–1 之间。");
        return TypedResults.Ok(await ProblemSimilarity.ClustersAsync(db, await heads.CurrentProblemsAsync(ct), id, threshold ?? ProblemSimilarity.ClusterThreshold, ct));
    }

    static async Task<IResult> CarryOverRound(long id, CarryOverRequest req, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(Guard.OfficeEditors)) return Guard.Forbidden("结转仅由巡察办操作。");
        return TypedResults.Ok(await CarryOver.RunAsync(db, id, req.ToRoundId!.Value, ct));
    }

    static async Task<IResult> GetSheet(long id, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("整改评估仅由巡察办操作。");
        var (criteria, grades, name) = await EvaluationRules.SheetAsync(db, id, ct);
        return TypedResults.Ok(new SheetDto(name, criteria, grades));
    }

    static async Task<IResult> PutSheet(long id, SheetRequest req, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(Guard.OfficeEditors)) return Guard.Forbidden("整改评估仅由巡察办操作。");
        EvaluationRules.Validate(req.Criteria, req.Grades);
        if (await db.UnitEvaluations.AnyAsync(e => e.RoundId == id, ct)) return Guard.Invalid("criteria", "本轮已有评估结果，不能再修改评分表。");
        var sheet = await db.EvaluationSheets.FirstOrDefaultAsync(s => s.RoundId == id, ct);
        if (sheet is null) db.EvaluationSheets.Add(sheet = new EvaluationSheet { RoundId = id, Name = req.Name.Trim() });
        sheet.Name = req.Name.Trim();
        sheet.Criteria = req.Criteria;
        sheet.Grades = req.Grades;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new SheetDto(sheet.Name, sheet.Criteria, sheet.Grades));
    }

    static async Task<IResult> ListEvaluations(long id, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("整改评估仅由巡察办操作。");
        var (criteria, grades, name) = await EvaluationRules.SheetAsync(db, id, ct);
        var figures = await GetRoundFigures.RunAsync(db, new FigureQuery(id), ct);
        var done = await db.UnitEvaluations.AsNoTracking().Where(e => e.RoundId == id).ToDictionaryAsync(e => e.UnitId, ct);
        var units = figures.Units.OrderBy(u => u.UnitName, StringComparer.Ordinal).Select(u => done.TryGetValue(u.UnitId, out var e)
                ? new EvaluationDto(u.UnitId, u.UnitName, u.RateText, e.Total, e.Grade, e.FollowUp, EvaluationRules.FollowUpWording(e.FollowUp),
                    System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, decimal>>(e.ScoresJson), e.Comment, e.EvaluatedAt)
                : new EvaluationDto(u.UnitId, u.UnitName, u.RateText, null, null, null, null, null, null, null)).ToList();
        var counts = grades.ToDictionary(g => g.Grade, g => done.Values.Count(e => e.Grade == g.Grade));
        return TypedResults.Ok(new EvaluationsDto(new SheetDto(name, criteria, grades), units, counts));
    }

    static async Task<IResult> Evaluate(long id, EvaluationRequest req, RectifyDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Rounds.AnyAsync(r => r.Id == id, ct)) return Guard.NotFound("巡察轮次");
        if (!db.Scope.Allows(Guard.OfficeEditors)) return Guard.Forbidden("整改评估仅由巡察办操作。");
        var unitId = req.UnitId!.Value;
        if (!await db.Inspections.AnyAsync(i => i.RoundId == id && i.UnitId == unitId, ct)) return Guard.Invalid("unitId", "该单位不在本轮巡察之列或无权访问。");
        var (criteria, grades, _) = await EvaluationRules.SheetAsync(db, id, ct);
        var (total, grade) = EvaluationRules.Score(criteria, grades, req.Scores);
        var e = await db.UnitEvaluations.FirstOrDefaultAsync(x => x.RoundId == id && x.UnitId == unitId, ct);
        if (e is null) db.UnitEvaluations.Add(e = new UnitEvaluation { RoundId = id, UnitId = unitId, Grade = grade.Grade });
        e.ScoresJson = System.Text.Json.JsonSerializer.Serialize(req.Scores);
        e.Total = total;
        e.Grade = grade.Grade;
        e.FollowUp = grade.FollowUp;
        e.Comment = req.Comment;
        e.EvaluatedAt = clock.GetUtcNow().UtcDateTime;
        e.EvaluatorUserId = db.Scope.UserId;
        await db.SaveChangesAsync(ct);
        var name = await db.Organisations.Where(o => o.Id == unitId).Select(o => o.Name).FirstAsync(ct);
        var figures = await GetRoundFigures.RunAsync(db, new FigureQuery(id, UnitIds: [unitId]), ct);
        return TypedResults.Ok(new EvaluationDto(unitId, name, figures.RateText, e.Total, e.Grade, e.FollowUp, EvaluationRules.FollowUpWording(e.FollowUp),
            req.Scores, e.Comment, e.EvaluatedAt));
    }

    static async Task<IResult> History(long id, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Problems.AnyAsync(p => p.Id == id, ct)) return Guard.NotFound("问题");
        return TypedResults.Ok(await CarryOver.HistoryAsync(db, id, ct));
    }

    /// <summary>
    /// Results are kept per (query, filters, caller's scope) until any audit event is appended, like the figures: a
    /// repeated search runs no SQL while the in-memory audit head is unchanged.
    /// </summary>
    static async Task<IResult> Search(string? q, long? unitId, long? roundId, string? status, string? kind, int? take, RectifyDb db, OfficeSearch search, HttpContext http, CancellationToken ct)
    {
        if (!db.Scope.Allows(OfficeViewers)) return Guard.Forbidden("跨单位检索仅供巡察办查看。");
        if (string.IsNullOrWhiteSpace(q)) return Guard.Invalid("q", "请输入检索词。");
        if (q.Length > 100) return Guard.Invalid("q", "检索词不能超过 100 字。");
        Core.Ledger.MeasureStatus? st = null;
        if (status is { Length: > 0 })
        {
            st = Core.Ledger.StatusRules.FromCode(status);
            if (st is null) return Guard.Invalid("status", "状态取值无效（如 in_progress、rectified）。");
        }
        SearchKind? k = null;
        if (kind is { Length: > 0 })
        {
            k = SearchKinds.Parse(kind);
            if (k is null) return Guard.Invalid("kind", "类型只能是 problem、measure、report 或 rule。");
        }
        if (take is < 1 or > 200) return Guard.Invalid("take", "take 须在 1–200 之间。");
        var cached = await search.RunAsync(db, new SearchQuery(q.Trim(), unitId, roundId, st, k, take ?? 50), ct);
        if (cached is not null) return ReadCache.Json(http, cached);
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(title: "检索繁忙", detail: "同时进行的检索过多，请稍后再试。", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
