using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Import;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Tests.Support;

namespace Rectify.Tests.Workflow;

/// <summary>
/// The rectification run on the seed's ledger: people assigned, three weeks on the fake clock, reports submitted and
/// missed, a measure struck off through the whole chain, another returned, an extension, a 长期坚持 item reopened.
/// </summary>
public class WorkflowScenarioTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>The seed notice in unit A's inspection, people linked to users, two measures of A's own problem assigned.</summary>
    internal sealed record Scenario(TestApp App, World W, long Owner, long Leader, long M0, long M1, long LongTerm, long LongTermProblem);

    internal static async Task<Scenario> SetUpAsync(TestApp app)
    {
        var w = await app.SeedWorldAsync();
        long leader, otherLeader;
        await using (var db = app.Open())
        {
            await using (var notice = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "samples", "seed-notice.txt")))
                await StoreLedger.RunAsync(db, w.A.InspectionId, DocumentImporter.Read(notice, "seed-notice.txt"));
            var l = new Person { Name = "李四a", Post = "副局长", OrganisationId = w.A.DepartmentId, UnitId = w.A.UnitId };
            var o = new Person { Name = "赵六a", Post = "副局长", OrganisationId = w.A.DepartmentId, UnitId = w.A.UnitId };
            db.People.AddRange(l, o);
            await db.SaveChangesAsync();
            leader = l.Id; otherLeader = o.Id;
            (await db.Users.SingleAsync(u => u.UserName == "owner-a")).PersonId = w.A.PersonId;
            (await db.Users.SingleAsync(u => u.UserName == "leader-a")).PersonId = leader;
            await Core.Access.Users.AddAsync(db, "leader2-a", Core.Access.Role.Leader, TestApp.Password, w.A.UnitId, null);
            (await db.Users.SingleAsync(u => u.UserName == "leader2-a")).PersonId = otherLeader;
            await db.SaveChangesAsync();
        }
        var admin = await app.ClientFor("unit_admin-a");
        var m0 = await HttpAssert.Ok<JsonElement>(await admin.PutJson($"/api/measures/{w.A.MeasureId}",
            new { ownerId = w.A.PersonId, leaderId = leader, leadDepartmentId = w.A.DepartmentId, deadline = "2022-08-31", version = 1 }));
        var m1 = await HttpAssert.Ok<JsonElement>(await admin.PostJson($"/api/problems/{w.A.ProblemId}/measures",
            new { text = "完善学习制度", ownerId = w.A.PersonId, leaderId = leader, leadDepartmentId = w.A.DepartmentId, deadline = "2022-07-25", status = "in_progress" }));
        await using var read = app.Open();
        var lt = await read.Measures.Where(m => m.InspectionId == w.A.InspectionId && m.Mode == RectificationMode.LongTerm && m.Status == MeasureStatus.RectifiedOngoing)
            .OrderBy(m => m.Id).FirstAsync();
        return new Scenario(app, w, w.A.PersonId, leader, m0.GetProperty("id").GetInt64(), m1.GetProperty("id").GetInt64(), lt.Id, lt.ProblemId);
    }

    internal static async Task<long> UploadAsync(HttpClient c, long measureId, byte[] content, string name, int expected = 201)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", name);
        var r = await c.PostAsync($"/api/measures/{measureId}/evidence", form);
        if (expected != 201) { await HttpAssert.Problem(r, expected); return 0; }
        return (await HttpAssert.Ok<JsonElement>(r)).GetProperty("id").GetInt64();
    }

    internal static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% 会议纪要\n1 0 obj << >> endobj\n%%EOF\n");

    static async Task<JsonElement> Ledger(HttpClient c, long inspectionId) =>
        (await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{inspectionId}/ledger"))).GetProperty("figures").GetProperty("problems");

    static async Task<Dictionary<long, string>> Lights(HttpClient c, long inspectionId) =>
        (await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{inspectionId}/lights"))).GetProperty("measures").EnumerateArray()
            .ToDictionary(m => m.GetProperty("measureId").GetInt64(), m => m.GetProperty("light").GetString()!);

    static async Task<JsonElement> Grid(HttpClient c, long inspectionId) =>
        await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{inspectionId}/weekly"));

    static string[] Cells(JsonElement grid, long measureId) =>
        [.. grid.GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("measureId").GetInt64() == measureId)
            .GetProperty("weeks").EnumerateArray().Select(c => c.GetProperty("state").GetString()!)];

    static int MissingOf(JsonElement grid, string list, string name) =>
        grid.GetProperty(list).EnumerateArray().Where(x => x.GetProperty("name").GetString() == name).Select(x => x.GetProperty("missing").GetInt32()).SingleOrDefault();

    static async Task<string> Status(HttpClient c, string url) =>
        (await HttpAssert.Ok<JsonElement>(await c.GetAsync(url))).GetProperty("status").GetString()!;

    static object Report(string done, int percent, string? week = null) => new { done, percent, nextStep = "继续推进", week };

    [Theory, MemberData(nameof(Providers))]
    public async Task SeedLedger_ThreeWeeksReportsClosureReturnExtensionReopen_StatusesRatesLightsAndCountsFollowTheRules(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await SetUpAsync(app);
        var w = s.W;
        var owner = await app.ClientFor("owner-a");
        var leader = await app.ClientFor("leader-a");
        var unitAdmin = await app.ClientFor("unit_admin-a");
        var office = await app.ClientFor("office");

        var before = await Ledger(unitAdmin, w.A.InspectionId);
        int problems = before.GetProperty("problems").GetInt32(), completed = before.GetProperty("completed").GetInt32();
        Assert.True(problems > 20);

        // Week 1 (from Monday 2022-06-27): M0 reported on time, M1 not.
        app.Clock.Advance(TimeSpan.FromDays(1));
        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M0}/reports", Report("制定学习计划初稿", 30)));
        // Week 2: M1 on time, sent twice with one Idempotency-Key: one report.
        app.Clock.Advance(TimeSpan.FromDays(7)); // Tue 07-05
        for (int i = 0; i < 2; i++)
        {
            var req = new HttpRequestMessage(HttpMethod.Post, $"/api/measures/{s.M1}/reports") { Content = JsonContent(Report("起草学习制度", 20)) };
            req.Headers.Add("Idempotency-Key", "m1-week2");
            Assert.Equal(i == 0 ? 201 : 200, (int)(await owner.SendAsync(req)).StatusCode);
        }
        // M0's week-2 report arrives on Saturday: late.
        app.Clock.Advance(TimeSpan.FromDays(4)); // Sat 07-09
        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M0}/reports", Report("组织集中学习", 50, "2022-07-04")));
        // Week 3 passes with no report at all. Monday 2022-07-18 01:00 UTC: three weeks after feedback.
        app.Clock.Advance(TimeSpan.FromDays(9) - TimeSpan.FromHours(0));
        Assert.Equal(new DateTimeOffset(2022, 7, 18, 1, 0, 0, TimeSpan.Zero), app.Clock.GetUtcNow());

        var grid = await Grid(unitAdmin, w.A.InspectionId);
        Assert.Equal(["submitted", "late", "missing", "pending"], Cells(grid, s.M0));
        Assert.Equal(["missing", "submitted", "missing", "pending"], Cells(grid, s.M1));
        Assert.Equal(3, MissingOf(grid, "missingByPerson", "张三a"));
        Assert.Equal(3, MissingOf(grid, "missingByDepartment", "办公室"));
        Assert.Single(await HttpAssert.Ok<JsonElement[]>(await owner.GetAsync($"/api/measures/{s.M1}/reports")));

        // Lights: both missed the week-3 report (yellow); M1 also has 7 days left (yellow).
        var lights = await Lights(unitAdmin, w.A.InspectionId);
        Assert.Equal("yellow", lights[s.M0]);
        Assert.Equal("yellow", lights[s.M1]);
        Assert.Equal("none", lights[s.LongTerm]);
        // The late week-3 report of M0 turns it green; it stays counted as late, not missing.
        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M0}/reports", Report("学习计划印发", 80, "2022-07-11")));
        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/reports", Report("制度征求意见", 60, "2022-07-11")));
        lights = await Lights(unitAdmin, w.A.InspectionId);
        Assert.Equal("green", lights[s.M0]);
        Assert.Equal("yellow", lights[s.M1]);
        grid = await Grid(unitAdmin, w.A.InspectionId);
        Assert.Equal(["submitted", "late", "late", "pending"], Cells(grid, s.M0));
        Assert.Equal(1, MissingOf(grid, "missingByPerson", "张三a"));

        // Supervision remark by the unit office appears in the grid.
        await HttpAssert.Ok<JsonElement>(await unitAdmin.PostJson($"/api/measures/{s.M1}/remarks", new { text = "进度偏慢，请于本周内完成制度审议。" }));
        grid = await Grid(office, w.A.InspectionId);
        Assert.Contains("进度偏慢", grid.GetProperty("measures").EnumerateArray().Single(m => m.GetProperty("measureId").GetInt64() == s.M1).GetRawText());

        // Closure of M0 through the whole chain: leader → unit office → 巡察办.
        var evidence = await UploadAsync(owner, s.M0, Pdf, "学习计划.pdf");
        var created = await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M0}/closure", new { statement = "学习计划已印发并落实", evidenceIds = new[] { evidence } }));
        var request = created.GetProperty("id").GetInt64();
        Assert.Equal("pending_closure", await Status(owner, $"/api/measures/{s.M0}"));
        Assert.Equal("leader", created.GetProperty("currentStep").GetString());
        await HttpAssert.Ok<JsonElement>(await leader.PostJson($"/api/requests/{request}/approve", new { opinion = "同意，报整改办" }));
        await HttpAssert.Ok<JsonElement>(await unitAdmin.PostJson($"/api/requests/{request}/approve", new { opinion = "材料齐全" }));
        var done = await HttpAssert.Ok<JsonElement>(await office.PostJson($"/api/requests/{request}/approve", new { opinion = "核验通过，同意销号" }));
        Assert.Equal("approved", done.GetProperty("state").GetString());
        var steps = done.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["leader", "unit_admin", "office"], steps.Select(x => x.GetProperty("stepKind").GetString()));
        Assert.Equal("核验通过，同意销号", steps[2].GetProperty("opinion").GetString());
        Assert.Equal("closed", await Status(owner, $"/api/measures/{s.M0}"));
        // The problem is not struck off while M1 is open: counts unchanged.
        Assert.Equal("in_progress", await Status(owner, $"/api/problems/{w.A.ProblemId}"));
        Assert.Equal(completed, (await Ledger(unitAdmin, w.A.InspectionId)).GetProperty("completed").GetInt32());
        lights = await Lights(unitAdmin, w.A.InspectionId);
        Assert.Equal("none", lights[s.M0]);

        // M1: closure returned by the unit office → back in progress.
        var ev1 = await UploadAsync(owner, s.M1, Pdf, "制度草案.pdf");
        var r1 = (await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/closure", new { statement = "制度已起草", evidenceIds = new[] { ev1 } }))).GetProperty("id").GetInt64();
        await HttpAssert.Ok<JsonElement>(await leader.PostJson($"/api/requests/{r1}/approve", new { opinion = "同意" }));
        await HttpAssert.Problem(await unitAdmin.PostJson($"/api/requests/{r1}/return", new { }), 400); // a return needs an opinion
        var returned = await HttpAssert.Ok<JsonElement>(await unitAdmin.PostJson($"/api/requests/{r1}/return", new { opinion = "制度未经党组会审议，退回" }));
        Assert.Equal("returned", returned.GetProperty("state").GetString());
        Assert.Equal("in_progress", await Status(owner, $"/api/measures/{s.M1}"));

        // M1: extension to 2022-09-30 through the chain; the original deadline and the change are kept.
        var ext = (await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/extension", new { newDeadline = "2022-09-30", reason = "需经党组会审议" }))).GetProperty("id").GetInt64();
        Assert.Equal("extension_requested", await Status(owner, $"/api/measures/{s.M1}"));
        Assert.Equal("extension_requested", await Status(owner, $"/api/problems/{w.A.ProblemId}"));
        foreach (var c in new[] { leader, unitAdmin, office }) await HttpAssert.Ok<JsonElement>(await c.PostJson($"/api/requests/{ext}/approve", new { opinion = "同意延期" }));
        var history = await HttpAssert.Ok<JsonElement>(await owner.GetAsync($"/api/measures/{s.M1}/deadlines"));
        Assert.Equal("2022-07-25", history.GetProperty("originalDeadline").GetString());
        Assert.Equal("2022-09-30", history.GetProperty("deadline").GetString());
        var change = Assert.Single(history.GetProperty("changes").EnumerateArray());
        Assert.Equal("2022-07-25", change.GetProperty("oldDeadline").GetString());
        Assert.Equal("in_progress", await Status(owner, $"/api/measures/{s.M1}"));
        Assert.Equal("green", (await Lights(unitAdmin, w.A.InspectionId))[s.M1]);

        // Past the new deadline without closure: red, listed with who is responsible.
        app.Clock.Advance(TimeSpan.FromDays(75)); // 2022-10-01
        var red = await HttpAssert.Ok<JsonElement>(await office.GetAsync("/api/lights/red"));
        var m1Red = red.EnumerateArray().Single(m => m.GetProperty("measureId").GetInt64() == s.M1);
        Assert.Equal("张三a", m1Red.GetProperty("ownerName").GetString());
        Assert.Equal("李四a", m1Red.GetProperty("leaderName").GetString());
        Assert.DoesNotContain(red.EnumerateArray(), m => m.GetProperty("measureId").GetInt64() == s.M0);
        var all = await HttpAssert.Ok<JsonElement>(await unitAdmin.GetAsync($"/api/inspections/{w.A.InspectionId}/lights"));
        Assert.Equal("red", all.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("id").GetInt64() == w.A.ProblemId).GetProperty("light").GetString());
        Assert.Equal("red", Assert.Single(all.GetProperty("units").EnumerateArray()).GetProperty("light").GetString());

        // M1 struck off at last: the problem is struck off (all its measures are) and the completion rate rises.
        var ev2 = await UploadAsync(owner, s.M1, Pdf, "制度印发.pdf");
        var r2 = (await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M1}/closure", new { statement = "制度经审议印发", evidenceIds = new[] { ev2 } }))).GetProperty("id").GetInt64();
        foreach (var c in new[] { leader, unitAdmin, office }) await HttpAssert.Ok<JsonElement>(await c.PostJson($"/api/requests/{r2}/approve", new { opinion = "同意" }));
        Assert.Equal("closed", await Status(owner, $"/api/problems/{w.A.ProblemId}"));
        var after = await Ledger(unitAdmin, w.A.InspectionId);
        Assert.Equal(completed + 1, after.GetProperty("completed").GetInt32());
        Assert.Equal(StatusRules.FormatRate(StatusRules.CompletionRate(completed + 1, problems)), after.GetProperty("rateText").GetString());

        // 回头看: a 长期坚持 item is reopened with a reason; its problem is no longer completed, and it shows a light again.
        Assert.Equal("none", (await Lights(unitAdmin, w.A.InspectionId))[s.LongTerm]);
        await HttpAssert.Problem(await owner.PostJson($"/api/measures/{s.LongTerm}/reopen", new { reason = "回头看" }), 403);
        var reopened = await HttpAssert.Ok<JsonElement>(await office.PostJson($"/api/measures/{s.LongTerm}/reopen", new { reason = "回头看发现制度执行不到位" }));
        Assert.Equal("in_progress", reopened.GetProperty("status").GetString());
        Assert.Equal("in_progress", await Status(owner, $"/api/problems/{s.LongTermProblem}"));
        after = await Ledger(unitAdmin, w.A.InspectionId);
        Assert.Equal(completed, after.GetProperty("completed").GetInt32());
        Assert.Equal(StatusRules.FormatRate(StatusRules.CompletionRate(completed, problems)), after.GetProperty("rateText").GetString());
        Assert.Equal("yellow", (await Lights(unitAdmin, w.A.InspectionId))[s.LongTerm]); // open again, no report this week

        await using var db = app.Open();
        var closed = await db.Measures.SingleAsync(m => m.Id == s.M0);
        Assert.Null(closed.NextRecheck); // not a 长期坚持 measure
    }

    static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body, TestApp.Json), Encoding.UTF8, "application/json");

    [Theory, MemberData(nameof(Providers))]
    public async Task UnitApprovalChain_SetByUnitOffice_NewRequestsWalkIt(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await SetUpAsync(app);
        var unitAdmin = await app.ClientFor("unit_admin-a");
        var owner = await app.ClientFor("owner-a");
        var chain = await HttpAssert.Ok<JsonElement>(await unitAdmin.GetAsync($"/api/units/{s.W.A.UnitId}/approval-chain"));
        Assert.True(chain.GetProperty("isDefault").GetBoolean());
        Assert.Equal(["责任领导审核", "单位整改办验收", "巡察办核验"], chain.GetProperty("stepTexts").EnumerateArray().Select(x => x.GetString()));
        await HttpAssert.Problem(await owner.PutJson($"/api/units/{s.W.A.UnitId}/approval-chain", new { steps = new[] { "office" } }), 403);
        await HttpAssert.Problem(await unitAdmin.PutJson($"/api/units/{s.W.A.UnitId}/approval-chain", new { steps = new[] { "party_group" } }), 400);
        // The unit adds a second unit-office step (its Party group meeting) and skips nothing else.
        await HttpAssert.Ok<JsonElement>(await unitAdmin.PutJson($"/api/units/{s.W.A.UnitId}/approval-chain", new { steps = new[] { "unit_admin", "unit_admin", "office" } }));

        var ev = await UploadAsync(owner, s.M0, Pdf, "报告.pdf");
        var req = await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M0}/closure", new { statement = "已完成", evidenceIds = new[] { ev } }));
        Assert.Equal(["unit_admin", "unit_admin", "office"], req.GetProperty("chain").EnumerateArray().Select(x => x.GetString()));
        var id = req.GetProperty("id").GetInt64();
        await HttpAssert.Ok<JsonElement>(await unitAdmin.PostJson($"/api/requests/{id}/approve", new { opinion = "整改办验收通过" }));
        await HttpAssert.Ok<JsonElement>(await unitAdmin.PostJson($"/api/requests/{id}/approve", new { opinion = "党组会议审议通过" }));
        var done = await HttpAssert.Ok<JsonElement>(await (await app.ClientFor("office")).PostJson($"/api/requests/{id}/approve", new { opinion = "核验通过" }));
        Assert.Equal("approved", done.GetProperty("state").GetString());
        Assert.Equal("closed", await Status(owner, $"/api/measures/{s.M0}"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task WeeklyReport_EvidenceAttachedKeyReusedOrBadInput_StoredOnceOrRefused(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await SetUpAsync(app);
        var owner = await app.ClientFor("owner-a");
        var ev = await UploadAsync(owner, s.M0, Pdf, "学习记录.pdf");
        var report = await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M0}/reports",
            new { done = "召开学习会", percent = 40, evidenceIds = new[] { ev }, idempotencyKey = "k-1" }));
        Assert.Equal("2022-06-27", report.GetProperty("week").GetString());
        var files = await HttpAssert.Ok<JsonElement>(await owner.GetAsync($"/api/measures/{s.M0}/evidence"));
        Assert.Equal(report.GetProperty("id").GetInt64(), Assert.Single(files.EnumerateArray()).GetProperty("progressReportId").GetInt64());
        // The same key on another measure is a conflict, not a second report.
        await HttpAssert.Problem(await owner.PostJson($"/api/measures/{s.M1}/reports", new { done = "x", percent = 10, idempotencyKey = "k-1" }), 409);
        await HttpAssert.Problem(await owner.PostJson($"/api/measures/{s.M0}/reports", new { done = "x", percent = 101 }), 400);
        await HttpAssert.Problem(await owner.PostJson($"/api/measures/{s.M0}/reports", new { done = "x", percent = 10, week = "2022-07-04" }), 400);
        // Evidence of another measure cannot be attached.
        await HttpAssert.Problem(await owner.PostJson($"/api/measures/{s.M1}/reports", new { done = "x", percent = 10, evidenceIds = new[] { ev } }), 400);
        await using var db = app.Open();
        Assert.Equal(1, await db.ProgressReports.CountAsync());
    }
}
