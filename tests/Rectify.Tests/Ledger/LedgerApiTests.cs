using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Tests.Support;

namespace Rectify.Tests.Ledger;

public class LedgerApiTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task LedgerTree_CreateEditReorderDelete_ShowsInLedgerAndAudit(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        var inspection = w.A.InspectionId;

        var cat2 = await HttpAssert.Ok<JsonElement>(await c.PostJson($"/api/inspections/{inspection}/categories", new { title = "履职尽责有差距" }));
        var cat2Id = cat2.GetProperty("id").GetInt64();
        var p1 = await HttpAssert.Ok<JsonElement>(await c.PostJson($"/api/categories/{cat2Id}/problems", new { title = "义务教育均衡发展工作有差距" }));
        var p2 = await HttpAssert.Ok<JsonElement>(await c.PostJson($"/api/categories/{cat2Id}/problems", new { title = "双减政策落实有偏差" }));
        var p1Id = p1.GetProperty("id").GetInt64();
        var m1 = await HttpAssert.Ok<JsonElement>(await c.PostJson($"/api/problems/{p1Id}/measures",
            new { text = "开展结对帮扶", mode = "long_term", ownerId = w.A.PersonId, leadDepartmentId = w.A.DepartmentId, deadline = "2022-09-30" }));
        var m2 = await HttpAssert.Ok<JsonElement>(await c.PostJson($"/api/problems/{p1Id}/measures", new { text = "发挥专递课堂作用" }));

        // Edit: the first measure is done for good; the second still in progress.
        var edit = await c.PutJson($"/api/measures/{m1.GetProperty("id").GetInt64()}", new { status = "rectified_ongoing", version = m1.GetProperty("version").GetInt32() });
        var edited = await HttpAssert.Ok<JsonElement>(edit);
        Assert.Equal("rectified_ongoing", edited.GetProperty("status").GetString());
        Assert.Equal("已整改，长期坚持", edited.GetProperty("statusText").GetString());
        Assert.Equal(2, edited.GetProperty("version").GetInt32());
        Assert.Equal("2022-09-30", edited.GetProperty("originalDeadline").GetString());

        // Reorder the problems of category 2 and the categories of the inspection.
        Assert.Equal(HttpStatusCode.NoContent, (await c.PutJson($"/api/categories/{cat2Id}/problems/order", new { ids = new[] { p2.GetProperty("id").GetInt64(), p1Id } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await c.PutJson($"/api/inspections/{inspection}/categories/order", new { ids = new[] { cat2Id, w.A.CategoryId } })).StatusCode);

        var ledger = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{inspection}/ledger"));
        var cats = ledger.GetProperty("categories");
        Assert.Equal("履职尽责有差距", cats[0].GetProperty("title").GetString());
        Assert.Equal("一", cats[0].GetProperty("number").GetString());
        Assert.Equal("二", cats[1].GetProperty("number").GetString());
        var problems = cats[0].GetProperty("problems");
        Assert.Equal("双减政策落实有偏差", problems[0].GetProperty("title").GetString());
        Assert.Equal("in_progress", problems[1].GetProperty("status").GetString()); // one measure done, one not started
        Assert.Equal("张三a", problems[1].GetProperty("measures")[0].GetProperty("ownerName").GetString());
        Assert.Equal("办公室", problems[1].GetProperty("measures")[0].GetProperty("leadDepartmentName").GetString());
        var figures = ledger.GetProperty("figures").GetProperty("problems");
        Assert.Equal(3, figures.GetProperty("problems").GetInt32());
        Assert.Equal(0, figures.GetProperty("completed").GetInt32());
        Assert.Equal("2022-07-27", ledger.GetProperty("deadlines").GetProperty("planDue").GetString());

        // Finishing the second measure completes the problem: 1 of 3 problems, 33.33%.
        var m2Id = m2.GetProperty("id").GetInt64();
        await HttpAssert.Ok<JsonElement>(await c.PutJson($"/api/measures/{m2Id}", new { status = "rectified", version = 1 }));
        ledger = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{inspection}/ledger"));
        Assert.Equal(1, ledger.GetProperty("figures").GetProperty("problems").GetProperty("completed").GetInt32());
        Assert.Equal("33.33%", ledger.GetProperty("figures").GetProperty("problems").GetProperty("rateText").GetString());

        // Delete a measure and a whole category.
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync($"/api/measures/{m2Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/api/measures/{m2Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync($"/api/categories/{cat2Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync($"/api/problems/{p1Id}")).StatusCode);

        await using var db = app.Open();
        var deleted = await db.AuditEvents.Where(e => e.Action == "deleted" && e.EntityType == "Measure").Select(e => e.EntityId).ToListAsync();
        Assert.Contains(m2Id, deleted);
        Assert.Contains(m1.GetProperty("id").GetInt64(), deleted); // deleted with its category
        var update = await db.AuditEvents.FirstAsync(e => e.Action == "updated" && e.EntityType == "Measure" && e.EntityId == m1.GetProperty("id").GetInt64());
        Assert.Contains("\"Status\":\"not_started\"", update.Before);
        Assert.Contains("\"Status\":\"rectified_ongoing\"", update.After);
        Assert.Equal("unit_admin-a", update.UserName);
        Assert.True((await AuditChain.VerifyAsync(db)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task EditMeasure_StaleVersion_Returns409WithCurrentVersion(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        var url = $"/api/measures/{w.A.MeasureId}";
        await HttpAssert.Ok<JsonElement>(await c.PutJson(url, new { progress = "已召开专题会", version = 1 }));
        var stale = await HttpAssert.Problem(await c.PutJson(url, new { progress = "覆盖他人的修改", version = 1 }), 409);
        Assert.Equal(2, stale.GetProperty("currentVersion").GetInt32());
        var now = await HttpAssert.Ok<JsonElement>(await c.GetAsync(url));
        Assert.Equal("已召开专题会", now.GetProperty("progress").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task EditMeasure_TwoClientsSameVersionAtOnce_ExactlyOneSucceeds(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var clients = new[] { await app.ClientFor("unit_admin-a"), await app.ClientFor("admin") };
        for (int round = 0; round < 5; round++)
        {
            var current = await HttpAssert.Ok<JsonElement>(await clients[0].GetAsync($"/api/measures/{w.A.MeasureId}"));
            var version = current.GetProperty("version").GetInt32();
            var responses = await Task.WhenAll(clients.Select((cl, i) => cl.PutJson($"/api/measures/{w.A.MeasureId}", new { remarks = $"client {i} round {round}", version })));
            var codes = responses.Select(r => (int)r.StatusCode).OrderBy(x => x).ToArray();
            Assert.Equal([200, 409], codes);
        }
        await using var db = app.Open();
        Assert.Equal(6, (await db.Measures.SingleAsync(m => m.Id == w.A.MeasureId)).Version);
        Assert.True((await AuditChain.VerifyAsync(db)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task BadRequests_MissingWrongUnknownOversized_Return4xxProblemDetails(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");

        var missing = await HttpAssert.Problem(await c.PostJson($"/api/inspections/{w.A.InspectionId}/categories", new { }), 400);
        Assert.True(missing.GetProperty("errors").TryGetProperty("Title", out _) || missing.GetProperty("errors").TryGetProperty("title", out _), missing.ToString());

        var wrongType = await HttpAssert.Problem(await c.PutAsync($"/api/measures/{w.A.MeasureId}",
            new StringContent("""{"version":"abc"}""", Encoding.UTF8, "application/json")), 400);
        Assert.Contains("version", wrongType.ToString());

        var badEnum = await HttpAssert.Problem(await c.PutAsync($"/api/measures/{w.A.MeasureId}",
            new StringContent("""{"version":1,"status":"done_maybe"}""", Encoding.UTF8, "application/json")), 400);
        Assert.Contains("status", badEnum.ToString());

        await HttpAssert.Problem(await c.PutAsync($"/api/measures/{w.A.MeasureId}", new StringContent("{not json", Encoding.UTF8, "application/json")), 400);
        await HttpAssert.Problem(await c.GetAsync("/api/measures/999999"), 404);
        await HttpAssert.Problem(await c.GetAsync("/api/nothing-here"), 404);
        var badPerson = await HttpAssert.Problem(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { ownerId = 999999, version = 1 }), 400);
        Assert.True(badPerson.GetProperty("errors").TryGetProperty("ownerId", out _));
        var illegal = await HttpAssert.Problem(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { status = "closed", version = 1 }), 400);
        Assert.Contains("不能从", illegal.GetProperty("detail").GetString());

        var huge = new string('问', 700_000);
        await HttpAssert.Problem(await c.PostJson($"/api/inspections/{w.A.InspectionId}/categories", new { title = huge }), 413);
        var deep = new StringBuilder().Insert(0, "{\"a\":", 200).Append('1').Append('}', 200).ToString();
        await HttpAssert.Problem(await c.PutAsync($"/api/measures/{w.A.MeasureId}", new StringContent(deep, Encoding.UTF8, "application/json")), 400);

        await using var db = app.Open();
        Assert.Equal(1, await db.Categories.CountAsync(x => x.InspectionId == w.A.InspectionId));
        Assert.Equal(1, (await db.Measures.SingleAsync(m => m.Id == w.A.MeasureId)).Version);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Roles_ReadOnlyRoles_CannotEditLedger(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        foreach (var user in new[] { "leader-a", "owner-a", "viewer-a" })
        {
            var c = await app.ClientFor(user);
            await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{w.A.InspectionId}/ledger"));
            await HttpAssert.Problem(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { remarks = "x", version = 1 }), 403);
            await HttpAssert.Problem(await c.PostJson($"/api/inspections/{w.A.InspectionId}/categories", new { title = "新类别" }), 403);
        }
    }
}
