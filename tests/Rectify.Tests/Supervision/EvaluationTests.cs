using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Supervision;

/// <summary>整改评估: a configurable scoring sheet per round; scores give a total, a grade and a follow-up.</summary>
public class EvaluationTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Evaluate_DefaultAndConfiguredSheet_GradesAndFollowUps(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var office = await app.ClientFor("office");
        var round = w.A.RoundId;

        // The default sheet: 100 points, 好/较好/一般/差; 一般 → 约谈, 差 → 二次整改.
        var sheet = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round}/evaluation-sheet"));
        Assert.Equal(100m, sheet.GetProperty("criteria").EnumerateArray().Sum(c => c.GetProperty("maxScore").GetDecimal()));
        var scores = new Dictionary<string, decimal> { ["responsibility"] = 15, ["completion"] = 30, ["rules"] = 10, ["outcome"] = 10, ["disclosure"] = 5 };
        var e = await HttpAssert.Ok<JsonElement>(await office.PutJson($"/api/rounds/{round}/evaluations", new { unitId = w.A.UnitId, scores, comment = "整改进度偏慢" }));
        Assert.Equal(70m, e.GetProperty("total").GetDecimal());
        Assert.Equal("一般", e.GetProperty("grade").GetString());
        Assert.Equal("interview", e.GetProperty("followUp").GetString());
        Assert.Equal("约谈", e.GetProperty("followUpText").GetString());
        Assert.Equal("0%", e.GetProperty("completionRate").GetString());

        // Re-evaluated: 差 → 二次整改. The list shows it with the grade counts.
        scores["completion"] = 5;
        e = await HttpAssert.Ok<JsonElement>(await office.PutJson($"/api/rounds/{round}/evaluations", new { unitId = w.A.UnitId, scores }));
        Assert.Equal("差", e.GetProperty("grade").GetString());
        Assert.Equal("二次整改", e.GetProperty("followUpText").GetString());
        var list = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round}/evaluations"));
        var unit = Assert.Single(list.GetProperty("units").EnumerateArray());
        Assert.Equal("差", unit.GetProperty("grade").GetString());
        Assert.Equal(1, list.GetProperty("gradeCounts").GetProperty("差").GetInt32());
        Assert.Equal(0, list.GetProperty("gradeCounts").GetProperty("好").GetInt32());

        // Bad scores: over the maximum, unknown criterion, missing criterion, a unit not in the round.
        scores["completion"] = 41;
        await HttpAssert.Problem(await office.PutJson($"/api/rounds/{round}/evaluations", new { unitId = w.A.UnitId, scores }), 400);
        await HttpAssert.Problem(await office.PutJson($"/api/rounds/{round}/evaluations", new { unitId = w.A.UnitId, scores = new Dictionary<string, decimal> { ["x"] = 1 } }), 400);
        await HttpAssert.Problem(await office.PutJson($"/api/rounds/{round}/evaluations", new { unitId = w.A.UnitId, scores = new Dictionary<string, decimal> { ["rules"] = 1 } }), 400);
        await HttpAssert.Problem(await office.PutJson($"/api/rounds/{round}/evaluations", new { unitId = w.B.UnitId, scores }), 400);

        // A configured sheet (four-grade, no points breakdown) on round B.
        var configured = new
        {
            name = "2022年整改评估",
            criteria = new[] { new { code = "overall", title = "综合评价", maxScore = 4m } },
            grades = new object[] { new { grade = "好", minScore = 4m }, new { grade = "较好", minScore = 3m }, new { grade = "一般", minScore = 2m, followUp = "interview" }, new { grade = "差", minScore = 0m, followUp = "re_rectify" } },
        };
        await HttpAssert.Ok<JsonElement>(await office.PutJson($"/api/rounds/{w.B.RoundId}/evaluation-sheet", configured));
        e = await HttpAssert.Ok<JsonElement>(await office.PutJson($"/api/rounds/{w.B.RoundId}/evaluations", new { unitId = w.B.UnitId, scores = new Dictionary<string, decimal> { ["overall"] = 3 } }));
        Assert.Equal("较好", e.GetProperty("grade").GetString());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("followUp").ValueKind);
        // Once a unit is evaluated the sheet is fixed; a sheet without a band from 0 is refused.
        await HttpAssert.Problem(await office.PutJson($"/api/rounds/{w.B.RoundId}/evaluation-sheet", configured), 400);
        await HttpAssert.Problem(await office.PutJson($"/api/rounds/{round}/evaluation-sheet", new { name = "x", criteria = configured.criteria, grades = new[] { new { grade = "好", minScore = 1m } } }), 400);

        // Unit users cannot evaluate.
        var unitAdmin = await app.ClientFor("unit_admin-a");
        await HttpAssert.Problem(await unitAdmin.PutJson($"/api/rounds/{round}/evaluations", new { unitId = w.A.UnitId, scores }), 403);
        await HttpAssert.Problem(await unitAdmin.PutJson($"/api/rounds/{round}/evaluation-sheet", configured), 403);
    }
}
