using Microsoft.EntityFrameworkCore;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Rectify.Core.Ledger;
using Rectify.Core.Performance;
using Rectify.Core.Supervision;
using Rectify.Hosting;
using Rectify.Tests.Support;

namespace Rectify.Tests.Performance;

/// <summary>
/// The ledger and the round figures are served from a cache (hosting/ReadCache): a user must still see every change at
/// once, and a copy computed for one caller must never reach a caller with another scope.
/// </summary>
public class ReadCacheTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static string MeasureStatus(JsonElement ledger) =>
        ledger.GetProperty("categories")[0].GetProperty("problems")[0].GetProperty("measures")[0].GetProperty("status").GetString()!;

    [Theory, MemberData(nameof(Providers))]
    public async Task Ledger_and_figures_show_a_change_at_once_and_stay_inside_the_callers_scope(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        var office = await app.ClientFor("office");
        var editor = await app.ClientFor("unit_admin-a");
        var otherUnit = await app.ClientFor("viewer-b");
        var ledgerUrl = $"/api/inspections/{w.A.InspectionId}/ledger";
        var figuresUrl = $"/api/rounds/{w.A.RoundId}/figures";

        // Filled by the admin (scope: everything) and read twice, so the second answer is the cached one.
        var before = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(ledgerUrl));
        Assert.Equal(before.GetRawText(), (await HttpAssert.Ok<JsonElement>(await admin.GetAsync(ledgerUrl))).GetRawText());
        var figuresBefore = await HttpAssert.Ok<JsonElement>(await office.GetAsync(figuresUrl));
        await HttpAssert.Ok<JsonElement>(await office.GetAsync(figuresUrl));
        Assert.Equal("in_progress", MeasureStatus(before));
        Assert.Equal(0, figuresBefore.GetProperty("figures").GetProperty("completed").GetInt32());

        // Another unit's user gets "not found", also while the admin's copy is cached; the unit's own user gets the same tree.
        await HttpAssert.Problem(await otherUnit.GetAsync(ledgerUrl), 404);
        await HttpAssert.Problem(await otherUnit.GetAsync(figuresUrl), 404);
        Assert.Equal(before.GetRawText(), (await HttpAssert.Ok<JsonElement>(await editor.GetAsync(ledgerUrl))).GetRawText());

        // A change is visible on the next read, in the ledger and in the figures (problem completed → rate 100%).
        var measure = await HttpAssert.Ok<JsonElement>(await editor.GetAsync($"/api/measures/{w.A.MeasureId}"));
        var put = await editor.PutJson($"/api/measures/{w.A.MeasureId}", new { status = "rectified_ongoing", version = measure.GetProperty("version").GetInt32() });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(ledgerUrl));
        Assert.Equal("rectified_ongoing", MeasureStatus(after));
        var figuresAfter = await HttpAssert.Ok<JsonElement>(await office.GetAsync(figuresUrl));
        Assert.Equal(1, figuresAfter.GetProperty("figures").GetProperty("completed").GetInt32());
        Assert.Equal("100%", figuresAfter.GetProperty("rateText").GetString());
        var items = await HttpAssert.Ok<JsonElement>(await office.GetAsync(figuresUrl + "/items"));
        Assert.Equal(0, items.GetProperty("unfinished").GetArrayLength());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Ledger_unchanged_answers_304_and_after_a_change_200_with_a_new_etag(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var editor = await app.ClientFor("unit_admin-a");
        var url = $"/api/inspections/{w.A.InspectionId}/ledger";

        var first = await editor.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, $"Cache-Control: {first.Headers.CacheControl}");

        // The browser asks again with what it holds: nothing changed, so 304 and no body.
        var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(etag);
        var notModified = await editor.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        // A change to the ledger: the same If-None-Match now gets the new tree with another ETag.
        var measure = await HttpAssert.Ok<JsonElement>(await editor.GetAsync($"/api/measures/{w.A.MeasureId}"));
        var put = await editor.PutJson($"/api/measures/{w.A.MeasureId}", new { status = "rectified_ongoing", version = measure.GetProperty("version").GetInt32() });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var afterChange = new HttpRequestMessage(HttpMethod.Get, url);
        afterChange.Headers.IfNoneMatch.Add(etag);
        var changed = await editor.SendAsync(afterChange);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Equal("rectified_ongoing", MeasureStatus(await HttpAssert.Ok<JsonElement>(changed)));

        // Another caller's scope never matches this copy's tag: the admin holding the unit user's ETag gets the body.
        var admin = await app.ClientFor("admin");
        var foreign = new HttpRequestMessage(HttpMethod.Get, url);
        foreign.Headers.IfNoneMatch.Add(changed.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(foreign)).StatusCode);
    }

    static async Task<int> AuditCountAsync(TestApp app)
    {
        await using var db = app.Open();
        return await db.AuditEvents.CountAsync();
    }

    /// <summary>Figures as the office's browser asks for them again: with the ETag it holds.</summary>
    static Task<HttpResponseMessage> GetIfNoneMatch(HttpClient client, string url, System.Net.Http.Headers.EntityTagHeaderValue etag) =>
        GetEncoded(client, url, null, etag);

    /// <summary>A new round (its id) of the office that holds round <paramref name="beside"/>, created through the API.</summary>
    static async Task<long> RoundBesideAsync(HttpClient admin, long beside, string name)
    {
        var round = (await HttpAssert.Ok<JsonElement>(await admin.GetAsync("/api/rounds"))).EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == beside);
        var created = await admin.PostJson("/api/rounds", new { name, officeId = round.GetProperty("officeId").GetInt64() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await HttpAssert.Ok<JsonElement>(created)).GetProperty("id").GetInt64();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Figures_of_a_round_deleted_after_they_were_cached_are_404_and_a_unit_user_never_gets_the_copy(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        var office = await app.ClientFor("office");
        var unitUser = await app.ClientFor("unit_admin-a");
        var id = await RoundBesideAsync(admin, w.A.RoundId, "2024年第二轮巡察");
        var url = $"/api/rounds/{id}/figures";

        // Cached for the office; read again, the copy is served without asking the database about the round or its
        // figures. (Who the caller is and the office's units are re-read when their few seconds in the access cache
        // have passed, as on a slow CI machine: not counted; a local run counted that re-read once.)
        Assert.Equal(0, (await HttpAssert.Ok<JsonElement>(await office.GetAsync(url))).GetProperty("unitCount").GetInt32());
        string database;
        await using (var db = app.Open()) database = DbEventCounter.DatabaseOf(db);
        // The access cache's scope lookup also reads the rounds with a review chain (none here, so not their inspections).
        static bool NotFigures(string sql) => sql.Contains("\"ReviewChain\"") ||
            !new[] { "\"Rounds\"", "\"Inspections\"", "\"ProblemCounts\"", "\"OutcomeFigures\"", "\"Rules\"" }.Any(sql.Contains);
        using (var commands = DbEventCounter.Commands(database, NotFigures))
        {
            Assert.Equal(0, (await HttpAssert.Ok<JsonElement>(await office.GetAsync(url))).GetProperty("unitCount").GetInt32());
            Assert.Equal(0, commands.Count);
        }
        // A unit's user does not see the round at all: "not found", never the office's copy.
        await HttpAssert.Problem(await unitUser.GetAsync(url), 404);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rounds/{id}")).StatusCode);
        await HttpAssert.Problem(await office.GetAsync(url), 404);
        await HttpAssert.Problem(await office.GetAsync(url + "?limit=20"), 404);
    }

    /// <summary>Sends GET <paramref name="url"/> with the given Accept-Encoding (and If-None-Match) headers.</summary>
    static Task<HttpResponseMessage> GetEncoded(HttpClient client, string url, string? acceptEncoding, System.Net.Http.Headers.EntityTagHeaderValue? etag = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptEncoding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        if (etag is not null) request.Headers.IfNoneMatch.Add(etag);
        return client.SendAsync(request);
    }

    static string Gunzip(byte[] body)
    {
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Figures_go_compressed_to_a_client_that_accepts_gzip_and_equal_the_plain_answer(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        var g = await app.GenerateAsync(new ProvinceSize(Units: 30, ProblemsPerUnit: 6, MeasuresPerProblem: 2, Weeks: 1, Seed: 13));
        var url = $"/api/rounds/{g.RoundId}/figures";

        // A client without Accept-Encoding (scripts, the benchmarks' default) gets the JSON as it is.
        var plain = await GetEncoded(admin, url, null);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        var json = await plain.Content.ReadAsStringAsync();
        Assert.True(json.Length > ReadCache.CompressFrom, $"the test needs a copy worth compressing: {json.Length} bytes");
        Assert.Contains("Accept-Encoding", plain.Headers.Vary);

        // A browser's request: gzip, fewer bytes, the same JSON once decompressed, and its own ETag.
        var zipped = await GetEncoded(admin, url, "gzip, deflate, br");
        Assert.Equal(HttpStatusCode.OK, zipped.StatusCode);
        Assert.Equal(["gzip"], zipped.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", zipped.Headers.Vary);
        var bytes = await zipped.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length * 3 < System.Text.Encoding.UTF8.GetByteCount(json), $"{bytes.Length} compressed bytes of {json.Length} characters");
        Assert.Equal(json, Gunzip(bytes));
        Assert.NotEqual(plain.Headers.ETag, zipped.Headers.ETag);
        Assert.Equal(await plain.Content.ReadAsByteArrayAsync(), System.Text.Encoding.UTF8.GetBytes(Gunzip(await (await GetEncoded(admin, url, "gzip")).Content.ReadAsByteArrayAsync())));

        // gzip accepted in other spellings; refused (q=0, also when "*" accepts the rest), or only another coding
        // accepted: plain JSON.
        foreach (var accepted in new[] { "GZIP", "*", "br;q=1.0, gzip;q=0.5" })
            Assert.Equal(["gzip"], (await GetEncoded(admin, url, accepted)).Content.Headers.ContentEncoding);
        foreach (var refused in new[] { "gzip;q=0", "gzip;q=0, *", "*;q=0", "br", "identity" })
        {
            var r = await GetEncoded(admin, url, refused);
            Assert.Empty(r.Content.Headers.ContentEncoding);
            Assert.Equal(json, await r.Content.ReadAsStringAsync());
        }

        // The copy is unchanged: the tag of what the client holds gets 304 (with that tag and Vary); a client that now
        // asks for the other encoding gets that body.
        var notModified = await GetEncoded(admin, url, "gzip", zipped.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(zipped.Headers.ETag, notModified.Headers.ETag);
        Assert.Contains("Accept-Encoding", notModified.Headers.Vary);
        Assert.Equal(HttpStatusCode.NotModified, (await GetEncoded(admin, url, null, plain.Headers.ETag)).StatusCode);
        var switched = await GetEncoded(admin, url, null, zipped.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode);
        Assert.Equal(json, await switched.Content.ReadAsStringAsync());

        // A ledger is compressed the same way; a small answer (the seed world's own round) is not.
        long inspection;
        await using (var db = app.Open())
            inspection = await db.Inspections.Where(i => i.RoundId == g.RoundId).Select(i => i.Id).FirstAsync();
        var ledgerPlain = await admin.GetStringAsync($"/api/inspections/{inspection}/ledger");
        var ledger = await GetEncoded(admin, $"/api/inspections/{inspection}/ledger", "gzip");
        Assert.True(ledgerPlain.Length > ReadCache.CompressFrom, $"ledger of {ledgerPlain.Length} characters");
        Assert.Equal(["gzip"], ledger.Content.Headers.ContentEncoding);
        Assert.Equal(ledgerPlain, Gunzip(await ledger.Content.ReadAsByteArrayAsync()));
        var small = await GetEncoded(admin, $"/api/rounds/{w.A.RoundId}/figures", "gzip");
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.True((await small.Content.ReadAsByteArrayAsync()).Length < ReadCache.CompressFrom);
        Assert.Empty(small.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", small.Headers.Vary);

        // Search and similar problems go the same way.
        var similar = await GetEncoded(admin, $"/api/problems/{w.A.ProblemId}/similar?take=100", "gzip");
        Assert.Equal(HttpStatusCode.OK, similar.StatusCode);
        Assert.Contains("Accept-Encoding", similar.Headers.Vary);
        var search = await admin.GetStringAsync("/api/search?q=整改&take=200");
        var searchZipped = await GetEncoded(admin, "/api/search?q=整改&take=200", "gzip");
        Assert.True(search.Length > ReadCache.CompressFrom, $"search answer of {search.Length} characters");
        Assert.Equal(["gzip"], searchZipped.Content.Headers.ContentEncoding);
        Assert.Equal(search, Gunzip(await searchZipped.Content.ReadAsByteArrayAsync()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Figures_copy_outlives_weekly_reports_but_not_a_status_change(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var office = await app.ClientFor("office");
        var editor = await app.ClientFor("unit_admin-a");
        var url = $"/api/rounds/{w.A.RoundId}/figures";
        async Task<string> StatusOf(long measure) => (await HttpAssert.Ok<JsonElement>(await editor.GetAsync($"/api/measures/{measure}"))).GetProperty("status").GetString()!;
        async Task SetStatus(string status)
        {
            var m = await HttpAssert.Ok<JsonElement>(await editor.GetAsync($"/api/measures/{w.A.MeasureId}"));
            Assert.Equal(HttpStatusCode.OK, (await editor.PutJson($"/api/measures/{w.A.MeasureId}", new { status, version = m.GetProperty("version").GetInt32() })).StatusCode);
        }
        var first = await office.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;

        // Weekly reports on a measure under way: nothing the figures read changes, so the copy (and its ETag, which
        // carries the head it was computed at) is kept: the browser asking again gets 304.
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await editor.PostJson($"/api/measures/{w.A.MeasureId}/reports", new { done = $"第{i + 1}次推进", percent = 40 + i })).StatusCode);
        // A refused report is recorded (an audit event on the measure) but changes nothing.
        var auditBefore = await AuditCountAsync(app);
        await HttpAssert.Problem(await editor.PostJson($"/api/measures/{w.A.MeasureId}/reports", new { done = "下一年的汇报", percent = 50, week = "2099-01-05" }), 400);
        Assert.True(await AuditCountAsync(app) > auditBefore, "the refusal is in the audit trail");
        Assert.Equal(HttpStatusCode.NotModified, (await GetIfNoneMatch(office, url, etag)).StatusCode);

        // A report on a measure not yet started starts it: a status change, so the figures are computed again.
        var added = await HttpAssert.Ok<JsonElement>(await editor.PostJson($"/api/problems/{w.A.ProblemId}/measures", new { text = "补充整改措施" }));
        var newMeasure = added.GetProperty("id").GetInt64();
        var stopped = await office.GetAsync(url);
        Assert.NotEqual(etag, stopped.Headers.ETag);
        etag = stopped.Headers.ETag!;
        Assert.Equal(HttpStatusCode.NotModified, (await GetIfNoneMatch(office, url, etag)).StatusCode);
        Assert.Equal("not_started", await StatusOf(newMeasure));
        Assert.Equal(HttpStatusCode.Created, (await editor.PostJson($"/api/measures/{newMeasure}/reports", new { done = "启动整改", percent = 10 })).StatusCode);
        Assert.Equal("in_progress", await StatusOf(newMeasure));
        var after = await GetIfNoneMatch(office, url, etag);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(etag, after.Headers.ETag);

        // And a change of a figure shows at once (both measures done: the problem completed).
        await SetStatus("rectified_ongoing");
        var m2 = await HttpAssert.Ok<JsonElement>(await editor.GetAsync($"/api/measures/{newMeasure}"));
        Assert.Equal(HttpStatusCode.OK, (await editor.PutJson($"/api/measures/{newMeasure}", new { status = "rectified_ongoing", version = m2.GetProperty("version").GetInt32() })).StatusCode);
        var done = await HttpAssert.Ok<JsonElement>(await GetIfNoneMatch(office, url, after.Headers.ETag!));
        Assert.Equal(1, done.GetProperty("figures").GetProperty("completed").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Figures_after_a_restore_of_another_history_under_a_running_server_are_the_restored_ones(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var office = await app.ClientFor("office");
        var editor = await app.ClientFor("unit_admin-a");
        var url = $"/api/rounds/{w.A.RoundId}/figures";
        var dir = Directory.CreateTempSubdirectory("rectify-heads-").FullName;
        try
        {
            var start = Path.Combine(dir, "start.zip");
            var reportsOnly = Path.Combine(dir, "reports.zip");
            await using (var db = app.Open()) await Rectify.Core.Operations.LogicalBackup.BackupAsync(db, start, TimeProvider.System);
            // One history: eight weekly reports (a longer audit chain; nothing the figures read changed).
            for (var i = 0; i < 8; i++)
                Assert.Equal(HttpStatusCode.Created, (await editor.PostJson($"/api/measures/{w.A.MeasureId}/reports", new { done = $"第{i + 1}周推进", percent = 10 + i })).StatusCode);
            await using (var db = app.Open()) await Rectify.Core.Operations.LogicalBackup.BackupAsync(db, reportsOnly, TimeProvider.System);

            // Another history from the same start: the measure done, the problem completed; the office reads it.
            await using (var db = app.Open()) await Rectify.Core.Operations.LogicalBackup.RestoreAsync(db, start, force: true);
            await Task.Delay(400);
            var m = await HttpAssert.Ok<JsonElement>(await editor.GetAsync($"/api/measures/{w.A.MeasureId}"));
            Assert.Equal(HttpStatusCode.OK, (await editor.PutJson($"/api/measures/{w.A.MeasureId}", new { status = "rectified_ongoing", version = m.GetProperty("version").GetInt32() })).StatusCode);
            Assert.Equal(1, (await HttpAssert.Ok<JsonElement>(await office.GetAsync(url))).GetProperty("figures").GetProperty("completed").GetInt32());

            // The first history restored over it while the server runs (deployment.md says to stop it first; a copy must
            // not outlive the data anyway): its chain is longer and, after the event the server saw last, holds only
            // reports — the event at that position has another hash, so the heads start again and the figures are the
            // restored ones (the measure in progress) once the heads are refreshed (at most 250 ms by default).
            await using (var db = app.Open()) await Rectify.Core.Operations.LogicalBackup.RestoreAsync(db, reportsOnly, force: true);
            await Task.Delay(600);
            Assert.Equal(0, (await HttpAssert.Ok<JsonElement>(await office.GetAsync(url))).GetProperty("figures").GetProperty("completed").GetInt32());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Ledger_write_by_a_second_app_server_is_visible_within_the_configured_bound(string provider)
    {
        const int boundMs = 300;
        await using var app = await TestApp.StartAsync(provider, ("Rectify:Perf:AuditHeadsMilliseconds", boundMs.ToString()));
        var w = await app.SeedWorldAsync();
        var reader = await app.ClientFor("viewer-a");
        var url = $"/api/inspections/{w.A.InspectionId}/ledger";
        // Read twice here so the copy is cached and validated from memory.
        Assert.Equal("in_progress", MeasureStatus(await HttpAssert.Ok<JsonElement>(await reader.GetAsync(url))));
        Assert.Equal("in_progress", MeasureStatus(await HttpAssert.Ok<JsonElement>(await reader.GetAsync(url))));

        // A second app server (another process) on the same database changes the measure.
        var editor = await app.ClientFor("unit_admin-a");
        await using var second = await ServerProcess.StartAsync(app.Db.ConnectionString);
        using var other = new HttpClient { BaseAddress = second.BaseAddress };
        other.DefaultRequestHeaders.Authorization = editor.DefaultRequestHeaders.Authorization;
        var measure = await HttpAssert.Ok<JsonElement>(await other.GetAsync($"/api/measures/{w.A.MeasureId}"));
        var put = await other.PutJson($"/api/measures/{w.A.MeasureId}", new { status = "rectified_ongoing", version = measure.GetProperty("version").GetInt32() });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        // The first server shows it within the bound (plus one refresh query; the margin is for a busy test machine).
        var clock = Stopwatch.StartNew();
        string status;
        do
        {
            status = MeasureStatus(await HttpAssert.Ok<JsonElement>(await reader.GetAsync(url)));
            if (status == "rectified_ongoing") break;
            await Task.Delay(10);
        } while (clock.ElapsedMilliseconds < 10_000);
        Assert.Equal("rectified_ongoing", status);
        Assert.True(clock.ElapsedMilliseconds < boundMs + 1_500, $"visible after {clock.ElapsedMilliseconds} ms");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Round_figures_grouped_in_sql_equal_the_figures_counted_per_problem(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        GeneratedProvince g;
        await using (var db = app.Open())
        {
            g = await new ProvinceGenerator(db, app.Clock).RunAsync(new ProvinceSize(Units: 6, ProblemsPerUnit: 12, MeasuresPerProblem: 3, Weeks: 2, Seed: 3));
            // Problems without measures count with their stated status, or as not started.
            var inspection = db.Inspections.First(i => i.RoundId == g.RoundId);
            var category = db.Categories.First(c => c.InspectionId == inspection.Id);
            db.Problems.Add(new Problem { InspectionId = inspection.Id, UnitId = inspection.UnitId, CategoryId = category.Id, Ordinal = 90, Title = "已整改的问题", StatedStatus = Core.Ledger.MeasureStatus.Rectified });
            db.Problems.Add(new Problem { InspectionId = inspection.Id, UnitId = inspection.UnitId, CategoryId = category.Id, Ordinal = 91, Title = "基本完成的问题", StatedStatus = Core.Ledger.MeasureStatus.BasicallyRectified });
            db.Problems.Add(new Problem { InspectionId = inspection.Id, UnitId = inspection.UnitId, CategoryId = category.Id, Ordinal = 92, Title = "尚无措施的问题" });
            await db.SaveChangesAsync();
        }

        await using (var db = app.Open())
        {
            foreach (var q in new[] { new FigureQuery(g.RoundId), new FigureQuery(w.A.RoundId), new FigureQuery(Year: 2022),
                         new FigureQuery(g.RoundId, UnitIds: [db.Inspections.First(i => i.RoundId == g.RoundId).UnitId]) })
            {
                var perProblem = await GetRoundFigures.RunAsync(db, q);
                var grouped = await GetRoundFigures.ComputeAsync(db, q);
                Assert.True(perProblem.Figures.Problems > 0);
                Assert.Equal(perProblem.Figures, grouped.Figures);
                Assert.Equal(perProblem.RateText, grouped.RateText);
                Assert.Equal(perProblem.Outcomes, grouped.Outcomes);
                Assert.Equal(perProblem.Units, grouped.Units);
                Assert.Empty(grouped.Unfinished);
            }
            // The kept rows, once current, give the same figures (KeptFiguresTests follows them through changes).
            await using (var keeper = app.Open(KeptFigures.Scope)) await KeptFigures.CatchUpAsync(keeper);
            foreach (var q in new[] { new FigureQuery(g.RoundId), new FigureQuery(Year: 2022) })
                Assert.Equal((await GetRoundFigures.RunAsync(db, q)).Units, (await GetRoundFigures.FiguresAsync(db, q)).Units);
            // The SQL writes one bit per status: a new status must be added there too.
            Assert.Equal(8, Enum.GetValues<Core.Ledger.MeasureStatus>().Length);
            // The generated round has several kinds of problem status, so the comparison covers the status rules.
            var statuses = (await GetRoundFigures.RunAsync(db, new FigureQuery(g.RoundId))).Unfinished.Select(i => i.Status).Distinct().Count();
            Assert.True(statuses >= 2, $"only {statuses} unfinished statuses generated");
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Figures_after_a_change_in_one_unit_recompute_that_units_row_only_and_a_round_edit_reads_every_row_again(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        GeneratedProvince g;
        long unitX, unitZ, problemX, problemZ;
        await using (var db = app.Open())
        {
            g = await new ProvinceGenerator(db, app.Clock).RunAsync(new ProvinceSize(Units: 5, ProblemsPerUnit: 6, MeasuresPerProblem: 2, Weeks: 1, Seed: 7));
            // X: a unit with a completed problem (a new measure reopens it); Z: another unit, with a problem not closed.
            var all = await GetRoundFigures.RunAsync(db, new FigureQuery(g.RoundId));
            var open = all.Unfinished.Concat(all.BasicallyCompleted).Select(i => i.ProblemId).ToHashSet();
            var inspections = db.Inspections.Where(i => i.RoundId == g.RoundId).Select(i => i.Id).ToList();
            var completed = db.Problems.Where(p => inspections.Contains(p.InspectionId)).OrderBy(p => p.Id).AsEnumerable().First(p => !open.Contains(p.Id));
            (unitX, problemX) = (completed.UnitId, completed.Id);
            var z = all.Unfinished.First(i => i.UnitId != unitX);
            (unitZ, problemZ) = (z.UnitId, z.ProblemId);
        }
        // The kept figures current now (the server's keeper may run at any moment; this fixes what it has seen).
        await using (var keeper = app.Open(KeptFigures.Scope)) await KeptFigures.CatchUpAsync(keeper);
        var url = $"/api/rounds/{g.RoundId}/figures";
        static JsonElement Row(JsonElement figures, long unit) =>
            figures.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetInt64() == unit);
        async Task<RoundFiguresReport> Computed()
        {
            await using var db = app.Open();
            return await GetRoundFigures.ComputeAsync(db, new FigureQuery(g.RoundId));
        }

        var firstResponse = await admin.GetAsync(url);
        var before = await HttpAssert.Ok<JsonElement>(firstResponse);
        Assert.Equal(5, before.GetProperty("unitCount").GetInt32());
        // A query filtered to X and Z, cached too.
        var filteredUrl = $"{url}?unitId={unitX}&unitId={unitZ}";
        var filteredBefore = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(filteredUrl));
        // A write that bypasses the application (and so its audit trail) — here only to tell which rows a later read
        // computes again: unit Z's problem closed behind the server's back.
        await using (var db = app.Open())
            await db.Database.ExecuteSqlAsync($"UPDATE \"Measures\" SET \"Status\" = {(int)Core.Ledger.MeasureStatus.Closed} WHERE \"ProblemId\" = {problemZ}");
        var zAfterBypass = (await Computed()).Units.Single(u => u.UnitId == unitZ);
        Assert.NotEqual(Row(before, unitZ).GetProperty("figures").GetProperty("completed").GetInt32(), zAfterBypass.Figures.Completed);

        // A change of status in unit X through the API (a new measure reopens a completed problem): X's row is computed
        // again and equals a full computation; Z's row is the one read before (Z has no event since); the totals are the
        // sum of the rows.
        await HttpAssert.Ok<JsonElement>(await admin.PostJson($"/api/problems/{problemX}/measures", new { text = "补充整改措施" }));
        // And an outcome figure of X (整改成效: meetings held).
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson($"/api/problems/{problemX}/figures", new { kind = "meetings", value = 3 })).StatusCode);
        var afterResponse = await GetIfNoneMatch(admin, url, firstResponse.Headers.ETag!);
        Assert.Equal(HttpStatusCode.OK, afterResponse.StatusCode);
        var after = await HttpAssert.Ok<JsonElement>(afterResponse);
        // Unchanged since: the client holding this copy gets 304.
        Assert.Equal(HttpStatusCode.NotModified, (await GetIfNoneMatch(admin, url, afterResponse.Headers.ETag!)).StatusCode);
        var full = await Computed();
        var xNow = full.Units.Single(u => u.UnitId == unitX);
        Assert.Equal(xNow.Figures.Completed, Row(after, unitX).GetProperty("figures").GetProperty("completed").GetInt32());
        Assert.Equal(xNow.RateText, Row(after, unitX).GetProperty("rateText").GetString());
        Assert.NotEqual(Row(before, unitX).GetProperty("figures").GetProperty("completed").GetInt32(), xNow.Figures.Completed);
        Assert.Equal(xNow.Outcomes.Meetings, Row(after, unitX).GetProperty("outcomes").GetProperty("meetings").GetDecimal());
        Assert.Equal(Row(before, unitX).GetProperty("outcomes").GetProperty("meetings").GetDecimal() + 3, xNow.Outcomes.Meetings);
        Assert.Equal(Row(before, unitZ).GetRawText(), Row(after, unitZ).GetRawText());
        // The filtered query the same way: X's row new, Z's row the copy's, totals over the two.
        var filteredAfter = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(filteredUrl));
        Assert.Equal(2, filteredAfter.GetProperty("unitCount").GetInt32());
        Assert.Equal(Row(after, unitX).GetRawText(), Row(filteredAfter, unitX).GetRawText());
        Assert.Equal(Row(filteredBefore, unitZ).GetRawText(), Row(filteredAfter, unitZ).GetRawText());
        Assert.Equal(Row(filteredAfter, unitX).GetProperty("figures").GetProperty("problems").GetInt32() + Row(filteredAfter, unitZ).GetProperty("figures").GetProperty("problems").GetInt32(),
            filteredAfter.GetProperty("figures").GetProperty("problems").GetInt32());
        var rows = after.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(rows.Sum(r => r.GetProperty("figures").GetProperty("completed").GetInt32()), after.GetProperty("figures").GetProperty("completed").GetInt32());
        Assert.Equal(rows.Sum(r => r.GetProperty("figures").GetProperty("problems").GetInt32()), after.GetProperty("figures").GetProperty("problems").GetInt32());
        // Lowest rate first, as a full computation orders them.
        Assert.Equal(rows.Select(r => r.GetProperty("rateText").GetString()), rows.OrderBy(r => decimal.Parse(r.GetProperty("rateText").GetString()!.TrimEnd('%')))
            .Select(r => r.GetProperty("rateText").GetString()));

        // An edit of the round concerns every unit: every row is read again, from the kept figures of each inspection.
        // They follow the audit trail, so Z's change behind the application's back is not in them (it is in the
        // computation from the base tables); X's changes are.
        var round = (await HttpAssert.Ok<JsonElement>(await admin.GetAsync("/api/rounds"))).EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == g.RoundId);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/rounds/{g.RoundId}", new
        {
            name = round.GetProperty("name").GetString() + "（修订）", kind = round.GetProperty("kind").GetString(), version = round.GetProperty("version").GetInt32(),
        })).StatusCode);
        var renamed = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(url));
        Assert.EndsWith("（修订）", renamed.GetProperty("roundName").GetString());
        Assert.Equal(Row(after, unitZ).GetProperty("figures").GetRawText(), Row(renamed, unitZ).GetProperty("figures").GetRawText());
        Assert.NotEqual(zAfterBypass.Figures.Completed, Row(renamed, unitZ).GetProperty("figures").GetProperty("completed").GetInt32());
        Assert.Equal(xNow.Figures.Completed, Row(renamed, unitX).GetProperty("figures").GetProperty("completed").GetInt32());
        Assert.Equal(after.GetProperty("figures").GetRawText(), renamed.GetProperty("figures").GetRawText());

        // A page: the totals of the round, the units furthest behind, and how many units there are.
        var page = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(url + "?limit=2&offset=1"));
        Assert.Equal(renamed.GetProperty("figures").GetRawText(), page.GetProperty("figures").GetRawText());
        Assert.Equal(5, page.GetProperty("unitCount").GetInt32());
        Assert.Equal(renamed.GetProperty("units").EnumerateArray().Skip(1).Take(2).Select(r => r.GetRawText()),
            page.GetProperty("units").EnumerateArray().Select(r => r.GetRawText()));
        await HttpAssert.Problem(await admin.GetAsync(url + "?limit=0"), 400);
        await HttpAssert.Problem(await admin.GetAsync(url + "?offset=-1"), 400);
    }

    [Fact]
    public async Task Revoked_token_and_changed_password_take_effect_on_the_next_request()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var w = await app.SeedWorldAsync();
        var viewer = await app.ClientFor("viewer-a");
        var url = $"/api/inspections/{w.A.InspectionId}/ledger";
        // Authenticated (and cached) several times…
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(url)).StatusCode);
        // …then revoked through the API's own context: the very next request is refused.
        await using (var db = app.Open())
        {
            foreach (var t in db.ApiTokens) t.RevokedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync(url)).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Figures_after_a_unit_is_renamed_or_its_inspection_moves_to_another_round_recompute_that_units_row_only(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        var g = await app.GenerateAsync(new ProvinceSize(Units: 5, ProblemsPerUnit: 6, MeasuresPerProblem: 2, Weeks: 1, Seed: 11));
        long unitX, unitZ, inspectionX;
        await using (var db = app.Open())
        {
            var inspections = await db.Inspections.Where(i => i.RoundId == g.RoundId).OrderBy(i => i.Id).ToListAsync();
            (unitX, inspectionX) = (inspections[0].UnitId, inspections[0].Id);
            // Z: a unit with a problem not yet closed, whose measures a write behind the server's back will close.
            var open = (await GetRoundFigures.RunAsync(db, new FigureQuery(g.RoundId))).Unfinished.First(i => i.UnitId != unitX);
            unitZ = open.UnitId;
        }
        static JsonElement? Row(JsonElement figures, long unit) =>
            figures.GetProperty("units").EnumerateArray().Where(u => u.GetProperty("unitId").GetInt64() == unit).Select(u => (JsonElement?)u).SingleOrDefault();
        var url = $"/api/rounds/{g.RoundId}/figures";
        var round2 = await RoundBesideAsync(admin, g.RoundId, "2023年第一轮巡察");
        var url2 = $"/api/rounds/{round2}/figures";

        // Both rounds' figures cached: the second has no unit yet.
        var before = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(url));
        Assert.Equal(5, before.GetProperty("unitCount").GetInt32());
        Assert.Equal(0, (await HttpAssert.Ok<JsonElement>(await admin.GetAsync(url2))).GetProperty("unitCount").GetInt32());
        // Z's problem closed behind the server's back (no audit event): a computation from the base tables shows it.
        await using (var db = app.Open())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE \"Measures\" SET \"Status\" = {(int)Core.Ledger.MeasureStatus.Closed} WHERE \"UnitId\" = {unitZ}");
            var z = (await GetRoundFigures.ComputeAsync(db, new FigureQuery(g.RoundId))).Units.Single(u => u.UnitId == unitZ);
            Assert.NotEqual(Row(before, unitZ)!.Value.GetProperty("figures").GetProperty("completed").GetInt32(), z.Figures.Completed);
        }

        // X renamed: X's row carries the new name; Z's row is the copy's (no whole computation).
        var org = await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/organisations/{unitX}"));
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/organisations/{unitX}", new
        {
            name = "更名后的单位", kind = org.GetProperty("kind").GetString(), parentId = org.GetProperty("parentId").GetInt64(),
            ordinal = org.GetProperty("ordinal").GetInt32(), version = org.GetProperty("version").GetInt32(),
        })).StatusCode);
        var renamed = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(url));
        Assert.Equal("更名后的单位", Row(renamed, unitX)!.Value.GetProperty("unitName").GetString());
        Assert.Equal(Row(before, unitZ)!.Value.GetRawText(), Row(renamed, unitZ)!.Value.GetRawText());

        // X's inspection moved to the second round: the first round's figures drop X's row, the second's gain it, and
        // each equals a computation restricted to the units whose rows changed; Z's row is still the copy's.
        var inspection = await HttpAssert.Ok<Dictionary<string, JsonElement>>(await admin.GetAsync($"/api/inspections/{inspectionX}"));
        inspection["roundId"] = JsonSerializer.SerializeToElement(round2);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/inspections/{inspectionX}", inspection)).StatusCode);
        var first = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(url));
        var second = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(url2));
        Assert.Equal(4, first.GetProperty("unitCount").GetInt32());
        Assert.Null(Row(first, unitX));
        Assert.Equal(Row(before, unitZ)!.Value.GetRawText(), Row(first, unitZ)!.Value.GetRawText());
        var rows = first.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(rows.Sum(r => r.GetProperty("figures").GetProperty("problems").GetInt32()), first.GetProperty("figures").GetProperty("problems").GetInt32());
        Assert.Equal(rows.Sum(r => r.GetProperty("figures").GetProperty("completed").GetInt32()), first.GetProperty("figures").GetProperty("completed").GetInt32());
        Assert.Equal(1, second.GetProperty("unitCount").GetInt32());
        await using (var db = app.Open())
        {
            var x = (await GetRoundFigures.FiguresAsync(db, new FigureQuery(round2))).Units.Single();
            Assert.Equal(unitX, x.UnitId);
            Assert.Equal(x.Figures.Problems, Row(second, unitX)!.Value.GetProperty("figures").GetProperty("problems").GetInt32());
            Assert.Equal(x.Figures.Completed, second.GetProperty("figures").GetProperty("completed").GetInt32());
            Assert.Equal(Row(before, unitX)!.Value.GetProperty("figures").GetRawText(), Row(second, unitX)!.Value.GetProperty("figures").GetRawText());
        }
    }
}
