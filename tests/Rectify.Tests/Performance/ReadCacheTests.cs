using System.Net;
using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Performance;

/// <summary>
/// The ledger and the round figures are served from a cache (hosting/ReadCache): a user must still see every change at
/// once, and a copy computed for one caller must never reach a caller with another scope.
/// </summary>
public class ReadCacheTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static string MeasureStatus(JsonElement ledger) =>
        ledger.GetProperty("categories")[0].GetProperty("problems")[0].GetProperty("measures")[0].GetProperty("status").GetString()!;

    [Theory, MemberData(nameof(Providers))]
    public async Task Ledger_and_figures_show_a_change_at_once_and_stay_inside_the_callers_scope(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        var office = await app.ClientFor("office");
        var editor = await app.ClientFor("unit_admin-a");
        var otherUnit = await app.ClientFor("viewer-b");
        var ledgerUrl = $"/api/inspections/{w.A.InspectionId}/ledger";
        var figuresUrl = $"/api/rounds/{w.A.RoundId}/figures";

        // Filled by the admin (scope: everything) and read twice, so the second answer is the cached one.
        var before = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(ledgerUrl));
        Assert.Equal(before.GetRawText(), (await HttpAssert.Ok<JsonElement>(await admin.GetAsync(ledgerUrl))).GetRawText());
        var figuresBefore = await HttpAssert.Ok<JsonElement>(await office.GetAsync(figuresUrl));
        await HttpAssert.Ok<JsonElement>(await office.GetAsync(figuresUrl));
        Assert.Equal("in_progress", MeasureStatus(before));
        Assert.Equal(0, figuresBefore.GetProperty("figures").GetProperty("completed").GetInt32());

        // Another unit's user gets "not found", also while the admin's copy is cached; the unit's own user gets the same tree.
        await HttpAssert.Problem(await otherUnit.GetAsync(ledgerUrl), 404);
        await HttpAssert.Problem(await otherUnit.GetAsync(figuresUrl), 404);
        Assert.Equal(before.GetRawText(), (await HttpAssert.Ok<JsonElement>(await editor.GetAsync(ledgerUrl))).GetRawText());

        // A change is visible on the next read, in the ledger and in the figures (problem completed → rate 100%).
        var measure = await HttpAssert.Ok<JsonElement>(await editor.GetAsync($"/api/measures/{w.A.MeasureId}"));
        var put = await editor.PutJson($"/api/measures/{w.A.MeasureId}", new { status = "rectified_ongoing", version = measure.GetProperty("version").GetInt32() });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var after = await HttpAssert.Ok<JsonElement>(await admin.GetAsync(ledgerUrl));
        Assert.Equal("rectified_ongoing", MeasureStatus(after));
        var figuresAfter = await HttpAssert.Ok<JsonElement>(await office.GetAsync(figuresUrl));
        Assert.Equal(1, figuresAfter.GetProperty("figures").GetProperty("completed").GetInt32());
        Assert.Equal("100%", figuresAfter.GetProperty("rateText").GetString());
        var items = await HttpAssert.Ok<JsonElement>(await office.GetAsync(figuresUrl + "/items"));
        Assert.Equal(0, items.GetProperty("unfinished").GetArrayLength());
    }

    [Fact]
    public async Task Revoked_token_and_changed_password_take_effect_on_the_next_request()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var w = await app.SeedWorldAsync();
        var viewer = await app.ClientFor("viewer-a");
        var url = $"/api/inspections/{w.A.InspectionId}/ledger";
        // Authenticated (and cached) several times…
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(url)).StatusCode);
        // …then revoked through the API's own context: the very next request is refused.
        await using (var db = app.Open())
        {
            foreach (var t in db.ApiTokens) t.RevokedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync(url)).StatusCode);
    }
}
