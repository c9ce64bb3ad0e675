using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Supervision;
using Rectify.Tests.Support;

namespace Rectify.Tests.Supervision;

/// <summary>
/// Acceptance: with generated data of several units whose statuses change over time, the round figures of the API equal
/// an independent computation in plain SQL (run on the provider's ADO connection), now and as of past dates.
/// </summary>
public class RoundFiguresTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static DateTimeOffset Utc(int y, int m, int d, int h = 2) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    /// <summary>Generates a round of 6 units and changes statuses on several days; returns the round id.</summary>
    internal static async Task<GeneratedRound> GenerateHistoryAsync(TestApp app, World w)
    {
        var gen = new RoundGenerator(seed: 7);
        GeneratedRound round;
        await using (var db = Database.Open(app.Db, clock: app.Clock))
            round = await gen.CreateAsync(db, w.OfficeId, units: 6, problemsPerUnit: 30, "2022年第二轮巡察", new DateOnly(2022, 6, 27));
        async Task Step(DateTimeOffset at, double share)
        {
            app.Clock.SetUtcNow(at);
            await using var db = Database.Open(app.Db, clock: app.Clock);
            await gen.ProgressAsync(db, round.RoundId, share);
        }
        await Step(Utc(2022, 9, 1), 0.5);
        await Step(Utc(2022, 12, 1), 0.5);
        await Step(Utc(2023, 1, 17, 2), 0.4);   // 10:00 China time on 17 January: counts for "as of 2023-01-17"
        await Step(Utc(2023, 1, 17, 17), 0.4);  // 01:00 China time on 18 January: does not
        await Step(Utc(2023, 3, 1), 0.3);

        // After the dates: one new problem with a measure, one problem deleted with its measures.
        app.Clock.SetUtcNow(Utc(2023, 3, 2));
        await using (var db = Database.Open(app.Db, clock: app.Clock))
        {
            var inspection = round.InspectionIds[0];
            var category = await db.Categories.FirstAsync(c => c.InspectionId == inspection);
            var p = new Problem { CategoryId = category.Id, InspectionId = inspection, UnitId = category.UnitId, Ordinal = 99, Title = "新增问题" };
            p.Measures.Add(new Measure { InspectionId = inspection, UnitId = category.UnitId, Ordinal = 1, Text = "新增措施", Status = MeasureStatus.InProgress });
            db.Problems.Add(p);
            var gone = await db.Problems.Include(x => x.Measures).Where(x => x.InspectionId == round.InspectionIds[1]).OrderBy(x => x.Id).FirstAsync();
            db.Measures.RemoveRange(gone.Measures);
            db.Problems.Remove(gone);
            await db.SaveChangesAsync();
        }
        return round;
    }

    /// <summary>Each problem of the round with its unit and its class ('c' completed, 'b' basically, 'u' unfinished): plain SQL on the tables.</summary>
    static async Task<List<(long Problem, long Unit, string S)>> SqlNow(DbConnection c, long round) => await Query(c, """
        SELECT p."Id", p."UnitId",
          CASE
            WHEN NOT EXISTS (SELECT 1 FROM "Measures" m WHERE m."ProblemId" = p."Id")
              THEN CASE WHEN p."StatedStatus" IN (5, 6, 7) THEN 'c' WHEN p."StatedStatus" = 3 THEN 'b' ELSE 'u' END
            WHEN NOT EXISTS (SELECT 1 FROM "Measures" m WHERE m."ProblemId" = p."Id" AND m."Status" NOT IN (5, 6, 7)) THEN 'c'
            WHEN NOT EXISTS (SELECT 1 FROM "Measures" m WHERE m."ProblemId" = p."Id" AND m."Status" IN (0, 1, 2))
             AND EXISTS (SELECT 1 FROM "Measures" m WHERE m."ProblemId" = p."Id" AND m."Status" = 3) THEN 'b'
            ELSE 'u'
          END
        FROM "Problems" p JOIN "Inspections" i ON i."Id" = p."InspectionId"
        WHERE i."RoundId" = @round
        """, round, null);

    /// <summary>The same as it stood at a cutoff: each row's last audit event before it (plain SQL over the audit table).</summary>
    static Task<List<(long Problem, long Unit, string S)>> SqlAsOf(DbConnection c, bool pg, long round, DateTime cutoff) =>
        Query(c, SqlAsOfText(pg), round, cutoff);

    static string SqlAsOfText(bool pg)
    {
        string J(string field) => pg ? $"(e.\"After\"::json->>'{field}')" : $"json_extract(e.\"After\", '$.{field}')";
        string Id(string field) => pg ? $"{J(field)}::bigint" : J(field);
        var sql = $"""
            WITH last AS (
              SELECT a."EntityType" AS t, a."EntityId" AS id, MAX(a."Sequence") AS seq FROM "AuditEvents" a
              WHERE a."At" < @cut AND a."EntityType" IN ('Problem', 'Measure') GROUP BY a."EntityType", a."EntityId"),
            pp AS (
              SELECT l.id, {Id("UnitId")} AS unit, {Id("InspectionId")} AS insp, {J("StatedStatus")} AS stated
              FROM last l JOIN "AuditEvents" e ON e."Sequence" = l.seq WHERE l.t = 'Problem' AND e."Action" <> 'deleted'),
            mm AS (
              SELECT l.id, {Id("ProblemId")} AS problem, {J("Status")} AS status
              FROM last l JOIN "AuditEvents" e ON e."Sequence" = l.seq WHERE l.t = 'Measure' AND e."Action" <> 'deleted')
            SELECT pp.id, pp.unit,
              CASE
                WHEN NOT EXISTS (SELECT 1 FROM mm WHERE mm.problem = pp.id)
                  THEN CASE WHEN pp.stated IN ('rectified', 'rectified_ongoing', 'closed') THEN 'c' WHEN pp.stated = 'basically_rectified' THEN 'b' ELSE 'u' END
                WHEN NOT EXISTS (SELECT 1 FROM mm WHERE mm.problem = pp.id AND mm.status NOT IN ('rectified', 'rectified_ongoing', 'closed')) THEN 'c'
                WHEN NOT EXISTS (SELECT 1 FROM mm WHERE mm.problem = pp.id AND mm.status IN ('not_started', 'in_progress', 'extension_requested'))
                 AND EXISTS (SELECT 1 FROM mm WHERE mm.problem = pp.id AND mm.status = 'basically_rectified') THEN 'b'
                ELSE 'u'
              END
            FROM pp WHERE pp.insp IN (SELECT "Id" FROM "Inspections" WHERE "RoundId" = @round)
            """;
        return sql;
    }

    static async Task<List<(long, long, string)>> Query(DbConnection c, string sql, long round, DateTime? cutoff)
    {
        if (c.State != System.Data.ConnectionState.Open) await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        void Add(string name, object v) { var p = cmd.CreateParameter(); p.ParameterName = name; p.Value = v; cmd.Parameters.Add(p); }
        Add("@round", round);
        if (cutoff is { } cut) Add("@cut", cut);
        var rows = new List<(long, long, string)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((Convert.ToInt64(r.GetValue(0)), Convert.ToInt64(r.GetValue(1)), r.GetString(2)));
        return rows;
    }

    static async Task<JsonElement> Items(HttpClient c, string url) => await HttpAssert.Ok<JsonElement>(await c.GetAsync(url));

    static void AssertSame(List<(long Problem, long Unit, string S)> sql, JsonElement api, JsonElement items, string what)
    {
        var f = api.GetProperty("figures");
        Assert.True(sql.Count == f.GetProperty("problems").GetInt32(), $"{what}: problems");
        Assert.True(sql.Count(x => x.S == "c") == f.GetProperty("completed").GetInt32(), $"{what}: completed");
        Assert.True(sql.Count(x => x.S == "b") == f.GetProperty("basicallyCompleted").GetInt32(), $"{what}: basically");
        Assert.True(sql.Count(x => x.S == "u") == f.GetProperty("unfinished").GetInt32(), $"{what}: unfinished");
        // The published rate uses the single completion definition.
        Assert.Equal(StatusRules.FormatRate(StatusRules.CompletionRate(sql.Count(x => x.S == "c"), sql.Count)), api.GetProperty("rateText").GetString());
        // Drill-down (a separate call with the same filters): the items behind "unfinished" and "basically completed".
        Assert.Equal(sql.Where(x => x.S == "u").Select(x => x.Problem).Order(), items.GetProperty("unfinished").EnumerateArray().Select(e => e.GetProperty("problemId").GetInt64()).Order());
        Assert.Equal(sql.Where(x => x.S == "b").Select(x => x.Problem).Order(), items.GetProperty("basicallyCompleted").EnumerateArray().Select(e => e.GetProperty("problemId").GetInt64()).Order());
        Assert.Equal(f.GetRawText(), items.GetProperty("figures").GetRawText());
        // Per unit.
        foreach (var u in api.GetProperty("units").EnumerateArray())
        {
            var id = u.GetProperty("unitId").GetInt64();
            var uf = u.GetProperty("figures");
            Assert.True(sql.Count(x => x.Unit == id) == uf.GetProperty("problems").GetInt32(), $"{what}: unit {id} problems");
            Assert.True(sql.Count(x => x.Unit == id && x.S == "c") == uf.GetProperty("completed").GetInt32(), $"{what}: unit {id} completed");
            Assert.True(sql.Count(x => x.Unit == id && x.S == "b") == uf.GetProperty("basicallyCompleted").GetInt32(), $"{what}: unit {id} basically");
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task RoundFigures_NowAndAsOfPastDates_EqualIndependentSql(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var round = await GenerateHistoryAsync(app, w);
        var office = await app.ClientFor("office");
        await using var db = app.Open();
        var conn = db.Database.GetDbConnection();
        var pg = provider == "postgresql";

        var now = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures"));
        var sqlNow = await SqlNow(conn, round.RoundId);
        Assert.Equal(180, sqlNow.Count); // 6 × 30, one added, one deleted
        AssertSame(sqlNow, now, await Items(office, $"/api/rounds/{round.RoundId}/figures/items"), "now");
        Assert.Equal(6, now.GetProperty("units").GetArrayLength());

        var seen = new HashSet<string>();
        foreach (var day in new[] { new DateOnly(2022, 6, 26), new DateOnly(2022, 12, 31), new DateOnly(2023, 1, 17), new DateOnly(2023, 1, 18), new DateOnly(2023, 3, 1) })
        {
            var api = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures?asOf={day:yyyy-MM-dd}"));
            var sql = await SqlAsOf(conn, pg, round.RoundId, FigureQuery.Cutoff(day));
            AssertSame(sql, api, await Items(office, $"/api/rounds/{round.RoundId}/figures/items?asOf={day:yyyy-MM-dd}"), $"as of {day}");
            seen.Add(api.GetProperty("figures").GetRawText());
        }
        // The views differ: before the feedback nothing, and every later date saw changes (the 18th China time included).
        Assert.Equal(5, seen.Count);
        var before = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures?asOf=2022-06-26"));
        Assert.Equal(0, before.GetProperty("figures").GetProperty("problems").GetInt32());

        // Filter by units.
        var two = round.UnitIds.Take(2).ToList();
        var filtered = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures?unitId={two[0]}&unitId={two[1]}&asOf=2023-01-17"));
        AssertSame([.. (await SqlAsOf(conn, pg, round.RoundId, FigureQuery.Cutoff(new DateOnly(2023, 1, 17)))).Where(x => two.Contains(x.Unit))], filtered,
            await Items(office, $"/api/rounds/{round.RoundId}/figures/items?unitId={two[0]}&unitId={two[1]}&asOf=2023-01-17"), "two units");
        Assert.Equal(2, filtered.GetProperty("units").GetArrayLength());

        // The year view covers every inspection fed back in 2022: the generated round plus units A and B (one unfinished problem each).
        var year = await HttpAssert.Ok<JsonElement>(await office.GetAsync("/api/figures?year=2022"));
        Assert.Equal(sqlNow.Count + 2, year.GetProperty("figures").GetProperty("problems").GetInt32());
        Assert.Equal(sqlNow.Count(x => x.S == "u") + 2, year.GetProperty("figures").GetProperty("unfinished").GetInt32());
        Assert.Equal(0, (await HttpAssert.Ok<JsonElement>(await office.GetAsync("/api/figures?year=2021"))).GetProperty("figures").GetProperty("problems").GetInt32());
    }

    /// <summary>
    /// Every problem's stored bit set of measure statuses (kept by the database's triggers) equals the one computed here
    /// from its measures: bit 1 &lt;&lt; status for each status present, 0 without measures; and the counters of problems
    /// per (inspection, unit, bit set, stated status), also kept by triggers, equal those counted from the problems
    /// (and no key is left at 0).
    /// </summary>
    internal static async Task AssertFigureCountersMatchAsync(RectifyDb db)
    {
        await AssertMasksMatchMeasuresAsync(db);
        var counted = await db.Problems.IgnoreQueryFilters()
            .Select(p => new { p.InspectionId, p.UnitId, p.Id, p.StatedStatus }).ToListAsync();
        var masks = await ReadPairsAsync<long>(db, MasksSql);
        var expected = counted
            .GroupBy(p => (p.InspectionId, p.UnitId, Mask: masks[p.Id], Stated: masks[p.Id] == 0 && p.StatedStatus is { } s ? (int)s : ProblemCounts.NoStated))
            .ToDictionary(g => $"{g.Key.InspectionId}/{g.Key.UnitId}/{g.Key.Mask}/{g.Key.Stated}", g => (long)g.Count());
        var stored = await ReadPairsAsync<string>(db,
            $"SELECT CAST(\"InspectionId\" AS TEXT) || '/' || CAST(\"UnitId\" AS TEXT) || '/' || CAST(\"Mask\" AS TEXT) || '/' || CAST(\"Stated\" AS TEXT), \"Count\" FROM \"{ProblemCounts.Table}\"");
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), stored.OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    static readonly string MasksSql = $"SELECT \"Id\", \"{ProblemMasks.Column}\" FROM \"Problems\"";

    /// <summary>Rows of (key, number) read by plain SQL (columns outside the EF model).</summary>
    static async Task<Dictionary<TKey, long>> ReadPairsAsync<TKey>(RectifyDb db, string sql) where TKey : notnull
    {
        var pairs = new Dictionary<TKey, long>();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        if (cmd.Connection!.State != System.Data.ConnectionState.Open) await cmd.Connection.OpenAsync();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) pairs[(TKey)Convert.ChangeType(r.GetValue(0), typeof(TKey))] = Convert.ToInt64(r.GetValue(1));
        return pairs;
    }

    static async Task AssertMasksMatchMeasuresAsync(RectifyDb db)
    {
        var expected = new Dictionary<long, int>();
        foreach (var p in await db.Problems.IgnoreQueryFilters().Select(p => p.Id).ToListAsync()) expected[p] = 0;
        foreach (var m in await db.Measures.IgnoreQueryFilters().Select(m => new { m.ProblemId, m.Status }).ToListAsync())
            expected[m.ProblemId] |= 1 << (int)m.Status;
        var stored = await ReadPairsAsync<long>(db, MasksSql);
        Assert.NotEmpty(expected);
        var wrong = expected.Where(e => stored.GetValueOrDefault(e.Key, -1) != e.Value).Take(5)
            .Select(e => $"problem {e.Key}: stored {stored.GetValueOrDefault(e.Key, -1)}, measures give {e.Value}").ToList();
        Assert.True(wrong.Count == 0, string.Join("; ", wrong));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ProblemMasks_FollowEveryWriteToMeasures_AndTheFiguresUseThem(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var round = await GenerateHistoryAsync(app, w);
        await using (var db = app.Open()) await AssertFigureCountersMatchAsync(db);

        await using (var db = Database.Open(app.Db, clock: app.Clock))
        {
            var problems = await db.Problems.Include(p => p.Measures).Where(p => p.InspectionId == round.InspectionIds[2] && p.Measures.Count >= 2)
                .OrderBy(p => p.Id).Take(4).ToListAsync();
            Assert.Equal(4, problems.Count);
            // One statement each: every measure of one problem closed; a measure moved to another problem; all measures
            // of a third removed (it falls back to its stated status); a measure added to the fourth in another status.
            foreach (var m in problems[0].Measures) m.Status = MeasureStatus.Closed;
            await db.SaveChangesAsync();
            var moved = problems[1].Measures.First();
            moved.ProblemId = problems[0].Id;
            moved.Status = MeasureStatus.ExtensionRequested;
            await db.SaveChangesAsync();
            db.Measures.RemoveRange(problems[2].Measures);
            problems[2].StatedStatus = MeasureStatus.Rectified;
            await db.SaveChangesAsync();
            problems[3].Measures.Add(new Measure { InspectionId = problems[3].InspectionId, UnitId = problems[3].UnitId, Ordinal = 9, Text = "补充措施", Status = MeasureStatus.PendingClosure });
            await db.SaveChangesAsync();
            // Writes to the problems themselves (the counters per inspection): a problem with its measures deleted, one
            // added without measures, the stated status of one without measures changed, a title edited (no key change).
            var last = await db.Problems.Include(p => p.Measures).Where(p => p.InspectionId == round.InspectionIds[1]).OrderBy(p => p.Id).LastAsync();
            db.Problems.Remove(last);
            await db.SaveChangesAsync();
            db.Problems.Add(new Problem { CategoryId = problems[0].CategoryId, InspectionId = problems[0].InspectionId, UnitId = problems[0].UnitId, Ordinal = 99, Title = "新增问题" });
            // A problem (with its measures) moved to another unit's inspection: its counter moves with it.
            var target = await db.Inspections.SingleAsync(i => i.Id == round.InspectionIds[4]);
            var moving = await db.Problems.Include(p => p.Measures).Where(p => p.InspectionId == round.InspectionIds[3]).OrderBy(p => p.Id).FirstAsync();
            moving.InspectionId = target.Id;
            moving.UnitId = target.UnitId;
            foreach (var m in moving.Measures) { m.InspectionId = target.Id; m.UnitId = target.UnitId; }
            problems[2].StatedStatus = MeasureStatus.BasicallyRectified;
            problems[0].Title += "（已修改）";
            await db.SaveChangesAsync();
        }
        await using (var db = app.Open()) await AssertFigureCountersMatchAsync(db);

        // The figures read the counters of those bit sets: they still equal the plain SQL over the measures.
        var office = await app.ClientFor("office");
        await using (var db = app.Open())
        {
            var now = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures"));
            AssertSame(await SqlNow(db.Database.GetDbConnection(), round.RoundId), now, await Items(office, $"/api/rounds/{round.RoundId}/figures/items"), "after the writes");
        }
    }

    /// <summary>As of a cutoff, with the inspections themselves taken from the audit trail (each one's last event before it).</summary>
    static async Task<List<(long Problem, long Unit, string S)>> SqlAsOfWithInspections(DbConnection c, bool pg, long round, DateTime cutoff)
    {
        string J(string field) => pg ? $"(e.\"After\"::json->>'{field}')" : $"json_extract(e.\"After\", '$.{field}')";
        var sql = SqlAsOfText(pg).Replace(
            "FROM pp WHERE pp.insp IN (SELECT \"Id\" FROM \"Inspections\" WHERE \"RoundId\" = @round)",
            $"""
            FROM pp WHERE pp.insp IN (
              SELECT e."EntityId" FROM "AuditEvents" e
              WHERE e."Sequence" IN (SELECT MAX(a."Sequence") FROM "AuditEvents" a WHERE a."EntityType" = 'Inspection' AND a."At" < @cut GROUP BY a."EntityId")
                AND e."Action" <> 'deleted' AND {(pg ? $"{J("RoundId")}::bigint" : J("RoundId"))} = @round)
            """);
        return await Query(c, sql, round, cutoff);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task RoundFigures_AsOfBeforeAnInspectionWasDeleted_CountsIt_EqualIndependentSql(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var round = await GenerateHistoryAsync(app, w);
        var office = await app.ClientFor("office");
        var gone = round.InspectionIds[2];
        var goneUnit = round.UnitIds[2];
        var before = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures?asOf=2023-01-17"));

        // On 5 March 2023 the office deletes one unit's whole inspection (its problems and measures go with it).
        app.Clock.SetUtcNow(Utc(2023, 3, 5));
        int version;
        await using (var db = app.Open()) version = db.Inspections.Single(i => i.Id == gone).Version;
        Assert.True((await office.DeleteAsync($"/api/inspections/{gone}?version={version}")).IsSuccessStatusCode);

        await using var ctx = app.Open();
        await AssertFigureCountersMatchAsync(ctx);
        var conn = ctx.Database.GetDbConnection();
        var pg = provider == "postgresql";
        Assert.Equal(150, (await SqlNow(conn, round.RoundId)).Count);
        var now = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures"));
        Assert.Equal(150, now.GetProperty("figures").GetProperty("problems").GetInt32());

        // As of the earlier days the deleted inspection still counts, exactly as the audit trail says it stood.
        foreach (var day in new[] { new DateOnly(2022, 12, 31), new DateOnly(2023, 1, 17), new DateOnly(2023, 3, 4) })
        {
            var api = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures?asOf={day:yyyy-MM-dd}"));
            var sql = await SqlAsOfWithInspections(conn, pg, round.RoundId, FigureQuery.Cutoff(day));
            Assert.Equal(30, sql.Count(x => x.Unit == goneUnit));
            AssertSame(sql, api, await Items(office, $"/api/rounds/{round.RoundId}/figures/items?asOf={day:yyyy-MM-dd}"), $"as of {day}");
            Assert.Contains(goneUnit, api.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetInt64()));
        }
        // The same answer as before the deletion; the day of the deletion no longer has it; the year view agrees.
        var after = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures?asOf=2023-01-17"));
        Assert.Equal(before.GetProperty("figures").GetRawText(), after.GetProperty("figures").GetRawText());
        var deletionDay = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures?asOf=2023-03-05"));
        Assert.DoesNotContain(goneUnit, deletionDay.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unitId").GetInt64()));
        // (Units A and B were entered through the system clock, today, so in 2023 the year had only the generated round.)
        var year = await HttpAssert.Ok<JsonElement>(await office.GetAsync("/api/figures?year=2022&asOf=2023-01-17"));
        Assert.Equal(before.GetProperty("figures").GetRawText(), year.GetProperty("figures").GetRawText());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Summary_WritesThePublishedSentence_InMarkdownAndDocx(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var round = await GenerateHistoryAsync(app, w);
        await using (var db = Database.Open(app.Db, clock: app.Clock))
        {
            var m = await db.Measures.Where(x => x.InspectionId == round.InspectionIds[0]).OrderBy(x => x.Id).FirstAsync();
            db.OutcomeFigures.Add(new Core.Workflow.OutcomeFigure { UnitId = m.UnitId, MeasureId = m.Id, Kind = "funds_yuan", Value = 125000, Unit = "元" });
            db.OutcomeFigures.Add(new Core.Workflow.OutcomeFigure { UnitId = m.UnitId, ProblemId = m.ProblemId, Kind = "people", Value = 3, Unit = "人" });
            db.Rules.Add(new Core.Workflow.RuleDocument { UnitId = m.UnitId, Title = "公务接待管理办法", ProblemIds = [m.ProblemId] });
            await db.SaveChangesAsync();
        }
        var office = await app.ClientFor("office");
        var figures = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures"));
        var f = figures.GetProperty("figures");
        var outcomes = figures.GetProperty("outcomes");
        Assert.Equal(125000m, outcomes.GetProperty("fundsYuan").GetDecimal());
        Assert.Equal(3m, outcomes.GetProperty("peopleHandled").GetDecimal());
        Assert.Equal(1, outcomes.GetProperty("ruleDocuments").GetInt32());

        var md = await (await office.GetAsync($"/api/rounds/{round.RoundId}/summary")).Content.ReadAsStringAsync();
        var sentence = $"巡察反馈的{f.GetProperty("problems").GetInt32()}个问题，完成整改{f.GetProperty("completed").GetInt32()}个";
        Assert.Contains(sentence, md);
        Assert.Contains("总体完成率" + figures.GetProperty("rateText").GetString(), md);
        Assert.Contains("追缴清退资金12.5万元", md);
        Assert.Contains("处理3人", md);
        Assert.Contains("# 2022年第二轮巡察反馈问题整改情况汇总", md);

        var docx = await office.GetAsync($"/api/rounds/{round.RoundId}/summary?format=docx");
        var bytes = await docx.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString(bytes, 0, 2));
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        using var reader = new StreamReader(zip.GetEntry("word/document.xml")!.Open());
        Assert.Contains("完成整改", await reader.ReadToEndAsync());

        await HttpAssert.Problem(await office.GetAsync($"/api/rounds/{round.RoundId}/summary?format=pdf"), 400);
        await HttpAssert.Problem(await office.GetAsync($"/api/rounds/{round.RoundId}/figures?asOf=17.01.2023"), 400);
        await HttpAssert.Problem(await office.GetAsync("/api/figures"), 400);
    }
}
