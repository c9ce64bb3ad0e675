using System.Net;
using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Hosting;

/// <summary>The write rate limit: per user, writes only, a Chinese 429 with Retry-After, configurable and off with 0.</summary>
public class RateLimitTests
{
    [Fact]
    public async Task Writes_OverLimit_Chinese429WithRetryAfter_OtherUsersAndReadsUnaffected()
    {
        await using var app = await TestApp.StartAsync("sqlite", ("Rectify:RateLimit:WritesPerMinute", "5"), ("Rectify:RateLimit:WindowSeconds", "10"));
        var w = await app.SeedWorldAsync();
        var unitAdmin = await app.ClientFor("unit_admin-a");
        for (int i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Created, (await unitAdmin.PostJson($"/api/inspections/{w.A.InspectionId}/categories", new { title = $"类别{i}" })).StatusCode);
        var limited = await unitAdmin.PostJson($"/api/inspections/{w.A.InspectionId}/categories", new { title = "超出" });
        var problem = await HttpAssert.Problem(limited, 429);
        Assert.Equal("请求过于频繁", problem.GetProperty("title").GetString());
        Assert.Contains("秒后再试", problem.GetProperty("detail").GetString());
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) is > 0 and <= 10);

        // Reads go on; another user's writes are counted separately.
        await HttpAssert.Ok<JsonElement>(await unitAdmin.GetAsync($"/api/inspections/{w.A.InspectionId}/ledger"));
        var other = await app.ClientFor("unit_admin-b");
        Assert.Equal(HttpStatusCode.Created, (await other.PostJson($"/api/inspections/{w.B.InspectionId}/categories", new { title = "乙类别" })).StatusCode);

        // The refused write stored nothing; after the window, writes are accepted again.
        await using (var db = app.Open())
            Assert.Equal(6, db.Categories.Count(c => c.InspectionId == w.A.InspectionId));
        await Task.Delay(TimeSpan.FromSeconds(int.Parse(limited.Headers.GetValues("Retry-After").Single()) + 1));
        Assert.Equal(HttpStatusCode.Created, (await unitAdmin.PostJson($"/api/inspections/{w.A.InspectionId}/categories", new { title = "窗口之后" })).StatusCode);
    }

    [Fact]
    public async Task Writes_LimitZero_NeverLimited()
    {
        await using var app = await TestApp.StartAsync("sqlite", ("Rectify:RateLimit:WritesPerMinute", "0"));
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        for (int i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.Created, (await c.PostJson($"/api/inspections/{w.A.InspectionId}/categories", new { title = $"类别{i}" })).StatusCode);
    }

    [Fact]
    public void Default_GenerousForPeopleAndScripts() => Assert.Equal(1200, Rectify.Hosting.RateLimits.DefaultWritesPerMinute);
}
