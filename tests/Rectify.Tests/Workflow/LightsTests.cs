using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Workflow;

public class LightsTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task ImmediateMeasureWithoutDeadline_DefaultDeadlineAfterFeedback_TurnsRedWhenPassed(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, ("Rectify:Workflow:ImmediateDeadlineDays", "15"));
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("unit_admin-a");
        await HttpAssert.Ok<JsonElement>(await admin.PutJson($"/api/measures/{w.A.MeasureId}", new { mode = "immediate", version = 1 }));

        async Task<JsonElement> Light() => (await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/inspections/{w.A.InspectionId}/lights")))
            .GetProperty("measures").EnumerateArray().Single();
        var l = await Light();
        Assert.Equal("2022-07-12", l.GetProperty("deadline").GetString()); // feedback 2022-06-27 + 15 days
        Assert.Equal("green", l.GetProperty("light").GetString());
        app.Clock.Advance(TimeSpan.FromDays(16)); // 2022-07-13
        Assert.Equal("red", (await Light()).GetProperty("light").GetString());
        var red = await HttpAssert.Ok<JsonElement>(await admin.GetAsync("/api/lights/red"));
        Assert.Equal(w.A.MeasureId, Assert.Single(red.EnumerateArray()).GetProperty("measureId").GetInt64());
    }
}
