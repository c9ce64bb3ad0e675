using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Hosting;
using Rectify.Organisations;
using Rectify.Tests.Support;

namespace Rectify.Tests.Workflow;

/// <summary>The administrator changes the cycle and light settings through the API: in force at once, audited, checked.</summary>
public class SettingsTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task AdminRaisesYellowThreshold_LightTurnsYellowWithoutRestart_Audited(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var unit = await app.ClientFor("unit_admin-a");
        var admin = await app.ClientFor("admin");
        // Today is 2022-06-27: 12 days remain, green while yellow starts at 10 days.
        await HttpAssert.Ok<JsonElement>(await unit.PutJson($"/api/measures/{w.A.MeasureId}", new { deadline = "2022-07-09", version = 1 }));
        async Task<string?> Light() => (await HttpAssert.Ok<JsonElement>(await unit.GetAsync($"/api/inspections/{w.A.InspectionId}/lights")))
            .GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("measureId").GetInt64() == w.A.MeasureId).GetProperty("light").GetString();
        Assert.Equal("green", await Light());

        var before = await HttpAssert.Ok<JsonElement>(await unit.GetAsync("/api/settings"));
        Assert.Equal(10, before.GetProperty("effective").GetProperty("yellowDays").GetInt32());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("stored").GetProperty("yellowDays").ValueKind);
        Assert.Equal(0, before.GetProperty("version").GetInt32());

        var saved = await HttpAssert.Ok<JsonElement>(await admin.PutJson("/api/settings", new { stored = new { yellowDays = 15 }, version = 0 }));
        Assert.Equal(15, saved.GetProperty("effective").GetProperty("yellowDays").GetInt32());
        Assert.Equal(20, saved.GetProperty("effective").GetProperty("greenDays").GetInt32()); // not stored: as configured
        Assert.Equal(1, saved.GetProperty("version").GetInt32());
        Assert.Equal("yellow", await Light());
        Assert.Equal(15, (await HttpAssert.Ok<JsonElement>(await unit.GetAsync("/api/settings"))).GetProperty("effective").GetProperty("yellowDays").GetInt32());

        // A stale version is refused; back to the configured value with the current one.
        await HttpAssert.Problem(await admin.PutJson("/api/settings", new { stored = new { yellowDays = 5 }, version = 0 }), 409);
        await HttpAssert.Ok<JsonElement>(await admin.PutJson("/api/settings", new { stored = new { }, version = 1 }));
        Assert.Equal("green", await Light());

        await using var db = app.Open();
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.EntityType == "StoredSettings").OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(["created", "updated"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal("admin", e.UserName));
        Assert.Contains("\"YellowDays\":15", events[0].After);
        Assert.Contains("\"YellowDays\":15", events[1].Before);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task NonAdminIsForbidden_InvalidValuesAre400InChinese_NothingStored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        foreach (var user in new[] { "office", "unit_admin-a", "viewer-a" })
        {
            var client = await app.ClientFor(user);
            var p = await HttpAssert.Problem(await client.PutJson("/api/settings", new { stored = new { yellowDays = 15 }, version = 0 }), 403);
            Assert.Contains("系统管理员", p.GetProperty("detail").GetString());
        }

        var admin = await app.ClientFor("admin");
        async Task Invalid(object stored, string field, string message)
        {
            var p = await HttpAssert.Problem(await admin.PutJson("/api/settings", new { stored, version = 0 }), 400);
            var errors = p.GetProperty("errors").EnumerateObject().ToList();
            var error = Assert.Single(errors, e => e.Name.EndsWith(field, StringComparison.OrdinalIgnoreCase));
            Assert.Contains(message, error.Value.EnumerateArray().Select(m => m.GetString()));
        }
        await Invalid(new { yellowDays = -1 }, "yellowDays", "黄灯天数须在 0–365 天之间。");
        await Invalid(new { yellowDays = 25 }, "yellowDays", "黄灯天数须小于绿灯天数。"); // green stays 20
        await Invalid(new { reportDueWeekday = 8 }, "reportDueWeekday", "周汇报截止日须为 1–7（周一至周日）。");
        await Invalid(new { reportDueTime = "25:00" }, "reportDueTime", "周汇报截止时间须为 HH:mm，例如 17:00。");
        await Invalid(new { maxEvidenceMegabytes = 0 }, "maxEvidenceMegabytes", "佐证材料大小上限须在 1–60 MB 之间。");

        await using var db = app.Open();
        Assert.False(await db.StoredSettings.AnyAsync());
        var settings = await HttpAssert.Ok<JsonElement>(await admin.GetAsync("/api/settings"));
        Assert.Equal(10, settings.GetProperty("effective").GetProperty("yellowDays").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task AnotherAppServer_SeesTheStoredValueAtStart_AndAtItsNextReload(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        var admin = await app.ClientFor("admin");
        await HttpAssert.Ok<JsonElement>(await admin.PutJson("/api/settings", new { stored = new { yellowDays = 15 }, version = 0 }));

        // A second server on the same database, started after the change.
        var server = RectifyServer.Build(new ServerSettings(app.Db) { Clock = app.Clock }, b =>
        {
            b.WebHost.UseTestServer();
            b.Configuration["Rectify:Reminders:Enabled"] = "false";
            b.Configuration["Rectify:RateLimit:WritesPerMinute"] = "0";
        });
        await server.StartAsync();
        try
        {
            var second = await new TestApp { App = server, Db = app.Db, Clock = app.Clock }.ClientFor("viewer-a");
            async Task<int> Yellow() => (await HttpAssert.Ok<JsonElement>(await second.GetAsync("/api/settings"))).GetProperty("effective").GetProperty("yellowDays").GetInt32();
            Assert.Equal(15, await Yellow());

            // Changed on the first server: the second follows at its next periodic reload (run here at once).
            await HttpAssert.Ok<JsonElement>(await admin.PutJson("/api/settings", new { stored = new { yellowDays = 7 }, version = 1 }));
            Assert.Equal(15, await Yellow());
            await using (var db = app.Open())
                await server.Services.GetRequiredService<StoredSettingsConfiguration>().LoadAsync(db, CancellationToken.None);
            Assert.Equal(7, await Yellow());
        }
        finally
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
    }
}
