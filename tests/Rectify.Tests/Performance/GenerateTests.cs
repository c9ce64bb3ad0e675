using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Core.Ledger;
using Rectify.Core.Performance;
using Rectify.Tests.Support;

namespace Rectify.Tests.Performance;

public class GenerateTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Generated_province_has_the_asked_size_and_serves_ledger_figures_and_a_valid_audit_chain(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        long headBefore;
        await using (var db = app.Open()) headBefore = await db.AuditEvents.MaxAsync(a => a.Sequence);
        var g = await app.GenerateAsync(new ProvinceSize(Units: 3, ProblemsPerUnit: 4, MeasuresPerProblem: 2, Weeks: 3, Seed: 7));

        Assert.Equal(3, g.Rows["inspections"]);
        Assert.Equal(12, g.Rows["problems"]);
        Assert.Equal(24, g.Rows["measures"]);
        await using (var db = app.Open())
        {
            Assert.Equal(12, await db.Problems.CountAsync(p => db.Inspections.Any(i => i.Id == p.InspectionId && i.RoundId == g.RoundId)));
            var measures = await db.Measures.Where(m => db.Inspections.Any(i => i.Id == m.InspectionId && i.RoundId == g.RoundId)).ToListAsync();
            Assert.Equal(24, measures.Count);
            // The bulk load (SQLite: triggers' work redone once; PostgreSQL: COPY) leaves each problem's status bit set right.
            await Supervision.RoundFiguresTests.AssertFigureCountersMatchAsync(db);
            // Every started measure reports every week; not-started ones do not report.
            Assert.Equal(measures.Count(m => m.Status != MeasureStatus.NotStarted) * 3, await db.ProgressReports.CountAsync(r => measures.Select(m => m.Id).Contains(r.MeasureId)));
            Assert.Equal(g.Rows["closure_requests"], await db.ClosureRequests.CountAsync(r => measures.Select(m => m.Id).Contains(r.MeasureId)));
            var audit = await AuditChain.VerifyAsync(db);
            Assert.True(audit.Ok, audit.Problem);
            Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.EntityType == "Generation"));

            // Every generated row has the "created" event SaveChanges would have appended (months of use leave an audit
            // table that size behind): the generation's rows, then the generation's own event.
            var created = g.Rows.Where(r => r.Key != "audit_events").Sum(r => r.Value);
            Assert.Equal(created, g.Rows["audit_events"]);
            var trail = await db.AuditEvents.Where(a => a.Sequence > headBefore).OrderBy(a => a.Sequence).ToListAsync();
            Assert.Equal(created + 1, trail.Count);
            Assert.All(trail.SkipLast(1), a => Assert.Equal("created", a.Action));
            Assert.Equal(g.Rows["progress_reports"], trail.Count(a => a.EntityType == "ProgressReport"));
            // A generated problem's event holds its unit and the same picture of the row as one taken by SaveChanges.
            var problem = await db.Problems.AsNoTracking().Where(p => p.InspectionId == g.FirstInspectionId).OrderBy(p => p.Id).FirstAsync();
            var generated = trail.Single(a => a.EntityType == "Problem" && a.EntityId == problem.Id);
            Assert.Equal(problem.UnitId, generated.UnitId);
            var saved = await db.AuditEvents.Where(a => a.Sequence <= headBefore && a.EntityType == "Problem" && a.Action == "created").FirstAsync();
            var picture = JsonDocument.Parse(generated.After!).RootElement;
            Assert.Equal(JsonDocument.Parse(saved.After!).RootElement.EnumerateObject().Select(p => p.Name), picture.EnumerateObject().Select(p => p.Name));
            Assert.Equal(problem.Title, picture.GetProperty("Title").GetString());
            Assert.Equal(problem.InspectionId, picture.GetProperty("InspectionId").GetInt64());
        }

        var admin = await app.ClientFor("admin");
        var ledger = await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/inspections/{g.FirstInspectionId}/ledger"));
        Assert.Equal(4, ledger.GetProperty("categories").EnumerateArray().Sum(c => c.GetProperty("problems").GetArrayLength()));
        await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/rounds/{g.RoundId}/figures"));

        // A row written after the generation gets a fresh id (PostgreSQL sequences were moved past the generated ids).
        await using (var db = app.Open())
        {
            var unit = new Core.Organisations.Organisation { Kind = Core.Organisations.OrganisationKind.Unit, Name = "新增单位" };
            db.Organisations.Add(unit);
            await db.SaveChangesAsync();
            Assert.True((await AuditChain.VerifyAsync(db)).Ok);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Lights_of_every_visible_measure_work_beyond_sqlites_32766_variable_limit(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        var g = await app.GenerateAsync(new ProvinceSize(Units: 280, ProblemsPerUnit: 40, MeasuresPerProblem: 3, Weeks: 1, Seed: 3));
        Assert.True(g.Rows["measures"] > 32_766);

        // The office's lights across all units (what the reminder job also computes on start) list every measure.
        var admin = await app.ClientFor("admin");
        var lights = await HttpAssert.Ok<JsonElement>(await admin.GetAsync("/api/lights"));
        Assert.True(lights.GetProperty("measures").GetArrayLength() >= g.Rows["measures"]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Ledger_endpoint_runs_the_same_number_of_sql_commands_for_a_ledger_ten_times_larger(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        GeneratedProvince warm, small, large;
        string database;
        await using (var db = app.Open())
        {
            warm = await new ProvinceGenerator(db, app.Clock).RunAsync(new ProvinceSize(1, 3, 2, 2, 3));
            small = await new ProvinceGenerator(db, app.Clock).RunAsync(new ProvinceSize(1, 3, 2, 2, 1));
            large = await new ProvinceGenerator(db, app.Clock).RunAsync(new ProvinceSize(1, 30, 2, 2, 2));
            database = DbEventCounter.DatabaseOf(db);
        }
        var admin = await app.ClientFor("admin");
        // Warm up on a third ledger: the two measured below are each read for the first time, so neither comes from the read cache.
        await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/inspections/{warm.FirstInspectionId}/ledger"));

        async Task<int> Commands(long inspection)
        {
            using var counter = DbEventCounter.Commands(database, DbEventCounter.Housekeeping);
            await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/inspections/{inspection}/ledger"));
            return counter.Count;
        }
        var few = await Commands(small.FirstInspectionId);
        var many = await Commands(large.FirstInspectionId);
        Assert.InRange(few, 1, 20);
        Assert.Equal(few, many);
    }
}
