using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Tests.Support;

namespace Rectify.Tests.Workflow;

/// <summary>Forbidden actions are refused with a Chinese message and leave nothing but an audit entry.</summary>
public class WorkflowRefusalTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    sealed record Trace(int Audit, int Refusals, int Steps, int Requests, int Reports, int Evidence, string Status, int MeasureVersion);

    static async Task<Trace> TraceAsync(TestApp app, long measureId)
    {
        await using var db = app.Open();
        var m = await db.Measures.SingleAsync(x => x.Id == measureId);
        return new Trace(await db.AuditEvents.CountAsync(), await db.AuditEvents.CountAsync(a => a.Action.StartsWith("refused:")),
            await db.ApprovalSteps.CountAsync(), await db.ClosureRequests.CountAsync(), await db.ProgressReports.CountAsync(),
            await db.EvidenceFiles.CountAsync(), m.Status.ToString(), m.Version);
    }

    /// <summary>Runs a refused call and checks: the status and message, exactly one new audit entry (a refusal), nothing else changed.</summary>
    static async Task<string> AssertRefusedAsync(TestApp app, long measureId, Func<Task<HttpResponseMessage>> call, int status)
    {
        var before = await TraceAsync(app, measureId);
        var problem = await HttpAssert.Problem(await call(), status);
        var after = await TraceAsync(app, measureId);
        Assert.Equal(before with { Audit = before.Audit + 1, Refusals = before.Refusals + 1 }, after);
        return problem.GetProperty("detail").GetString()!;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ForbiddenActions_RefusedWithChineseMessage_OnlyAuditEntryLeft(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        var owner = await app.ClientFor("owner-a");
        var leader = await app.ClientFor("leader-a");
        var leader2 = await app.ClientFor("leader2-a");
        var office = await app.ClientFor("office");
        var viewer = await app.ClientFor("viewer-a");

        // Closure without evidence.
        Assert.Equal("销号申请必须附至少一份佐证材料。", await AssertRefusedAsync(app, s.M0,
            () => owner.PostJson($"/api/measures/{s.M0}/closure", new { statement = "已完成", evidenceIds = Array.Empty<long>() }), 400));
        // A viewer may not report; a leader is not the 责任人.
        Assert.Contains("责任人", await AssertRefusedAsync(app, s.M0, () => viewer.PostJson($"/api/measures/{s.M0}/reports", new { done = "x", percent = 10 }), 403));
        Assert.Contains("责任人", await AssertRefusedAsync(app, s.M0, () => leader.PostJson($"/api/measures/{s.M0}/reports", new { done = "x", percent = 10 }), 403));

        var evidence = await WorkflowScenarioTests.UploadAsync(owner, s.M0, WorkflowScenarioTests.Pdf, "报告.pdf");
        var request = (await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M0}/closure",
            new { statement = "已完成", evidenceIds = new[] { evidence } }))).GetProperty("id").GetInt64();

        // The requester approves their own request.
        Assert.Equal("不能审批本人提出的申请。", await AssertRefusedAsync(app, s.M0, () => owner.PostJson($"/api/requests/{request}/approve", new { opinion = "同意" }), 403));
        // A leader of another problem; the 巡察办 out of turn.
        Assert.Equal("只有该措施的责任领导可以审核此步骤。", await AssertRefusedAsync(app, s.M0, () => leader2.PostJson($"/api/requests/{request}/approve", new { opinion = "同意" }), 403));
        Assert.Equal("只有该措施的责任领导可以审核此步骤。", await AssertRefusedAsync(app, s.M0, () => office.PostJson($"/api/requests/{request}/approve", new { opinion = "同意" }), 403));
        // The leader approves; then the leader again is not the unit office.
        await HttpAssert.Ok<JsonElement>(await leader.PostJson($"/api/requests/{request}/approve", new { opinion = "同意" }));
        Assert.Equal("此步骤须由本单位整改办验收。", await AssertRefusedAsync(app, s.M0, () => leader.PostJson($"/api/requests/{request}/approve", new { opinion = "同意" }), 403));

        await using var check = app.Open();
        var refusals = await check.AuditEvents.Where(a => a.Action.StartsWith("refused:")).ToListAsync();
        Assert.Equal(7, refusals.Count);
        Assert.Contains(refusals, a => a.UserName == "owner-a" && a.Action == "refused:approve" && a.After!.Contains("不能审批本人提出的申请"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Evidence_OtherUnitUser_404_DownloadIsAttachmentWithNosniff(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        var owner = await app.ClientFor("owner-a");
        var id = await WorkflowScenarioTests.UploadAsync(owner, s.M0, Encoding.UTF8.GetBytes("会议记录：2022年7月1日召开专题会议。"), "会议记录.txt");

        var viewer = await app.ClientFor("viewer-a");
        var r = await viewer.GetAsync($"/api/evidence/{id}");
        Assert.True(r.IsSuccessStatusCode);
        Assert.Equal("attachment", r.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("text/plain", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("会议记录：2022年7月1日召开专题会议。", await r.Content.ReadAsStringAsync());

        foreach (var other in new[] { "viewer-b", "unit_admin-b", "owner-b" })
            await HttpAssert.Problem(await (await app.ClientFor(other)).GetAsync($"/api/evidence/{id}"), 404);
        var list = await HttpAssert.Ok<JsonElement>(await owner.GetAsync($"/api/measures/{s.M0}/evidence"));
        var f = Assert.Single(list.EnumerateArray());
        Assert.Equal(64, f.GetProperty("sha256").GetString()!.Length);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task EvidenceUpload_ExecutableOversizedOrTraversalName_Refused(string provider)
    {
        await using var app = await TestApp.StartAsync(provider, ("Rectify:Workflow:MaxEvidenceBytes", "4096"));
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        var owner = await app.ClientFor("owner-a");

        byte[] exe = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00];
        byte[] elf = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00];
        var big = Encoding.ASCII.GetBytes("%PDF-1.4\n" + new string('x', 5000));
        foreach (var (content, name, message) in new[]
                 {
                     (exe, "整改报告.pdf", "不支持的文件类型"), (elf, "报告.pdf", "不支持的文件类型"),
                     (big, "大文件.pdf", "大小上限"), (WorkflowScenarioTests.Pdf, "../../etc/passwd.pdf", "文件名不合法"),
                     (WorkflowScenarioTests.Pdf, "..\\..\\boot.pdf", "文件名不合法"),
                     (Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), "说明.txt", "不支持的文件类型"),
                 })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
            var problem = await HttpAssert.Problem(await owner.PostAsync($"/api/measures/{s.M0}/evidence", form), 400);
            Assert.Contains(message, problem.GetProperty("detail").GetString());
        }
        await using var db = app.Open();
        Assert.Empty(db.EvidenceFiles);
        Assert.Equal(6, await db.AuditEvents.CountAsync(a => a.Action == "refused:evidence"));
        // A plain PDF within the limit is accepted and typed by its content, whatever it is called.
        var id = await WorkflowScenarioTests.UploadAsync(owner, s.M0, WorkflowScenarioTests.Pdf, "报告.docx");
        Assert.Equal("application/pdf", (await db.EvidenceFiles.SingleAsync(f => f.Id == id)).ContentType);
    }
}
