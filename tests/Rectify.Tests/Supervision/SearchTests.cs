using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Core.Performance;
using Rectify.Core.Supervision;
using Rectify.Core.Workflow;
using Rectify.Tests.Support;

namespace Rectify.Tests.Supervision;

/// <summary>
/// Full-text search on a generated province against an independent LIKE query per kind: the same rows, in the documented
/// order (problems, measures, reports, rules; newest first within a kind), cut at take; with kind, status and unit
/// filters; and within the caller's scope.
/// </summary>
public class SearchTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>Terms of 1–2 characters (scan), of 3+ (trigram index), two terms, a term that occurs nowhere.</summary>
    static readonly string[] Queries = ["车", "整改", "食堂", "资金", "公务接待", "台账记录不完整", "整改推进", "专项资金 凭证", "合同 万元", "管理办法", "小金库"];

    /// <summary>The filters each query is compared under: none, a small take, each kind, statuses, one unit, the round.</summary>
    static (string Filter, SearchKind? Kind, MeasureStatus? Status, long? Unit, long? Round, int Take)[] Filters(long someUnit, long round) =>
    [
        ("", null, null, null, null, 200),
        ("", null, null, null, null, 7),
        ("&kind=measure", SearchKind.Measure, null, null, null, 200),
        ("&kind=report", SearchKind.Report, null, null, null, 30),
        ("&kind=rule", SearchKind.Rule, null, null, null, 200),
        ("&status=in_progress", null, MeasureStatus.InProgress, null, null, 200),
        ("&status=rectified", null, MeasureStatus.Rectified, null, null, 200),
        ("&kind=problem&status=not_started", SearchKind.Problem, MeasureStatus.NotStarted, null, null, 200),
        ("&kind=problem&status=in_progress", SearchKind.Problem, MeasureStatus.InProgress, null, null, 200),
        ("&kind=measure&status=rectified", SearchKind.Measure, MeasureStatus.Rectified, null, null, 5),
        ($"&unitId={someUnit}", null, null, someUnit, null, 200),
        ($"&roundId={round}", null, null, null, round, 200),
        ($"&roundId={round}&status=in_progress", null, MeasureStatus.InProgress, null, round, 200),
        ($"&kind=report&roundId={round}", SearchKind.Report, null, null, round, 30),
    ];

    [Theory, MemberData(nameof(Providers))]
    public async Task Search_GeneratedProvince_EqualsIndependentLikeQuery_WithFilters(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        var g = await app.GenerateAsync(new ProvinceSize(Units: 4, ProblemsPerUnit: 10, MeasuresPerProblem: 2, Weeks: 3, Seed: 5));
        var admin = await app.ClientFor("admin");
        long someUnit;
        await using (var db = app.Open())
        {
            someUnit = await db.Inspections.Where(i => i.RoundId == g.RoundId).OrderBy(i => i.Id).Select(i => i.UnitId).Skip(1).FirstAsync();
            // The newest reports belong to another round (the seeded units'): a round filter must drop them.
            var admin1 = await db.Users.Where(u => u.UserName == "admin").Select(u => u.Id).SingleAsync();
            foreach (var m in await db.Measures.Where(m => !db.Inspections.Any(i => i.Id == m.InspectionId && i.RoundId == g.RoundId)).ToListAsync())
                db.ProgressReports.Add(new ProgressReport
                {
                    MeasureId = m.Id, UnitId = m.UnitId, Week = new DateOnly(2022, 6, 27), AuthorUserId = admin1, Percent = 50,
                    Done = "整改推进中，专项资金凭证已补齐", NextStep = "食堂管理", SubmittedAt = app.Clock.GetUtcNow().UtcDateTime,
                });
            Assert.True(await db.SaveChangesAsync() > 0);
        }

        var compared = 0;
        var kindsSeen = new HashSet<string>();
        foreach (var text in Queries)
            foreach (var (filter, kind, status, unit, round, take) in Filters(someUnit, g.RoundId))
            {
                var got = await Hits(admin, $"/api/search?q={Uri.EscapeDataString(text)}{filter}&take={take}");
                await using var db = app.Open(CallerScope.System);
                var expected = await ExpectedAsync(db, text, kind, status, unit is null ? null : [unit.Value], take, round);
                Assert.True(expected.SequenceEqual(got), $"{provider} q={text}{filter}&take={take}: expected {expected.Count} [{string.Join(", ", expected.Take(8))}…], got {got.Count} [{string.Join(", ", got.Take(8))}…]");
                compared += got.Count;
                kindsSeen.UnionWith(got.Select(h => h.Split(':')[0]));
            }
        // The comparison saw real results, with every kind among them.
        Assert.True(compared > 300, $"only {compared} hits compared");
        Assert.Equal(["measure", "problem", "report", "rule"], kindsSeen.Order());
    }

    /// <summary>
    /// The same comparison with a window of 1, 6 or 40 newest rows per kind, so that nearly every match is found below
    /// it through the index (trigram phrases; on SQLite the vocabulary for short terms, on PostgreSQL the characters
    /// index), and across the window's edge; with texts that end in a one- or two-character term and a term that occurs
    /// nowhere.
    /// </summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task Search_BelowTheWindow_FindsTheSameRowsThroughTheIndex(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        var g = await app.GenerateAsync(new ProvinceSize(Units: 4, ProblemsPerUnit: 10, MeasuresPerProblem: 2, Weeks: 3, Seed: 5));
        long someUnit, casedRule;
        await using (var db = app.Open(CallerScope.System))
        {
            someUnit = await db.Inspections.Where(i => i.RoundId == g.RoundId).OrderBy(i => i.Id).Select(i => i.UnitId).Skip(1).FirstAsync();
            // The searched text's last characters: a two-character term ending a problem, a one-character term ending a
            // measure (both rare, so only the index can find them below the window).
            var problem = await db.Problems.OrderBy(p => p.Id).Skip(3).FirstAsync();
            problem.Description = "经核查，食堂采购单据缺失鸭梨";
            var measure = await db.Measures.OrderBy(m => m.Id).Skip(5).FirstAsync();
            measure.Progress = "已整改到位，鹅";
            // Cased letters outside ASCII: SQLite's trigram index folds their case, its LIKE does not (and µ folds to μ).
            var rules = await db.Rules.OrderBy(r => r.Id).Take(3).ToListAsync();
            (rules[0].Title, rules[0].Reference) = ("关于Ωmega项目µg检测的规定", null);
            (rules[1].Title, rules[1].Reference) = ("ωmega项目μg复查", null);
            await db.SaveChangesAsync();
            casedRule = rules[0].Id;
        }
        string[] queries = [.. Queries, "鸭梨", "鹅", "缺失鸭梨", "梨", "鸭梨 食堂", "鹅鸭"];
        var compared = 0;
        foreach (var window in new[] { 1, 6, 40 })
            foreach (var text in queries)
                foreach (var (filter, kind, status, unit, round, take) in Filters(someUnit, g.RoundId))
                {
                    await using var db = app.Open(CallerScope.System);
                    var search = TextSearch.For(db, window);
                    var got = (await search.SearchAsync(db, new SearchQuery(text, unit, round, status, kind, take)))
                        .Select(h => $"{SearchKinds.Code(h.Kind)}:{h.Id}").ToList();
                    var expected = await ExpectedAsync(db, text, kind, status, unit is null ? null : [unit.Value], take, round);
                    Assert.True(expected.SequenceEqual(got), $"{provider} window {window} q={text}{filter}&take={take}: expected {expected.Count} [{string.Join(", ", expected.Take(8))}…], got {got.Count} [{string.Join(", ", got.Take(8))}…]");
                    compared += got.Count;
                }
        Assert.True(compared > 900, $"only {compared} hits compared");
        // Terms with cased letters: whatever a provider's own test says (SQLite: LIKE, case-blind for ASCII only;
        // PostgreSQL: ILIKE), the answer does not depend on how many rows the window holds.
        foreach (var text in new[] { "µg", "µ", "Ωmega", "ωmega", "ΩMEGA", "mega", "MEGA 项目", "Ω" })
            foreach (var window in new[] { 1, 6 })
            {
                await using var db = app.Open(CallerScope.System);
                async Task<List<string>> Run(int rows)
                {
                    var search = TextSearch.For(db, rows);
                    return [.. (await search.SearchAsync(db, new SearchQuery(text, Take: 200))).Select(h => $"{SearchKinds.Code(h.Kind)}:{h.Id}")];
                }
                var direct = await Run(1_000_000);
                Assert.True(direct.SequenceEqual(await Run(window)), $"{provider} q={text}: window {window} differs from testing every row");
                if (text is "µg" or "Ωmega" or "µ") Assert.Contains($"rule:{casedRule}", direct);
            }
        // The texts that end in a short term were found (not only equal to the expectation).
        await using (var db = app.Open(CallerScope.System))
        {
            var search = TextSearch.For(db, 1);
            Assert.Single(await search.SearchAsync(db, new SearchQuery("鸭梨")));
            Assert.Single(await search.SearchAsync(db, new SearchQuery("鹅")));
            Assert.Empty(await search.SearchAsync(db, new SearchQuery("鹅鸭")));
        }
        // PostgreSQL: every GIN index of the database — the search's, and any added later — keeps a small pending list,
        // which each search through it reads whole (migration SmallGinPendingLists).
        if (provider == "postgresql")
        {
            await using var db = app.Open(CallerScope.System);
            var gin = await db.Database.SqlQueryRaw<string>(
                "SELECT c.relname || ' ' || coalesce(array_to_string(c.reloptions, ','), '') AS \"Value\" FROM pg_index i " +
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'gin'").ToListAsync();
            Assert.Equal(PostgresTextSearch.GinIndexes().Order(), gin.Select(g => g.Split(' ')[0]).Order());
            Assert.All(gin, g => Assert.Contains($"gin_pending_list_limit={PostgresTextSearch.GinPendingListKb}", g.Split(' ')[1].Split(',')));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Search_OfficeUser_SeesOnlyTheUnitsItSupervises(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        GeneratedProvince g;
        await using (var db = app.Open())
        {
            g = await new ProvinceGenerator(db, app.Clock).RunAsync(new ProvinceSize(Units: 3, ProblemsPerUnit: 6, MeasuresPerProblem: 2, Weeks: 2, Seed: 9));
            var genOffice = await db.Organisations.SingleAsync(o => o.Kind == OrganisationKind.Office && o.Name.Contains("生成"));
            await Users.AddAsync(db, "gen-office", Role.Office, TestApp.Password, null, genOffice.Id);
            var other = new Organisation { Kind = OrganisationKind.Office, Name = "市委巡察办" };
            db.Organisations.Add(other);
            await db.SaveChangesAsync();
            await Users.AddAsync(db, "office2", Role.Office, TestApp.Password, null, other.Id);
        }
        long[] genUnits;
        await using (var db = app.Open(CallerScope.System))
            genUnits = [.. await db.Inspections.Where(i => i.RoundId == g.RoundId).Select(i => i.UnitId).ToListAsync()];
        var admin = await app.ClientFor("admin");
        var genOfficeClient = await app.ClientFor("gen-office");
        var office2 = await app.ClientFor("office2");
        foreach (var text in new[] { "整改", "资金", "公务接待", "落实整改措施" })
        {
            var url = $"/api/search?q={Uri.EscapeDataString(text)}&take=200";
            // The admin's answer first, so a scope-blind result cache would hand it to the others.
            var all = await Hits(admin, url);
            await using var db = app.Open(CallerScope.System);
            Assert.Equal(await ExpectedAsync(db, text, null, null, null, 200), all);
            Assert.Equal(await ExpectedAsync(db, text, null, null, genUnits, 200), await Hits(genOfficeClient, url));
            Assert.Empty(await Hits(office2, url));
            // A unit filter outside the caller's scope gives nothing, not that unit's rows.
            Assert.Empty(await Hits(office2, url + $"&unitId={genUnits[0]}"));
        }
        // Unit users may not search across units at all.
        await HttpAssert.Problem(await (await app.ClientFor("unit_admin-a")).GetAsync("/api/search?q=整改"), 403);
    }

    /// <summary>
    /// Searches are computed in turn. With one search at a time and no queue: while the gate is held, a search that must
    /// be computed is refused with a 503 ProblemDetails in Chinese (nothing half-done), a cached answer is still served,
    /// and once the gate is free the refused search runs.
    /// </summary>
    [Fact]
    public async Task Search_WhileTheGateIsFull_IsRefusedWith503_CachedAnswersStillServed()
    {
        await using var app = await TestApp.StartAsync("sqlite", ("Rectify:Search:Concurrency", "1"), ("Rectify:Search:QueueLimit", "0"));
        await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        string cachedUrl = "/api/search?q=" + Uri.EscapeDataString("学习"), otherUrl = "/api/search?q=" + Uri.EscapeDataString("计划");
        var cached = await Hits(admin, cachedUrl);
        Assert.NotEmpty(cached);

        var gate = app.App.Services.GetRequiredService<Rectify.Supervision.SearchGate>();
        var release = new TaskCompletionSource();
        var holder = gate.RunAsync(async () => { await release.Task; return 0; });
        try
        {
            // A search that queued instead of being refused would wait for the release: fail after 30 s, not hang.
            var response = await admin.GetAsync(otherUrl).WaitAsync(TimeSpan.FromSeconds(30));
            var refused = await HttpAssert.Problem(response, 503);
            Assert.Equal("检索繁忙", refused.GetProperty("title").GetString());
            Assert.Equal("1", response.Headers.RetryAfter?.ToString());
            Assert.Equal(cached, await Hits(admin, cachedUrl).WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally { release.TrySetResult(); }

        Assert.True((await holder).Ran);
        Assert.Equal(await PlanMeasuresAsync(app), await Hits(admin, otherUrl));
    }

    /// <summary>The gate lets waiting searches in first come, first served.</summary>
    [Fact]
    public async Task SearchGate_RunsWaitingWorkInTheOrderItCame()
    {
        using var gate = new Rectify.Supervision.SearchGate(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Rectify:Search:Concurrency"] = "1" }).Build());
        var release = new TaskCompletionSource();
        var holder = gate.RunAsync(async () => { await release.Task; return 0; });
        var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var waiting = Enumerable.Range(1, 5).Select(i => gate.RunAsync(() => { order.Enqueue(i); return Task.FromResult(i); })).ToList();
        Assert.Empty(order);
        release.SetResult();
        await holder;
        await Task.WhenAll(waiting);
        Assert.Equal([1, 2, 3, 4, 5], order);
    }

    /// <summary>The seeded measures that say 计划 (nothing else seeded does), newest first, as the search lists them.</summary>
    static async Task<List<string>> PlanMeasuresAsync(TestApp app)
    {
        await using var db = app.Open(CallerScope.System);
        var ids = await db.Measures.Where(m => m.Text.Contains("计划")).OrderByDescending(m => m.Id).Select(m => m.Id).ToListAsync();
        Assert.NotEmpty(ids);
        return [.. ids.Select(id => $"measure:{id}")];
    }

    static async Task<List<string>> Hits(HttpClient c, string url) =>
        [.. (await HttpAssert.Ok<JsonElement>(await c.GetAsync(url))).EnumerateArray().Select(h => $"{h.GetProperty("kind").GetString()}:{h.GetProperty("id").GetInt64()}")];

    /// <summary>
    /// The expected hits computed independently: one LIKE query per kind on the same text (both columns joined by a
    /// space), every term required, problems' status derived by the status rules from their measures.
    /// </summary>
    static async Task<List<string>> ExpectedAsync(RectifyDb db, string text, SearchKind? kind, MeasureStatus? status, long[]? units, int take, long? round = null)
    {
        var terms = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var problems = db.Problems.AsQueryable();
        var measures = db.Measures.AsQueryable();
        var reports = db.ProgressReports.AsQueryable();
        var rules = db.Rules.AsQueryable();
        foreach (var t in terms)
        {
            var like = "%" + t + "%";
            problems = problems.Where(p => EF.Functions.Like((p.Title ?? "") + " " + (p.Description ?? ""), like));
            measures = measures.Where(m => EF.Functions.Like((m.Text ?? "") + " " + (m.Progress ?? ""), like));
            reports = reports.Where(r => EF.Functions.Like((r.Done ?? "") + " " + (r.NextStep ?? ""), like));
            rules = rules.Where(r => EF.Functions.Like((r.Title ?? "") + " " + (r.Reference ?? ""), like));
        }
        if (units is not null)
        {
            problems = problems.Where(p => units.Contains(p.UnitId));
            measures = measures.Where(m => units.Contains(m.UnitId));
            reports = reports.Where(r => units.Contains(r.UnitId));
            rules = rules.Where(r => units.Contains(r.UnitId));
        }
        if (round is not null)
        {
            var inRound = db.Inspections.Where(i => i.RoundId == round).Select(i => i.Id);
            problems = problems.Where(p => inRound.Contains(p.InspectionId));
            measures = measures.Where(m => inRound.Contains(m.InspectionId));
            reports = reports.Where(r => db.Measures.Any(m => m.Id == r.MeasureId && inRound.Contains(m.InspectionId)));
        }
        var result = new List<string>();
        if (kind is null or SearchKind.Problem)
        {
            var rows = await problems.Select(p => new GetRoundFigures.ProblemRow(p.Id, p.UnitId, p.InspectionId, p.StatedStatus)).ToListAsync();
            var ids = rows.Select(r => r.Id).ToList();
            var ms = await db.Measures.Where(m => ids.Contains(m.ProblemId)).Select(m => new GetRoundFigures.MeasureRow(m.ProblemId, m.Status)).ToListAsync();
            var statuses = GetRoundFigures.DeriveStatuses(rows, ms);
            result.AddRange(ids.Where(id => status is null || statuses[id] == status).OrderDescending().Select(id => $"problem:{id}"));
        }
        if (kind is null or SearchKind.Measure)
            result.AddRange((await measures.Where(m => status == null || m.Status == status).Select(m => m.Id).ToListAsync()).OrderDescending().Select(id => $"measure:{id}"));
        if (kind is null or SearchKind.Report)
        {
            var withStatus = reports.Join(db.Measures, r => r.MeasureId, m => m.Id, (r, m) => new { r.Id, m.Status });
            result.AddRange((await withStatus.Where(x => status == null || x.Status == status).Select(x => x.Id).ToListAsync()).OrderDescending().Select(id => $"report:{id}"));
        }
        if ((kind is null or SearchKind.Rule) && status is null && round is null)
            result.AddRange((await rules.Select(r => r.Id).ToListAsync()).OrderDescending().Select(id => $"rule:{id}"));
        return [.. result.Take(take)];
    }
}
