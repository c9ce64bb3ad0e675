using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Workflow;

public class OutcomeTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task FiguresAndRules_RecordedPerProblem_SummedPerUnit(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("unit_admin-a");
        await HttpAssert.Ok<JsonElement>(await admin.PostJson($"/api/problems/{w.A.ProblemId}/figures", new { kind = "funds_yuan", value = 2730, note = "清退违规发放补贴" }));
        await HttpAssert.Ok<JsonElement>(await admin.PostJson($"/api/problems/{w.A.ProblemId}/figures", new { kind = "funds_yuan", value = 1270.5m, measureId = w.A.MeasureId }));
        await HttpAssert.Ok<JsonElement>(await admin.PostJson($"/api/problems/{w.A.ProblemId}/figures", new { kind = "people_reminded", value = 3 }));
        var bad = await HttpAssert.Problem(await admin.PostJson($"/api/problems/{w.A.ProblemId}/figures", new { kind = "apples", value = 1 }), 400);
        Assert.Contains("未知的成效类别", bad.GetProperty("detail").GetString());
        await HttpAssert.Problem(await (await app.ClientFor("owner-a")).PostJson($"/api/problems/{w.A.ProblemId}/figures", new { kind = "meetings", value = 1 }), 403);

        var rule = await HttpAssert.Ok<JsonElement>(await admin.PostJson("/api/rules",
            new { unitId = w.A.UnitId, title = "区教育体育局党组理论学习中心组学习制度", reference = "平龙教体〔2022〕31号", issuedOn = "2022-08-15", issuer = "区教育体育局党组", problemIds = new[] { w.A.ProblemId } }));
        Assert.Equal("平龙教体〔2022〕31号", rule.GetProperty("reference").GetString());
        await HttpAssert.Problem(await admin.PostJson("/api/rules", new { unitId = w.A.UnitId, title = "x", problemIds = new[] { w.B.ProblemId } }), 400);
        var forProblem = await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/rules?problemId={w.A.ProblemId}"));
        Assert.Single(forProblem.EnumerateArray());

        var office = await app.ClientFor("office");
        var sums = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/outcomes?roundId={w.A.RoundId}"));
        var unit = Assert.Single(sums.EnumerateArray());
        Assert.Equal(w.A.UnitId, unit.GetProperty("unitId").GetInt64());
        Assert.Equal(1, unit.GetProperty("rulesRegistered").GetInt32());
        var funds = unit.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "funds_yuan");
        Assert.Equal(4000.5m, funds.GetProperty("total").GetDecimal());
        Assert.Equal("元", funds.GetProperty("unit").GetString());
        Assert.Equal(3m, unit.GetProperty("figures").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "people_reminded").GetProperty("total").GetDecimal());
    }
}
