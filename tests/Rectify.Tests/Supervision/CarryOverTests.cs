using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Supervision;

/// <summary>结转/回头看: the unfinished problems of a round go into a later round with their open measures and history.</summary>
public class CarryOverTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task CarryOver_MovesExactlyTheUnfinishedProblems_OnceWithHistory(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var round = await RoundFiguresTests.GenerateHistoryAsync(app, w);
        var office = await app.ClientFor("office");
        var source = (await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{round.RoundId}/figures"))).GetProperty("figures");
        var open = source.GetProperty("unfinished").GetInt32() + source.GetProperty("basicallyCompleted").GetInt32();
        Assert.True(open > 0);

        var lookback = await HttpAssert.Ok<JsonElement>(await office.PostJson("/api/rounds", new { name = "2023年回头看", kind = "lookback", start = "2023-06-01" }));
        var target = lookback.GetProperty("id").GetInt64();
        var result = await HttpAssert.Ok<JsonElement>(await office.PostJson($"/api/rounds/{round.RoundId}/carry-over", new { toRoundId = target }));
        Assert.Equal(open, result.GetProperty("problemsCarried").GetInt32());

        // The later round holds exactly these problems, none completed, the 基本完成 ones still 基本完成.
        var after = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/rounds/{target}/figures"));
        var f = after.GetProperty("figures");
        Assert.Equal(open, f.GetProperty("problems").GetInt32());
        Assert.Equal(0, f.GetProperty("completed").GetInt32());
        Assert.Equal(source.GetProperty("basicallyCompleted").GetInt32(), f.GetProperty("basicallyCompleted").GetInt32());
        Assert.Equal(result.GetProperty("inspectionsCreated").GetInt32(), after.GetProperty("units").GetArrayLength());

        // Twice carries nothing twice.
        var again = await HttpAssert.Ok<JsonElement>(await office.PostJson($"/api/rounds/{round.RoundId}/carry-over", new { toRoundId = target }));
        Assert.Equal(0, again.GetProperty("problemsCarried").GetInt32());
        Assert.Equal(open, again.GetProperty("alreadyCarried").GetInt32());

        // History: the copy, then the original in the earlier round.
        var first = result.GetProperty("problems")[0];
        var history = await HttpAssert.Ok<JsonElement>(await office.GetAsync($"/api/problems/{first.GetProperty("problemId").GetInt64()}/history"));
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("2023年回头看", history[0].GetProperty("roundName").GetString());
        Assert.Equal("2022年第二轮巡察", history[1].GetProperty("roundName").GetString());
        Assert.Equal(first.GetProperty("fromProblemId").GetInt64(), history[1].GetProperty("problemId").GetInt64());

        // Bad input; unit users may not carry over.
        await HttpAssert.Problem(await office.PostJson($"/api/rounds/{round.RoundId}/carry-over", new { toRoundId = round.RoundId }), 400);
        await HttpAssert.Problem(await office.PostJson($"/api/rounds/{round.RoundId}/carry-over", new { }), 400);
        await HttpAssert.Problem(await office.PostJson($"/api/rounds/{round.RoundId}/carry-over", new { toRoundId = 999999 }), 400);
        var unit = await app.ClientFor("unit_admin-a");
        await HttpAssert.Problem(await unit.PostJson($"/api/rounds/{w.A.RoundId}/carry-over", new { toRoundId = target }), 403);
        // A unit user reads its own problem's history.
        Assert.Single((await HttpAssert.Ok<JsonElement>(await unit.GetAsync($"/api/problems/{w.A.ProblemId}/history"))).EnumerateArray());
    }
}
