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

    [Theory, MemberData(nameof(Providers))]
    public async Task Kept_figures_equal_a_computation_from_the_base_tables_through_every_kind_of_change(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        var g = await app.GenerateAsync(new ProvinceSize(Units: 6, ProblemsPerUnit: 8, MeasuresPerProblem: 2, Weeks: 1, Seed: 5));
        List<(long Id, long UnitId)> inspections;
        int year;
        await using (var db = app.Open())
        {
            inspections = [.. (await db.Inspections.Where(i => i.RoundId == g.RoundId).OrderBy(i => i.Id).ToListAsync()).Select(i => (i.Id, i.UnitId))];
            year = (await db.Inspections.FirstAsync(i => i.RoundId == g.RoundId)).FeedbackDate!.Value.Year;
        }
        var (unitA, unitB, unitC) = (inspections[0].UnitId, inspections[1].UnitId, inspections[2].UnitId);
        var round = new FigureQuery(g.RoundId);
        FigureQuery[] queries = [round, new(Year: year), new(w.A.RoundId), new(g.RoundId, UnitIds: [unitA, unitC])];
        var office = new CallerScope(false, [unitA, unitB, w.A.UnitId], [], null, "office-test", Role.Office);

        async Task<int> CatchUp()
        {
            await using var keeper = app.Open(KeptFigures.Scope);
            return await KeptFigures.CatchUpAsync(keeper);
        }
        async Task<KeptFigures.Reading?> Reading()
        {
            await using var db = app.Open();
            await using var snapshot = await ReadSnapshot.BeginAsync(db, default);
            return await KeptFigures.ReadAsync(db, GetRoundFigures.Inspections(db, round), default);
        }
        async Task AssertServedEqualsComputed(string after)
        {
            foreach (var scope in new[] { CallerScope.System, office })
            {
                await using var db = app.Open(scope);
                foreach (var q in queries)
                {
                    var served = await GetRoundFigures.FiguresAsync(db, q);
                    var computed = await GetRoundFigures.ComputeAsync(db, q);
                    var differs = computed.Units.Zip(served.Units).FirstOrDefault(p => p.First != p.Second);
                    Assert.True(computed.Units.Count == served.Units.Count && differs == default,
                        $"{after}, {scope.UserName}, {q}: computed {JsonSerializer.Serialize(differs.First)}, served {JsonSerializer.Serialize(differs.Second)}");
                    Assert.Equal(computed.Figures, served.Figures);
                    Assert.Equal(computed.Outcomes, served.Outcomes);
                    Assert.Equal(computed.RoundName, served.RoundName);
                }
            }
        }
        // Each change is checked before the keeper has seen it (its unit is computed) and after (its rows are kept).
        async Task Changed(string what)
        {
            await AssertServedEqualsComputed(what);
            await CatchUp();
            Assert.Empty((await Reading())!.Compute);
            await AssertServedEqualsComputed(what + ", kept");
        }

        // Kept for every inspection of the round: nothing left to compute.
        await CatchUp();
        var reading = await Reading();
        Assert.NotNull(reading);
        Assert.Empty(reading.Compute);
        Assert.Equal(inspections.Select(i => i.UnitId).Order(), reading.Units.Keys.Order());
        await AssertServedEqualsComputed("generated");

        // What is served is the kept row: one changed behind the application's back is served as it stands…
        await using (var db = app.Open())
        {
            var tamper = $"UPDATE \"{KeptFigures.Table}\" SET \"Problems\" = \"Problems\" + 100 WHERE \"UnitId\" = {unitA}";
            await db.Database.ExecuteSqlRawAsync(tamper);
        }
        await using (var db = app.Open())
        {
            var served = (await GetRoundFigures.FiguresAsync(db, round)).Units.Single(u => u.UnitId == unitA);
            var computed = (await GetRoundFigures.ComputeAsync(db, round)).Units.Single(u => u.UnitId == unitA);
            Assert.Equal(computed.Figures.Problems + 100, served.Figures.Problems);
        }
        // …until a change in its unit through the application: computed at once, kept again by the keeper.
        long measure;
        int version;
        await using (var db = app.Open())
        {
            var m = await db.Measures.Where(m => m.UnitId == unitA && m.Status == Core.Ledger.MeasureStatus.InProgress).OrderBy(m => m.Id).FirstAsync();
            (measure, version) = (m.Id, m.Version);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/measures/{measure}", new { status = "rectified_ongoing", version })).StatusCode);
        await Changed("a measure rectified");

        // Outcome figures, of a problem and of a measure; a rule document.
        long problemB, problemC, measureC;
        await using (var db = app.Open())
        {
            problemB = await db.Problems.Where(p => p.UnitId == unitB).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
            problemC = await db.Problems.Where(p => p.UnitId == unitC).OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
            measureC = await db.Measures.Where(m => m.UnitId == unitC).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        }
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson($"/api/problems/{problemB}/figures", new { kind = "funds_yuan", value = 12345.5m })).StatusCode);
        // (The API records figures under a problem; one of a measure alone comes with an imported ledger.)
        await using (var db = app.Open())
        {
            db.OutcomeFigures.Add(new Core.Workflow.OutcomeFigure { UnitId = unitC, MeasureId = measureC, Kind = "people_handled", Value = 2, Unit = "人" });
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/rules", new { unitId = unitB, title = "财务报销管理办法", problemIds = new[] { problemB } })).StatusCode);
        await Changed("outcome figures and a rule document");

        // A second inspection of C in the round: C's row is computed (a rule may cite problems of both), the rest kept.
        var second = await HttpAssert.Ok<JsonElement>(await admin.PostJson("/api/inspections", new { unitId = unitC, roundId = g.RoundId, team = "第二巡察组" }));
        await AssertServedEqualsComputed("a second inspection");
        await CatchUp();
        Assert.Equal(new[] { unitC }, (await Reading())!.Compute.ToArray());
        await AssertServedEqualsComputed("a second inspection, kept");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/inspections/{second.GetProperty("id").GetInt64()}")).StatusCode);
        await Changed("the second inspection deleted");

        // A problem deleted (with its measures and figures).
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/problems/{problemC}")).StatusCode);
        await Changed("a problem deleted");

        // The server's own keeper catches up too, within seconds (nothing else here moves the head now).
        await using (var db = app.Open())
        {
            var m = await db.Measures.Where(m => m.UnitId == unitB && m.Status == Core.Ledger.MeasureStatus.InProgress).OrderBy(m => m.Id).FirstAsync();
            (measure, version) = (m.Id, m.Version);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson($"/api/measures/{measure}", new { status = "rectified_ongoing", version })).StatusCode);
        var clock = Stopwatch.StartNew();
        while ((await Reading())!.Compute.Count > 0 && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(100);
        Assert.Empty((await Reading())!.Compute);
        await AssertServedEqualsComputed("kept by the server");
    }
}
