using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Tests.Support;

namespace Rectify.Tests.Reliability;

/// <summary>The audit chain as evidence: an anchor printed outside, checked later; a server that will not run on a broken chain.</summary>
public class TamperEvidenceTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Anchor_HistoryRewrittenWithValidHashes_ChainPassesButAnchorFails(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        await HttpAssert.Ok<JsonElement>(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { remarks = "按期完成", version = 1 }));

        var printed = await RectifyProcess.RunAsync(null, "audit", "anchor", "--db", app.Db.ConnectionString);
        Assert.True(printed.ExitCode == 0, printed.Err);
        var anchor = printed.Out.Trim();
        Assert.Matches("^[0-9]+:[0-9a-f]{64}$", anchor);
        Assert.Contains("审计锚点", printed.Err);

        // Work goes on after the notice is published: the anchor still holds.
        await HttpAssert.Ok<JsonElement>(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { remarks = "持续整改", version = 2 }));
        var later = await RectifyProcess.RunAsync(null, "audit", "verify", "--db", app.Db.ConnectionString, "--anchor", anchor);
        Assert.True(later.ExitCode == 0, later.Err);
        Assert.Contains("未被改动", later.Out);

        // Someone with database access rewrites an old event and recomputes every later hash: the chain alone cannot tell.
        await using (var db = app.Open())
        {
            var events = await db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
            var target = events.First(e => e.EntityType == "Measure" && e.Action == "updated");
            target.After = target.After!.Replace("按期完成", "提前完成", StringComparison.Ordinal);
            var prev = events.First(e => e.Sequence == target.Sequence - 1).Hash;
            foreach (var e in events.Where(e => e.Sequence >= target.Sequence))
            {
                e.PreviousHash = prev;
                e.Hash = e.ComputeHash();
                prev = e.Hash;
                await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"After\" = {0}, \"PreviousHash\" = {1}, \"Hash\" = {2} WHERE \"Id\" = {3}", e.After!, e.PreviousHash, e.Hash, e.Id);
            }
            Assert.True((await AuditChain.VerifyAsync(db)).Ok);
        }
        var plain = await RectifyProcess.RunAsync(null, "audit", "verify", "--db", app.Db.ConnectionString);
        Assert.Equal(0, plain.ExitCode);
        var caught = await RectifyProcess.RunAsync(null, "audit", "verify", "--db", app.Db.ConnectionString, "--anchor", anchor);
        Assert.Equal(1, caught.ExitCode);
        Assert.Contains("锚点不符", caught.Err);
        Assert.Contains("改写", caught.Err);
    }

    [Fact]
    public async Task Anchor_BadFormat_ExitTwo()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var r = await RectifyProcess.RunAsync(null, "audit", "verify", "--db", app.Db.ConnectionString, "--anchor", "12:nothex");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("锚点格式", r.Err);
    }

    [Fact]
    public async Task Serve_BrokenChain_RefusesToStartUnlessAllowed()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        await using (var db = app.Open())
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"UserName\" = 'someone' WHERE \"Sequence\" = 3");

        await using var refused = ServerProcess.Launch(app.Db.ConnectionString);
        Assert.Equal(1, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("拒绝启动", refused.Output);
        Assert.Contains("#3", refused.Output);

        await using var allowed = await ServerProcess.StartAsync(app.Db.ConnectionString, "--allow-broken-audit", "--log-format", "json");
        Assert.Contains("--allow-broken-audit", allowed.Output);
        using var http = new HttpClient { BaseAddress = allowed.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
