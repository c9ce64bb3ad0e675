using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Performance;
using Rectify.Core.Supervision;
using Rectify.Tests.Support;

namespace Rectify.Tests.Supervision;

/// <summary>
/// The round figures kept per inspection (<see cref="KeptFigures"/>): what the figures endpoints serve equals a
/// computation from the base tables after every kind of change, before the keeper has seen it and after.
/// </summary>
public class KeptFiguresTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>What a reader of <paramref name="q"/> takes from the kept rows now: null when it computes everything.</summary>
    static async Task<KeptFigures.Reading?> ReadingAsync(TestApp app, FigureQuery q)
    {
        await using var db = app.Open();
        await using var snapshot = await ReadSnapshot.BeginAsync(db, default);
        return await KeptFigures.ReadAsync(db, GetRoundFigures.Inspections(db, q), default);
    }

    /// <summary>What a page of <paramref name="q"/> takes from the kept rows (the first 5 rows): null when it reads every row.</summary>
    static async Task<KeptFigures.KeptPage?> KeptPageAsync(TestApp app, FigureQuery q)
    {
        await using var db = app.Open();
        await using var snapshot = await ReadSnapshot.BeginAsync(db, default);
        return await KeptFigures.PageAsync(db, q.RoundId!.Value, q.UnitIds, 0, 5, default);
    }

    /// <summary>Pages of <paramref name="q"/> (at the start, in the middle, past the end) are the rows of the whole table
    /// <paramref name="whole"/> at their place, with its totals and its number of rows; compared as JSON.</summary>
    /// <param name="consistent">False when a kept row was filed under another unit behind the application's back: the
    /// pages are not checked then. A page trusts the units of the kept rows, which only the keeper writes (the whole
    /// table checks each against its inspection's); like any write that bypasses the application, such a repair needs
    /// the head emptied.</param>
    static async Task AssertPagesEqual(RectifyDb db, FigureQuery q, RoundFiguresReport whole, string what, bool consistent = true)
    {
        // A round's pages are read from the kept rows unless a unit kept (not changed since the head) has two selected
        // inspections: then every row is read, as for the whole table.
        if (!consistent) return;
        if (q.RoundId is { } round)
        {
            var twice = await GetRoundFigures.Inspections(db, q).GroupBy(i => i.UnitId).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync();
            await using var snapshot = await ReadSnapshot.BeginAsync(db, default);
            var kept = await KeptFigures.PageAsync(db, round, q.UnitIds, 0, 5, default);
            Assert.True(kept is null ? twice.Count > 0 : twice.All(kept.Changed.Contains), $"{what}, {q}: kept rows read: {kept is not null}");
        }
        // The last: an offset whose end does not fit an int.
        foreach (var (offset, take) in new[] { (0, 3), (2, 4), (whole.Units.Count - 2, 5), (whole.Units.Count + 1, 2), (int.MaxValue - 2, 5) })
        {
            var (page, count) = await GetRoundFigures.PageAsync(db, q, Math.Max(offset, 0), take);
            Assert.True(whole.Units.Count == count, $"{what}, {q}, page {offset}+{take}: {count} rows in all, not {whole.Units.Count}");
            Assert.True(JsonSerializer.Serialize(whole.Units.Skip(Math.Max(offset, 0)).Take(take)) == JsonSerializer.Serialize(page.Units),
                $"{what}, {q}, page {offset}+{take}: {JsonSerializer.Serialize(page.Units.Select(u => u.UnitId))} instead of " +
                JsonSerializer.Serialize(whole.Units.Skip(Math.Max(offset, 0)).Take(take).Select(u => u.UnitId)));
            var (expected, actual) = (JsonSerializer.Serialize(whole with { Units = [] }), JsonSerializer.Serialize(page with { Units = [] }));
            Assert.True(expected == actual, $"{what}, {q}, page {offset}+{take}: totals {actual} instead of {expected}");
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Kept_figures_equal_a_computation_from_the_base_tables_through_every_kind_of_change(string provider)
    {
        // The server's keeper off: this test moves the head itself, so each change is seen before and after.
        await using var app = await TestApp.StartAsync(provider, ("Rectify:Perf:KeptFiguresMilliseconds", "0"));
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        var g = await app.GenerateAsync(new ProvinceSize(Units: 10, ProblemsPerUnit: 6, MeasuresPerProblem: 2, Weeks: 1, Seed: 5));
        List<(long Id, long UnitId)> inspections;
        int year;
        await using (var db = app.Open())
        {
            inspections = [.. (await db.Inspections.Where(i => i.RoundId == g.RoundId).OrderBy(i => i.Id).ToListAsync()).Select(i => (i.Id, i.UnitId))];
            year = (await db.Inspections.FirstAsync(i => i.RoundId == g.RoundId)).FeedbackDate!.Value.Year;
        }
        var units = inspections.Select(i => i.UnitId).ToArray();
        var round = new FigureQuery(g.RoundId);
        // A unit filter of a few units is computed without the kept rows (GetRoundFigures.FewUnits): this one has more.
        Assert.True(units.Length > GetRoundFigures.FewUnits);
        FigureQuery[] queries = [round, new(Year: year), new(w.A.RoundId), new(g.RoundId, UnitIds: [.. units.Take(GetRoundFigures.FewUnits + 1)])];
        var office = new CallerScope(false, [units[0], units[1], w.A.UnitId], [], null, "office-test", Role.Office);

        async Task CatchUp()
        {
            await using var keeper = app.Open(KeptFigures.Scope);
            await KeptFigures.CatchUpAsync(keeper);
        }
        Task<KeptFigures.Reading?> Reading() => ReadingAsync(app, round);
        async Task AssertServedEqualsComputed(string after, bool consistent = true)
        {
            foreach (var scope in new[] { CallerScope.System, office })
            {
                await using var db = app.Open(scope);
                foreach (var q in queries)
                {
                    // As JSON: a decimal's scale (12345.5 against 12345.5000) shows in the answer.
                    var served = await GetRoundFigures.FiguresAsync(db, q);
                    var computed = await GetRoundFigures.ComputeAsync(db, q);
                    var differs = computed.Units.Zip(served.Units).FirstOrDefault(p => JsonSerializer.Serialize(p.First) != JsonSerializer.Serialize(p.Second));
                    Assert.True(computed.Units.Count == served.Units.Count && differs == default,
                        $"{after}, {scope.UserName}, {q}: computed {JsonSerializer.Serialize(differs.First)}, served {JsonSerializer.Serialize(differs.Second)}");
                    Assert.Equal(JsonSerializer.Serialize(computed with { Units = [] }), JsonSerializer.Serialize(served with { Units = [] }));
                    await AssertPagesEqual(db, q, computed, $"{after}, {scope.UserName}", consistent);
                }
            }
        }
        // A unit's kept row made wrong behind the application's back: served as it stands until the unit is computed.
        async Task Tamper(long unit)
        {
            await using var db = app.Open();
            var tamper = $"UPDATE \"{KeptFigures.Table}\" SET \"Problems\" = \"Problems\" + 100 WHERE \"UnitId\" = {unit}";
            await db.Database.ExecuteSqlRawAsync(tamper);
        }
        // Each change, in a unit of its own whose kept row was tampered with before it: before the keeper has seen the
        // change that unit is computed from the base tables (and only it; the tampered row would show), after the
        // keeper's pass its row is computed again (the tampering is gone); the figures served equal the computation.
        async Task Changed(string what, long unit, bool consistent = true)
        {
            Assert.Equal(new[] { unit }, (await Reading())!.Compute.ToArray());
            if (consistent) Assert.Equal(new[] { unit }, (await KeptPageAsync(app, round))!.Changed.ToArray());
            await AssertServedEqualsComputed(what, consistent);
            await CatchUp();
            Assert.Empty((await Reading())!.Compute);
            Assert.Empty((await KeptPageAsync(app, round))!.Changed);
            await AssertServedEqualsComputed(what + ", kept");
        }

        // Kept for every inspection of the round: nothing left to compute.
        Assert.Null(await Reading());
        await CatchUp();
        var reading = await Reading();
        Assert.NotNull(reading);
        Assert.Empty(reading.Compute);
        Assert.Equal(units.Order(), reading.Units.Select(u => u.UnitId).Order());
        await AssertServedEqualsComputed("generated");

        // What is served is the kept row: one changed behind the application's back is served as it stands…
        await Tamper(units[0]);
        await using (var db = app.Open())
        {
            var served = (await GetRoundFigures.FiguresAsync(db, round)).Units.Single(u => u.UnitId == units[0]);
            var computed = (await GetRoundFigures.ComputeAsync(db, round)).Units.Single(u => u.UnitId == units[0]);
            Assert.Equal(computed.Figures.Problems + 100, served.Figures.Problems);
            var (page, _) = await GetRoundFigures.PageAsync(db, round, 0, units.Length);
            Assert.Equal(computed.Figures.Problems + 100, page.Units.Single(u => u.UnitId == units[0]).Figures.Problems);
        }
        // …until a change in its unit through the application: a measure's status.
        async Task<(long Id, int Version)> MeasureOf(long unit)
        {
            await using var db = app.Open();
            var m = await db.Measures.Where(m => m.UnitId == unit && m.Status == Core.Ledger.MeasureStatus.InProgress).OrderBy(m => m.Id).FirstAsync();
            return (m.Id, m.Version);
        }
        var (measure, version) = await MeasureOf(units[0]);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/measures/{measure}", new { status = "rectified_ongoing", version })).StatusCode);
        await Changed("a measure's status", units[0]);
        await Tamper(units[0]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/measures/{measure}")).StatusCode);
        await Changed("a measure deleted", units[0]);

        async Task<long> ProblemOf(long unit)
        {
            await using var db = app.Open();
            return await db.Problems.Where(p => p.UnitId == unit).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        }
        // An outcome figure of a problem, added and deleted.
        await Tamper(units[1]);
        var figure = await HttpAssert.Ok<JsonElement>(await admin.PostJson($"/api/problems/{await ProblemOf(units[1])}/figures", new { kind = "funds_yuan", value = 12345.50m }));
        await Changed("an outcome figure", units[1]);
        await Tamper(units[1]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/figures/{figure.GetProperty("id").GetInt64()}")).StatusCode);
        await Changed("an outcome figure deleted", units[1]);

        await Tamper(units[2]);
        // One of a measure alone (the API records figures under a problem; such figures come with an imported ledger).
        await using (var db = app.Open())
        {
            var m = await MeasureOf(units[2]);
            db.OutcomeFigures.Add(new Core.Workflow.OutcomeFigure { UnitId = units[2], MeasureId = m.Id, Kind = "people_handled", Value = 2, Unit = "人" });
            await db.SaveChangesAsync();
        }
        await Changed("an outcome figure of a measure", units[2]);

        // A rule document citing a problem, registered and deleted.
        await Tamper(units[3]);
        var rule = await HttpAssert.Ok<JsonElement>(await admin.PostJson("/api/rules", new { unitId = units[3], title = "财务报销管理办法", problemIds = new[] { await ProblemOf(units[3]) } }));
        await Changed("a rule document", units[3]);
        await Tamper(units[3]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/rules/{rule.GetProperty("id").GetInt64()}")).StatusCode);
        await Changed("a rule document deleted", units[3]);

        await Tamper(units[4]);
        // A problem without measures: it counts with its stated status (as imported), then another one.
        long stated;
        await using (var db = app.Open())
        {
            var inspection = inspections.Single(i => i.UnitId == units[4]).Id;
            var category = await db.Categories.FirstAsync(c => c.InspectionId == inspection);
            var p = new Core.Ledger.Problem { InspectionId = inspection, UnitId = units[4], CategoryId = category.Id, Ordinal = 90, Title = "已整改的问题", StatedStatus = Core.Ledger.MeasureStatus.Rectified };
            db.Problems.Add(p);
            await db.SaveChangesAsync();
            stated = p.Id;
        }
        await Changed("a problem with a stated status", units[4]);
        await Tamper(units[4]);
        await using (var db = app.Open())
        {
            (await db.Problems.SingleAsync(p => p.Id == stated)).StatedStatus = Core.Ledger.MeasureStatus.BasicallyRectified;
            await db.SaveChangesAsync();
        }
        await Changed("its stated status changed", units[4]);
        await Tamper(units[4]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/problems/{await ProblemOf(units[4])}")).StatusCode);
        await Changed("a problem deleted", units[4]);

        // A second inspection of a unit in the round: that unit is computed (a rule may cite problems of both), kept or not.
        var second = await HttpAssert.Ok<JsonElement>(await admin.PostJson("/api/inspections", new { unitId = units[5], roundId = g.RoundId, team = "第二巡察组" }));
        await AssertServedEqualsComputed("a second inspection");
        await CatchUp();
        Assert.Equal(new[] { units[5] }, (await Reading())!.Compute.ToArray());
        await AssertServedEqualsComputed("a second inspection, kept");
        await Tamper(units[5]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/inspections/{second.GetProperty("id").GetInt64()}")).StatusCode);
        await Changed("the second inspection deleted", units[5]);

        // Events that change no kept row (a weekly report) leave nothing to compute, and a few of them do not move the head.
        async Task<long> HeadAsync()
        {
            await using var db = app.Open();
            return await db.Database.SqlQueryRaw<long>($"SELECT \"Sequence\" AS \"Value\" FROM \"{KeptFigures.HeadTable}\"").SingleAsync();
        }
        var head = await HeadAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson($"/api/measures/{(await MeasureOf(units[1])).Id}/reports", new { done = "本周完成台账核查", percent = 60 })).StatusCode);
        Assert.Empty((await Reading())!.Compute);
        await CatchUp();
        Assert.Equal(head, await HeadAsync());
        await AssertServedEqualsComputed("a weekly report");

        // A unit renamed: the name is kept with its rows (a page of units reads it from them).
        await Tamper(units[7]);
        await using (var db = app.Open())
        {
            (await db.Organisations.SingleAsync(o => o.Id == units[7])).Name = "更名后的单位";
            await db.SaveChangesAsync();
        }
        await Changed("a unit renamed", units[7]);

        // An office renamed: it names no kept row, so nothing is computed (its events have no unit, which would otherwise
        // make every reader compute everything).
        await using (var db = app.Open())
        {
            var inspectionOffice = await db.Organisations.FirstAsync(o => o.Kind == Core.Organisations.OrganisationKind.Office);
            inspectionOffice.Name += "（更名）";
            await db.SaveChangesAsync();
        }
        Assert.Empty((await Reading())!.Compute);
        Assert.Empty((await KeptPageAsync(app, round))!.Changed);

        // A problem with its measures moved to another unit's inspection (the API refuses it; code through the DbContext
        // can): both units are computed until the keeper has kept both again.
        await Tamper(units[8]);
        await Tamper(units[9]);
        await using (var db = app.Open())
        {
            var target = inspections.Single(i => i.UnitId == units[9]).Id;
            // One no rule document cites: a rule cites problems of its own unit only (RegisterRule), which a move breaks.
            // (A move that leaves a unit's rule citing, or its figures counting for, another unit's problem makes the
            // computation count them under the old unit and the kept rows under the new one.)
            var cited = (await db.Rules.Where(r => r.UnitId == units[8]).Select(r => r.ProblemIds).ToListAsync()).SelectMany(i => i).ToHashSet();
            var moving = (await db.Problems.Include(p => p.Measures).Where(p => p.UnitId == units[8]).OrderBy(p => p.Id).ToListAsync()).First(p => !cited.Contains(p.Id));
            moving.InspectionId = target;
            moving.UnitId = units[9];
            foreach (var m in moving.Measures) { m.InspectionId = target; m.UnitId = units[9]; }
            // Its outcome figures with it (the figures count under their own unit).
            var ids = moving.Measures.Select(m => (long?)m.Id).ToList();
            foreach (var f in await db.OutcomeFigures.Where(f => f.ProblemId == moving.Id || ids.Contains(f.MeasureId)).ToListAsync()) f.UnitId = units[9];
            await db.SaveChangesAsync();
        }
        Assert.Equal(new[] { units[8], units[9] }.Order(), (await Reading())!.Compute.Order());
        await AssertServedEqualsComputed("a problem moved to another unit");
        await CatchUp();
        Assert.Empty((await Reading())!.Compute);
        await AssertServedEqualsComputed("a problem moved to another unit, kept");

        // A kept row filed under another unit (written behind the application's back): not served for its inspection's
        // unit, which is computed instead, and the keeper's next pass over that unit replaces it instead of failing on
        // the inspection's key.
        await using (var db = app.Open())
        {
            var misfile = $"UPDATE \"{KeptFigures.Table}\" SET \"UnitId\" = {units[7]}, \"Problems\" = \"Problems\" + 100 WHERE \"UnitId\" = {units[6]}";
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(misfile));
        }
        Assert.Contains(units[6], (await Reading())!.Compute);
        await AssertServedEqualsComputed("a row filed under another unit", consistent: false);
        var (other, otherVersion) = await MeasureOf(units[6]);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/measures/{other}", new { status = "rectified_ongoing", version = otherVersion })).StatusCode);
        // (Until the keeper's pass the misfiled row is there: a round's page reads every row, as two rows name one unit.)
        await Changed("a change in the unit whose row was filed under another", units[6], consistent: false);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_servers_keeper_fills_the_kept_figures_and_follows_a_change_within_seconds(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        var g = await app.GenerateAsync(new ProvinceSize(Units: 4, ProblemsPerUnit: 5, MeasuresPerProblem: 2, Weeks: 1, Seed: 9));
        var round = new FigureQuery(g.RoundId);
        Task<KeptFigures.Reading?> Reading() => ReadingAsync(app, round);
        async Task WaitKept()
        {
            var clock = Stopwatch.StartNew();
            while (await Reading() is not { Compute.Count: 0 } && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100);
        }

        // Filled without being asked (every row of the generated round), then a change: its unit's rows follow.
        await WaitKept();
        var filled = await Reading();
        Assert.NotNull(filled);
        Assert.Equal(4, filled.Units.Count);
        long measure;
        int version;
        await using (var db = app.Open())
        {
            var m = await db.Measures.Where(m => m.InspectionId == db.Inspections.Where(i => i.RoundId == g.RoundId).Min(i => i.Id)
                                               && m.Status == Core.Ledger.MeasureStatus.InProgress).OrderBy(m => m.Id).FirstAsync();
            (measure, version) = (m.Id, m.Version);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/measures/{measure}", new { status = "rectified_ongoing", version })).StatusCode);
        await WaitKept();
        var followed = await Reading();
        Assert.NotNull(followed);
        Assert.Empty(followed.Compute);
        await using (var db = app.Open())
            Assert.Equal(JsonSerializer.Serialize((await GetRoundFigures.ComputeAsync(db, round)).Units),
                JsonSerializer.Serialize((await GetRoundFigures.FiguresAsync(db, round)).Units));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_page_from_the_kept_rows_sorts_ties_of_rate_by_the_names_code_points_as_the_whole_table_does(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, ("Rectify:Perf:KeptFiguresMilliseconds", "0"));
        await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        // One problem per unit: every rate is 0 or 100 %, so at least 6 of the 12 units share one.
        var g = await app.GenerateAsync(new ProvinceSize(Units: 12, ProblemsPerUnit: 1, MeasuresPerProblem: 1, Weeks: 1, Seed: 3));
        var round = new FigureQuery(g.RoundId);
        // Names that sort otherwise by UTF-16 code unit than by code point (𠀀 is U+20000, （ U+FF08), Latin letters
        // of both cases and widths, and two units of one name (then by id), given to the units of the largest tie.
        string[] names = ["甲（一）", "甲𠀀", "甲", "甲", "甲A", "甲a", "（", "𠀁", "Ａ"];
        List<long> tie;
        await using (var db = app.Open())
        {
            tie = (await GetRoundFigures.ComputeAsync(db, round)).Units.GroupBy(u => u.Figures.Rate).MaxBy(t => t.Count())!.Select(u => u.UnitId).ToList();
            Assert.True(tie.Count >= 6);
            foreach (var (unit, name) in tie.Zip(names))
                (await db.Organisations.SingleAsync(o => o.Id == unit)).Name = name;
            await db.SaveChangesAsync();
        }
        await using (var keeper = app.Open(KeptFigures.Scope)) await KeptFigures.CatchUpAsync(keeper);
        // Every page, from every offset, is the whole table's rows at that place.
        async Task AssertEveryPage(string what)
        {
            await using var db = app.Open();
            var whole = await GetRoundFigures.ComputeAsync(db, round);
            // The test means something: in code-unit order 甲𠀀 would come before 甲（一）.
            var ofName = whole.Units.Where(u => u.UnitName.StartsWith('甲')).Select(u => u.UnitName).ToList();
            Assert.True(ofName.IndexOf("甲（一）") < ofName.IndexOf("甲𠀀"));
            for (var offset = 0; offset <= whole.Units.Count; offset++)
                for (var take = 1; take <= 3; take++)
                {
                    var (page, count) = await GetRoundFigures.PageAsync(db, round, offset, take);
                    Assert.Equal(whole.Units.Count, count);
                    Assert.Equal(JsonSerializer.Serialize(whole with { Units = [] }), JsonSerializer.Serialize(page with { Units = [] }));
                    Assert.True(whole.Units.Skip(offset).Take(take).Select(u => (u.UnitId, u.UnitName)).SequenceEqual(page.Units.Select(u => (u.UnitId, u.UnitName))),
                        $"{what}, page {offset}+{take}: {string.Join(" ", page.Units.Select(u => u.UnitName))}");
                }
        }
        Assert.Empty((await KeptPageAsync(app, round))!.Changed);
        await AssertEveryPage("kept");
        // A unit of the tie changed after the head (an outcome figure: its rate stays): computed and merged into the pages.
        await using (var db = app.Open())
        {
            var problem = await db.Problems.Where(p => p.UnitId == tie[1]).Select(p => p.Id).FirstAsync();
            db.OutcomeFigures.Add(new Core.Workflow.OutcomeFigure { UnitId = tie[1], ProblemId = problem, Kind = "meetings", Value = 1, Unit = "次" });
            await db.SaveChangesAsync();
        }
        Assert.Equal(new[] { tie[1] }, (await KeptPageAsync(app, round))!.Changed.ToArray());
        await AssertEveryPage("one unit changed");

        // A sum of 10 billion or more in a kept row (its whole ten-thousandths could overflow a round's sum): every row
        // is read, with the same answer.
        await using (var db = app.Open())
        {
            var problem = await db.Problems.Where(p => p.UnitId == tie[2]).Select(p => p.Id).FirstAsync();
            db.OutcomeFigures.Add(new Core.Workflow.OutcomeFigure { UnitId = tie[2], ProblemId = problem, Kind = "funds_yuan", Value = 20_000_000_000m, Unit = "元" });
            await db.SaveChangesAsync();
        }
        await using (var keeper = app.Open(KeptFigures.Scope)) await KeptFigures.CatchUpAsync(keeper);
        Assert.Null(await KeptPageAsync(app, round));
        await AssertEveryPage("a sum of 20 billion yuan");

        // Through the API: a page asked for first (made from the kept rows), then the whole table, then another page
        // (cut from the whole table's copy).
        async Task<JsonElement> Get(string query) => await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/rounds/{g.RoundId}/figures{query}"));
        var first = await Get("?offset=4&limit=5");
        var all = await Get("");
        var cut = await Get("?offset=3&limit=5");
        List<string> Rows(JsonElement e, int skip) => [.. e.GetProperty("units").EnumerateArray().Skip(skip).Take(5).Select(u => u.GetRawText())];
        foreach (var (p, offset) in new[] { (first, 4), (cut, 3) })
        {
            Assert.Equal(Rows(all, offset), Rows(p, 0));
            Assert.Equal(12, p.GetProperty("unitCount").GetInt32());
            Assert.Equal(all.GetProperty("figures").GetRawText(), p.GetProperty("figures").GetRawText());
            Assert.Equal(all.GetProperty("outcomes").GetRawText(), p.GetProperty("outcomes").GetRawText());
        }
    }
}
