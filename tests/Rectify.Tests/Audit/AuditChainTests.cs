using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Tests.Support;

namespace Rectify.Tests.Audit;

public class AuditChainTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task AuditVerify_OneRowTamperedInDatabase_FailsAndNamesIt(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        for (int v = 1; v <= 3; v++)
            await HttpAssert.Ok<System.Text.Json.JsonElement>(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { remarks = $"第{v}次", version = v }));

        var ok = await RectifyProcess.RunAsync(null, "audit", "verify", "--db", app.Db.ConnectionString);
        Assert.True(ok.ExitCode == 0, ok.Err);
        Assert.Contains("审计链完好", ok.Out);

        long target;
        await using (var db = app.Open())
        {
            var e = await db.AuditEvents.AsNoTracking().Where(x => x.EntityType == "Measure" && x.Action == "updated").OrderBy(x => x.Sequence).Skip(1).FirstAsync();
            target = e.Sequence;
            // Someone edits history directly in the database.
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEvents\" SET \"After\" = REPLACE(\"After\", '第2次', '第9次') WHERE \"Sequence\" = {0}", target);
            Assert.False((await AuditChain.VerifyAsync(db)).Ok);
        }
        var broken = await RectifyProcess.RunAsync(null, "audit", "verify", "--db", app.Db.ConnectionString);
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains($"#{target}", broken.Err);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task AuditVerify_RowDeleted_NamesTheGap(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        await using var db = app.Open();
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"AuditEvents\" WHERE \"Sequence\" = 5");
        var result = await AuditChain.VerifyAsync(db);
        Assert.Equal(5, result.BrokenSequence);
        Assert.Contains("缺少序号为 5", result.Problem);
    }

    [Fact]
    public async Task AuditEvents_EditThroughContext_IsRefused()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        await using var db = app.Open();
        var e = await db.AuditEvents.FirstAsync();
        e.UserName = "someone else";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task AuditEvents_AddedUnchainedThroughContext_IsRefusedAndTheChainStaysWhole()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        await using (var db = app.Open())
        {
            var before = await db.AuditEvents.CountAsync();
            db.AuditEvents.Add(new AuditEvent { UserName = "someone", EntityType = "Measure", Action = "updated" });
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Equal(before, await db.AuditEvents.AsNoTracking().CountAsync());
        }
        await using (var db = app.Open())
            Assert.True((await AuditChain.VerifyAsync(db)).Ok);
    }
}
