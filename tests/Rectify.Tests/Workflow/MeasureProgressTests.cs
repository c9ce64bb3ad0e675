using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Documents;
using Rectify.Tests.Support;

namespace Rectify.Tests.Workflow;

/// <summary>
/// 整改进展 of a measure: the newest weekly report shows as “week周：done” in the ledger, the measure API and the
/// exported documents; text written by hand stands until the next report; a report does not rewrite the measure row.
/// </summary>
public class MeasureProgressTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static async Task<JsonElement> MeasureAsync(HttpClient c, long measureId) =>
        await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/measures/{measureId}"));

    /// <summary>The progress of the measure in the ledger, the measure API and the document mapping (Excel, notice).</summary>
    static async Task<string?> ShownEverywhereAsync(TestApp app, HttpClient c, long inspectionId, long measureId)
    {
        var ledger = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{inspectionId}/ledger"));
        var inLedger = ledger.GetProperty("categories").EnumerateArray().SelectMany(x => x.GetProperty("problems").EnumerateArray())
            .SelectMany(p => p.GetProperty("measures").EnumerateArray()).Single(m => m.GetProperty("id").GetInt64() == measureId)
            .GetProperty("progress").GetString();
        var inApi = (await MeasureAsync(c, measureId)).GetProperty("progress").GetString();
        Assert.Equal(inLedger, inApi);
        await using var db = app.Open();
        var text = (await db.Measures.SingleAsync(m => m.Id == measureId)).Text;
        var doc = await LedgerToDocument.RunAsync(db, inspectionId);
        var inDocument = doc!.Categories.SelectMany(x => x.Problems).SelectMany(p => p.Measures).Where(m => m.Text == text).Select(m => m.Progress).Distinct().Single();
        Assert.Equal(inLedger, inDocument);
        return inLedger;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Progress_NewestReportShows_TextWrittenByHandStandsUntilTheNextReport(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        var owner = await app.ClientFor("owner-a");
        var admin = await app.ClientFor("unit_admin-a");
        var inspection = s.W.A.InspectionId;

        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/reports", new { done = "制定学习计划", percent = 30, week = "2022-06-20" }));
        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/reports", new { done = "完成第一次集中学习", percent = 60 }));
        Assert.Equal("2022-06-27周：完成第一次集中学习", await ShownEverywhereAsync(app, admin, inspection, s.M1));

        // The report stored a row of its own; the measure row (its version, its audit trail) did not change.
        int version;
        await using (var db = app.Open())
        {
            var m = await db.Measures.AsNoTracking().SingleAsync(x => x.Id == s.M1);
            version = m.Version;
            var updates = await db.AuditEvents.CountAsync(a => a.EntityType == "Measure" && a.EntityId == s.M1 && a.Action == "updated");
            await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/reports", new { done = "完成第二次集中学习", percent = 70 }));
            Assert.Equal(version, (await db.Measures.AsNoTracking().SingleAsync(x => x.Id == s.M1)).Version);
            Assert.Equal(updates, await db.AuditEvents.CountAsync(a => a.EntityType == "Measure" && a.EntityId == s.M1 && a.Action == "updated"));
        }
        Assert.Equal("2022-06-27周：完成第二次集中学习", await ShownEverywhereAsync(app, admin, inspection, s.M1));

        // The form sent back unchanged records no edit of the progress.
        var unchanged = await HttpAssert.Ok<JsonElement>(await admin.PutJson($"/api/measures/{s.M1}", new { progress = "2022-06-27周：完成第二次集中学习", version }));
        Assert.Equal(version, unchanged.GetProperty("version").GetInt32());
        // Written by a client that read the measure before the newest report: refused (409), the report still shows.
        var read = await MeasureAsync(admin, s.M1);
        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/reports", new { done = "完成第三次集中学习", percent = 80 }));
        await HttpAssert.Problem(await admin.PutJson($"/api/measures/{s.M1}", new
        {
            progress = "已完成集中学习，正在整理学习笔记", version = read.GetProperty("version").GetInt32(), progressReportId = read.GetProperty("progressReportId").GetInt64(),
        }), 409);
        Assert.Equal("2022-06-27周：完成第三次集中学习", await ShownEverywhereAsync(app, admin, inspection, s.M1));
        // Written by hand after reading the newest report: it stands …
        read = await MeasureAsync(admin, s.M1);
        var edited = await HttpAssert.Ok<JsonElement>(await admin.PutJson($"/api/measures/{s.M1}", new
        {
            progress = "已完成集中学习，正在整理学习笔记", version = read.GetProperty("version").GetInt32(), progressReportId = read.GetProperty("progressReportId").GetInt64(),
        }));
        Assert.Equal("已完成集中学习，正在整理学习笔记", edited.GetProperty("progress").GetString());
        Assert.Equal("已完成集中学习，正在整理学习笔记", await ShownEverywhereAsync(app, admin, inspection, s.M1));
        // … until the next report, which is newer than the text.
        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/reports", new { done = "学习笔记已归档", percent = 100 }));
        Assert.Equal("2022-06-27周：学习笔记已归档", await ShownEverywhereAsync(app, admin, inspection, s.M1));
        // A measure without reports shows its own (imported) text.
        long quiet;
        await using (var db = app.Open())
        {
            var m = await db.Measures.Where(m => m.InspectionId == inspection && m.Id != s.M1 && m.Id != s.M0).OrderBy(m => m.Id).FirstAsync();
            m.Progress = "已建立问题清单";
            await db.SaveChangesAsync();
            quiet = m.Id;
        }
        Assert.Equal("已建立问题清单", await ShownEverywhereAsync(app, admin, inspection, quiet));
    }
}
