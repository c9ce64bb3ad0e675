using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Core.Audit;
using Rectify.Core.Ledger;
using Rectify.Tests.Support;

namespace Rectify.Tests.Workflow;

/// <summary>
/// Weekly reports sent at the same moment are stored together (group commit, ReportWriter): each one exactly once,
/// audited under the user who sent it, refused alone when it is wrong, answered again with the same report when resent.
/// </summary>
public class ReportGroupCommitTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static HttpRequestMessage Report(long measureId, string done, string? key)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, $"/api/measures/{measureId}/reports")
        {
            Content = JsonContent.Create(new { done, percent = 50 }, options: TestApp.Json),
        };
        if (key is not null) r.Headers.Add("Idempotency-Key", key);
        return r;
    }

    static async Task<(HttpStatusCode Status, long? Id)> SendAsync(HttpClient c, HttpRequestMessage r)
    {
        var response = await c.SendAsync(r);
        var body = await response.Content.ReadAsStringAsync();
        long? id = response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64() : null;
        return (response.StatusCode, id);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task SubmitReport_ManyAtOnceFromSeveralUsers_EachStoredOnceUnderItsUser(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        List<long> measuresOfA;
        await using (var db = app.Open())
            measuresOfA = await db.Measures.Where(m => m.UnitId == s.W.A.UnitId).OrderBy(m => m.Id).Select(m => m.Id).Take(60).ToListAsync();
        Assert.True(measuresOfA.Count >= 30);
        var clients = new Dictionary<string, HttpClient>
        {
            ["unit_admin-a"] = await app.ClientFor("unit_admin-a"), ["admin"] = await app.ClientFor("admin"),
            ["owner-a"] = await app.ClientFor("owner-a"), ["unit_admin-b"] = await app.ClientFor("unit_admin-b"),
        };
        // Each token once, so that 160 requests at once do not all look it up (and open connections) on a cold cache.
        foreach (var c in clients.Values) await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/inspections"));
        Dictionary<long, MeasureStatus> statusBefore;
        long auditBefore;
        await using (var db = app.Open())
        {
            // A third of them not started yet: their first report moves them on.
            foreach (var m in await db.Measures.Where(m => measuresOfA.Contains(m.Id)).ToListAsync())
                if (m.Id % 3 == 0) m.Status = MeasureStatus.NotStarted;
            await db.SaveChangesAsync();
            statusBefore = await db.Measures.Where(m => m.UnitId == s.W.A.UnitId || m.UnitId == s.W.B.UnitId).ToDictionaryAsync(m => m.Id, m => m.Status);
            auditBefore = await db.AuditEvents.MaxAsync(a => a.Sequence);
        }
        // Several reports per measure (they go to consecutive batches), from different users, all sent at once.
        var sends = new List<(string User, long Measure, string Key)>();
        for (int round = 0; round < 3; round++)
        {
            foreach (var (m, i) in measuresOfA.Select((m, i) => (m, i)))
                sends.Add((i % 2 == 0 ? "unit_admin-a" : "admin", m, $"many-{round}-{m}"));
            sends.Add(("owner-a", s.M0, $"owner-{round}-m0"));
            sends.Add(("owner-a", s.M1, $"owner-{round}-m1"));
            sends.Add(("unit_admin-b", s.W.B.MeasureId, $"b-{round}"));
        }
        var answers = await Task.WhenAll(sends.Select(x => SendAsync(clients[x.User], Report(x.Measure, "并发汇报 " + x.Key, x.Key))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Equal(sends.Count, answers.Select(a => a.Id).Distinct().Count());
        await using var check = app.Open();
        var stored = await check.ProgressReports.Where(r => r.IdempotencyKey != null).ToListAsync();
        Assert.Equal(sends.Count, stored.Count);
        Assert.Equal(sends.Select(x => x.Key).Order(), stored.Select(r => r.IdempotencyKey!).Order());
        // Each report's audit event names the user who sent it; so does the measure's update that the first report on a
        // measure 未开始 makes (→ 整改推进中). Later reports do not rewrite the measure.
        var byKey = stored.ToDictionary(r => r.IdempotencyKey!);
        var ids = stored.Select(r => (long?)r.Id).ToList();
        var created = await check.AuditEvents.Where(a => a.EntityType == "ProgressReport" && a.Action == "created" && ids.Contains(a.EntityId))
            .ToDictionaryAsync(a => a.EntityId!.Value, a => a.UserName);
        foreach (var (user, measure, key) in sends)
        {
            Assert.Equal(measure, byKey[key].MeasureId);
            Assert.Equal(user, created[byKey[key].Id]);
        }
        var updates = (await check.AuditEvents.Where(a => a.EntityType == "Measure" && a.Action == "updated" && a.Sequence > auditBefore).ToListAsync())
            .ToLookup(a => a.EntityId!.Value, a => a.UserName);
        Assert.Contains(MeasureStatus.NotStarted, sends.Select(x => statusBefore[x.Measure]));
        foreach (var measure in sends.Select(x => x.Measure).Distinct())
        {
            var first = stored.Where(r => r.MeasureId == measure).MinBy(r => r.Id)!;
            Assert.Equal(statusBefore[measure] == MeasureStatus.NotStarted ? [created[first.Id]] : [], updates[measure]);
        }
        var audit = await AuditChain.VerifyAsync(check);
        Assert.True(audit.Ok, audit.Problem);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task SubmitReport_BadOnesAmongManyAtOnce_EachRefusedAloneOthersStored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        List<long> measuresOfA;
        await using (var db = app.Open())
            measuresOfA = await db.Measures.Where(m => m.UnitId == s.W.A.UnitId).OrderBy(m => m.Id).Select(m => m.Id).Take(40).ToListAsync();
        var unitAdmin = await app.ClientFor("unit_admin-a");
        var viewer = await app.ClientFor("viewer-a");
        var owner = await app.ClientFor("owner-a");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(owner, Report(s.M0, "第一份", "used-key"))).Status);
        foreach (var c in new[] { unitAdmin, viewer }) await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/inspections"));

        var good = measuresOfA.Select(m => SendAsync(unitAdmin, Report(m, "正常汇报", $"good-{m}"))).ToList();
        var forbidden = SendAsync(viewer, Report(s.M0, "查看者不能汇报", "viewer-key"));            // 403: not the 责任人
        var reusedKey = SendAsync(owner, Report(s.M1, "幂等键已用于另一措施", "used-key"));          // 409: key of another report
        var otherUnit = SendAsync(unitAdmin, Report(s.W.B.MeasureId, "他单位措施", "other-unit")); // 404: outside the scope
        var notOwner = SendAsync(owner, Report(measuresOfA.First(m => m != s.M0 && m != s.M1), "不是本人的措施", "not-owner")); // 403
        var goodAnswers = await Task.WhenAll(good);

        Assert.All(goodAnswers, g => Assert.Equal(HttpStatusCode.Created, g.Status));
        Assert.Equal(HttpStatusCode.Forbidden, (await forbidden).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await reusedKey).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await otherUnit).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await notOwner).Status);
        await using var check = app.Open();
        var keys = await check.ProgressReports.Select(r => r.IdempotencyKey).ToListAsync();
        Assert.Equal(measuresOfA.Count + 1, keys.Count);
        Assert.DoesNotContain("viewer-key", keys);
        Assert.DoesNotContain("other-unit", keys);
        Assert.DoesNotContain("not-owner", keys);
        // The two 403s are in the audit trail under their own users, like any refused action.
        var refused = await check.AuditEvents.Where(a => a.Action == "refused:report").Select(a => a.UserName).OrderBy(u => u).ToListAsync();
        Assert.Equal(["owner-a", "viewer-a"], refused);
        var audit = await AuditChain.VerifyAsync(check);
        Assert.True(audit.Ok, audit.Problem);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task SubmitReport_SameKeySentManyTimesAtOnceAndResent_OneReportEveryAnswerNamesIt(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        var owner = await app.ClientFor("owner-a");
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => SendAsync(owner, Report(s.M0, "同一份汇报", "same-key"))));
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.Equal(11, answers.Count(a => a.Status == HttpStatusCode.OK));
        var id = Assert.Single(answers.Select(a => a.Id).Distinct());
        // A resend later (the client never saw the answer) gets the same report.
        var resent = await SendAsync(owner, Report(s.M0, "同一份汇报", "same-key"));
        Assert.Equal((HttpStatusCode.OK, id), resent);
        await using var check = app.Open();
        Assert.Equal(id, Assert.Single(await check.ProgressReports.Where(r => r.MeasureId == s.M0).Select(r => r.Id).ToListAsync()));
    }

    /// <summary>
    /// A save in a transaction of its own (a save or a recorded action without a caller's transaction, and the group
    /// commit's batch) runs without savepoints, each of which is two round trips while the audit chain is locked; a save inside a
    /// caller's transaction keeps them, so that the transaction outlives a failed save.
    /// </summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task SubmitReport_AndAPlainSave_UseNoSavepoints_ACallersTransactionStillDoes(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        var owner = await app.ClientFor("owner-a");
        await using var db = app.Open();
        var database = DbEventCounter.DatabaseOf(db);

        using (var savepoints = DbEventCounter.Savepoints(database))
        {
            var answers = await Task.WhenAll(SendAsync(owner, Report(s.M0, "周汇报一", "sp-1")), SendAsync(owner, Report(s.M1, "周汇报二", "sp-2")));
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.Status));
            (await db.Measures.SingleAsync(m => m.Id == s.M0)).Progress = "已部署";
            await db.SaveChangesAsync();
            await db.RecordAsync("Measure", s.M0, "checked", new { note = "已核对" }, null);
            Assert.Equal(0, savepoints.Count);
        }

        using (var savepoints = DbEventCounter.Savepoints(database))
        {
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                (await db.Measures.SingleAsync(m => m.Id == s.M1)).Progress = "已部署";
                await db.SaveChangesAsync();
                await tx.CommitAsync();
            }
            Assert.True(savepoints.Count >= 1);
        }
        await using var check = app.Open();
        Assert.Equal(2, await check.ProgressReports.CountAsync(r => r.IdempotencyKey == "sp-1" || r.IdempotencyKey == "sp-2"));
        Assert.Equal(2, await check.Measures.CountAsync(m => (m.Id == s.M0 || m.Id == s.M1) && m.Progress == "已部署"));
        Assert.Equal(1, await check.AuditEvents.CountAsync(e => e.EntityId == s.M0 && e.Action == "checked"));
    }
    /// <summary>The warm-up's rehearsal (Hosting/WarmUp.cs): the writer's storing runs and is undone, and a real report
    /// after it is stored and audited as usual (the chain continues from the same head).</summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task Rehearse_StoresABatchAndRollsItBack_NothingStays(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        long[] measures;
        long author;
        await using (var db = app.Open())
        {
            measures = await db.Measures.Where(m => m.UnitId == s.W.A.UnitId).OrderBy(m => m.Id).Select(m => m.Id).Take(8).ToArrayAsync();
            foreach (var m in await db.Measures.Where(m => measures.Contains(m.Id)).ToListAsync()) m.Status = MeasureStatus.NotStarted;
            await db.SaveChangesAsync();
            author = await db.Users.OrderBy(u => u.Id).Select(u => u.Id).FirstAsync();
        }
        async Task<(int Reports, long Head, string Statuses)> StateAsync()
        {
            await using var db = app.Open();
            var statuses = await db.Measures.Where(m => measures.Contains(m.Id)).OrderBy(m => m.Id).Select(m => m.Status).ToListAsync();
            return (await db.ProgressReports.CountAsync(), await db.AuditEvents.MaxAsync(a => a.Sequence), string.Join(",", statuses));
        }
        var before = await StateAsync();
        Assert.Equal(string.Join(",", measures.Select(_ => MeasureStatus.NotStarted)), before.Statuses);

        var writer = app.App.Services.GetRequiredService<Rectify.Core.Workflow.ReportWriter>();
        for (int i = 0; i < 3; i++) await writer.RehearseAsync(measures, author, CancellationToken.None);
        Assert.Equal(before, await StateAsync());

        // The writer goes on as before: a real report is stored, starts its measure, and the chain still verifies.
        var (status, id) = await SendAsync(await app.ClientFor("unit_admin-a"), Report(measures[0], "演练之后的真实汇报", "after-rehearsal"));
        Assert.Equal(HttpStatusCode.Created, status);
        await using var check = app.Open();
        Assert.Equal(before.Reports + 1, await check.ProgressReports.CountAsync());
        Assert.Equal(MeasureStatus.InProgress, (await check.Measures.FirstAsync(m => m.Id == measures[0])).Status);
        Assert.True((await AuditChain.VerifyAsync(check)).Ok);
        Assert.NotNull(id);
    }
}
