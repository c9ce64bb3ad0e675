using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Core.Supervision;
using Rectify.Tests.Support;

namespace Rectify.Tests.Supervision;

/// <summary>The office's cross-unit views: who may use them, similar problems and clusters, search.</summary>
public class OfficeViewTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>Every cross-unit endpoint of the supervision API, for an object of the given unit.</summary>
    static string[] Endpoints(UnitWorld u) =>
    [
        $"/api/rounds/{u.RoundId}/figures", $"/api/rounds/{u.RoundId}/figures?asOf=2023-01-17", $"/api/rounds/{u.RoundId}/figures/items", "/api/figures/items?year=2022", $"/api/rounds/{u.RoundId}/summary",
        $"/api/rounds/{u.RoundId}/summary?format=docx", $"/api/rounds/{u.RoundId}/clusters", $"/api/problems/{u.ProblemId}/similar",
        "/api/figures?year=2022", $"/api/figures?year=2022&unitId={u.UnitId}", $"/api/rounds/{u.RoundId}/evaluations", $"/api/rounds/{u.RoundId}/evaluation-sheet", "/api/search?q=学习贯彻", $"/api/search?q=学习&unitId={u.UnitId}",
    ];

    [Theory, MemberData(nameof(Providers))]
    public async Task UnitUsers_CannotUseAnyCrossUnitView(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        // The supervision endpoints listed here are all of them: a new one must be added to Endpoints().
        var openApi = await app.Anonymous().GetStringAsync("/openapi/v1.json");
        foreach (var template in new[] { "/api/rounds/{id}/evaluations", "/api/rounds/{id}/evaluation-sheet", "/api/rounds/{id}/figures", "/api/rounds/{id}/figures/items", "/api/figures/items", "/api/rounds/{id}/summary", "/api/rounds/{id}/clusters", "/api/problems/{id}/similar", "/api/figures", "/api/search" })
            Assert.Contains($"\"{template}\"", openApi);
        // 12 = these 10 paths + carry-over (an office write, checked in CarryOverTests) + a problem's history (inside one unit).
        Assert.Equal(12, JsonDocument.Parse(openApi).RootElement.GetProperty("paths").EnumerateObject()
            .Count(p => p.Value.EnumerateObject().Any(m => m.Value.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => t.GetString()!.StartsWith("巡察办")))));

        foreach (var user in new[] { "unit_admin-a", "leader-a", "owner-a", "viewer-a" })
        {
            var c = await app.ClientFor(user);
            foreach (var url in Endpoints(w.A))
            {
                var r = await c.GetAsync(url);
                var text = await r.Content.ReadAsStringAsync();
                Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{user} {url} → {(int)r.StatusCode} {text}");
                Assert.DoesNotContain("区卫生健康委员会", text);
            }
            foreach (var url in Endpoints(w.B))
            {
                var r = await c.GetAsync(url);
                Assert.True(r.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{user} {url} → {(int)r.StatusCode}");
            }
        }
        // The office uses them all.
        var office = await app.ClientFor("office");
        foreach (var url in Endpoints(w.B))
            Assert.True((await office.GetAsync(url)).IsSuccessStatusCode, url);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task OtherOffice_SeesNoneOfTheUnitsItDoesNotSupervise(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        await using (var db = app.Open())
        {
            var other = new Organisation { Kind = OrganisationKind.Office, Name = "市委巡察办" };
            db.Organisations.Add(other);
            await db.SaveChangesAsync();
            await Users.AddAsync(db, "office2", Role.Office, TestApp.Password, null, other.Id);
        }
        var c = await app.ClientFor("office2");
        foreach (var url in Endpoints(w.B).Where(u => u.Contains("/rounds/") || u.Contains("/problems/")))
            await HttpAssert.Problem(await c.GetAsync(url), 404);
        var year = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/figures?year=2022&unitId={w.B.UnitId}"));
        Assert.Equal(0, year.GetProperty("figures").GetProperty("problems").GetInt32());
        Assert.Equal(0, (await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/search?q=学习贯彻"))).GetArrayLength());
        Assert.Equal(0, (await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/search?q=学习"))).GetArrayLength());
        // The first office sees both units.
        var office = await app.ClientFor("office");
        Assert.Equal(2, (await HttpAssert.Ok<JsonElement>(await office.GetAsync("/api/search?q=学习贯彻"))).GetArrayLength());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Search_FindsChineseText_WithFilters_AndFollowsEdits(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        long ruleId;
        await using (var db = app.Open())
        {
            var m = await db.Measures.SingleAsync(x => x.Id == w.B.MeasureId);
            m.Progress = "已召开专题民主生活会";
            var rule = new Core.Workflow.RuleDocument { UnitId = w.A.UnitId, Title = "机关食堂管理办法", Reference = "平龙教体〔2022〕31号" };
            db.Rules.Add(rule);
            db.ProgressReports.Add(new Core.Workflow.ProgressReport { MeasureId = w.A.MeasureId, UnitId = w.A.UnitId, Week = new DateOnly(2022, 6, 27), Done = "组织中心组专题学习两次", SubmittedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            ruleId = rule.Id;
        }
        var c = await app.ClientFor("office");
        async Task<List<JsonElement>> Find(string query) =>
            [.. (await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/search?q=" + Uri.EscapeDataString(query)))).EnumerateArray()];

        var both = await Find("学习贯彻");
        Assert.Equal([w.A.ProblemId, w.B.ProblemId], both.Select(h => h.GetProperty("id").GetInt64()).Order());
        Assert.All(both, h => Assert.Equal("problem", h.GetProperty("kind").GetString()));
        Assert.Equal("in_progress", both[0].GetProperty("status").GetString());

        List<JsonElement> onlyB = [.. (await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/search?q=学习贯彻&unitId={w.B.UnitId}"))).EnumerateArray()];
        Assert.Equal(w.B.ProblemId, Assert.Single(onlyB).GetProperty("id").GetInt64());
        Assert.Empty((await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/search?q=学习贯彻&roundId={w.A.RoundId}&unitId={w.B.UnitId}"))).EnumerateArray());
        Assert.Empty((await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/search?q=学习贯彻&status=closed"))).EnumerateArray());
        // take: as many as asked for, best first, also when a status filter drops rows.
        Assert.Single((await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/search?q=学习贯彻&take=1"))).EnumerateArray());
        Assert.Single((await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/search?q=学习&status=in_progress&kind=problem&take=1"))).EnumerateArray());

        // Measures (progress text), weekly reports, rules (title and reference).
        Assert.Equal(w.B.MeasureId, Assert.Single(await Find("民主生活会")).GetProperty("id").GetInt64());
        Assert.Equal("report", Assert.Single(await Find("中心组专题")).GetProperty("kind").GetString());
        Assert.Equal(ruleId, Assert.Single(await Find("食堂管理")).GetProperty("id").GetInt64());
        Assert.Equal(ruleId, Assert.Single(await Find("〔2022〕31号")).GetProperty("id").GetInt64());
        // Shorter than three characters: LIKE.
        Assert.Equal(ruleId, Assert.Single(await Find("食堂")).GetProperty("id").GetInt64());
        // Two words: both must occur.
        Assert.Equal([w.A.MeasureId, w.B.MeasureId], (await Find("学习 计划")).Select(h => h.GetProperty("id").GetInt64()).Order());
        Assert.Empty(await Find("学习贯彻 食堂管理"));

        // Edits are followed: a renamed problem is found by its new title only.
        var p = await HttpAssert.Ok<JsonElement>(await (await app.ClientFor("unit_admin-b")).PutJson($"/api/problems/{w.B.ProblemId}", new { title = "意识形态工作责任制落实不到位", version = 1 }));
        Assert.Equal(2, p.GetProperty("version").GetInt32());
        Assert.Equal(w.A.ProblemId, Assert.Single(await Find("学习贯彻")).GetProperty("id").GetInt64());
        Assert.Equal(w.B.ProblemId, Assert.Single(await Find("意识形态")).GetProperty("id").GetInt64());

        await HttpAssert.Problem(await c.GetAsync("/api/search?q="), 400);
        await HttpAssert.Problem(await c.GetAsync("/api/search?q=学习&status=done"), 400);
        await HttpAssert.Problem(await c.GetAsync("/api/search?q=学习&kind=file"), 400);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task SimilarAndClusters_FindTheSameProblemInOtherUnits(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var round = await RoundFiguresTests.GenerateHistoryAsync(app, w);
        var c = await app.ClientFor("office");

        // A problem of unit A reworded in unit B's inspection: the original is among the top 3.
        var (title, description) = RoundGenerator.Text(area: 6, fault: 4, wording: 0, detail: 321);
        var (title2, description2) = RoundGenerator.Text(area: 6, fault: 4, wording: 2, detail: 321);
        long original, reworded;
        await using (var db = app.Open())
        {
            var pa = new Problem { CategoryId = w.A.CategoryId, InspectionId = w.A.InspectionId, UnitId = w.A.UnitId, Ordinal = 2, Title = title, Description = description };
            var pb = new Problem { CategoryId = w.B.CategoryId, InspectionId = w.B.InspectionId, UnitId = w.B.UnitId, Ordinal = 2, Title = title2, Description = description2 };
            db.Problems.AddRange(pa, pb);
            await db.SaveChangesAsync();
            (original, reworded) = (pa.Id, pb.Id);
        }
        var similar = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/problems/{reworded}/similar?take=3"));
        Assert.Contains(original, similar.EnumerateArray().Select(s => s.GetProperty("problemId").GetInt64()));
        Assert.DoesNotContain(reworded, similar.EnumerateArray().Select(s => s.GetProperty("problemId").GetInt64()));
        Assert.True(similar.GetArrayLength() <= 3);

        // Clusters of the generated round span several units.
        var clusters = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/rounds/{round.RoundId}/clusters"));
        Assert.True(clusters.GetArrayLength() > 0);
        foreach (var cl in clusters.EnumerateArray())
        {
            Assert.True(cl.GetProperty("unitCount").GetInt32() >= 2);
            Assert.Equal(cl.GetProperty("unitCount").GetInt32(), cl.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("unitId").GetInt64()).Distinct().Count());
        }
        // A stricter cut gives fewer or smaller clusters.
        var strict = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/rounds/{round.RoundId}/clusters?threshold=0.9"));
        Assert.True(strict.EnumerateArray().Sum(x => x.GetProperty("problems").GetArrayLength()) <= clusters.EnumerateArray().Sum(x => x.GetProperty("problems").GetArrayLength()));

        // The index follows edits (data version): the reworded problem renamed to something else no longer finds the original first.
        await using (var db = app.Open())
        {
            var pb = await db.Problems.SingleAsync(p => p.Id == reworded);
            pb.Title = "网络安全等级保护未落实";
            pb.Description = "机房门禁与日志审计缺失";
            await db.SaveChangesAsync();
        }
        var after = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/problems/{reworded}/similar?take=3"));
        Assert.DoesNotContain(original, after.EnumerateArray().Select(s => s.GetProperty("problemId").GetInt64()));
    }
}
