using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Rectify.Core.Access;
using Rectify.Core.Organisations;
using Rectify.Tests.Support;

namespace Rectify.Tests.Supervision;

/// <summary>
/// 整改方案、整改情况报告、公开: deadlines from the feedback date with lights per unit of a round, the unit's submission
/// (upload or generated from the ledger), the joint review (联审) by several offices, return with an opinion and
/// resubmission as a new version.
/// </summary>
public class DocumentReviewTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

    static MultipartFormDataContent Form(string kind, byte[] content, string name) =>
        new() { { new StringContent(kind), "kind" }, { new ByteArrayContent(content), "file", name } };

    static JsonElement Slot(JsonElement round, long unitId, string kind) =>
        round.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unitId").GetInt64() == unitId)
            .GetProperty("documents").EnumerateArray().Single(d => d.GetProperty("kind").GetString() == kind);

    [Theory, MemberData(nameof(Providers))]
    public async Task Deadlines_AsDaysPass_LightsTurnYellowThenRedUntilSubmitted(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var office = await app.ClientFor("office");
        var url = $"/api/rounds/{w.A.RoundId}/documents";

        // Feedback on 2022-06-27: plan due 2022-07-27, report 2022-08-27, disclosure 2022-09-27; all green today.
        var round = await HttpAssert.Ok<JsonElement>(await office.GetAsync(url));
        var plan = Slot(round, w.A.UnitId, "plan");
        Assert.Equal("2022-07-27", plan.GetProperty("due").GetString());
        Assert.Equal(30, plan.GetProperty("daysLeft").GetInt32());
        Assert.Equal("green", plan.GetProperty("light").GetString());
        Assert.Equal("未提交", plan.GetProperty("stateText").GetString());
        Assert.Equal("2022-08-27", Slot(round, w.A.UnitId, "report").GetProperty("due").GetString());
        Assert.Equal("2022-09-27", Slot(round, w.A.UnitId, "disclosure").GetProperty("due").GetString());

        // Seven days before the plan is due: yellow. The day after: red, and counted.
        app.Clock.SetUtcNow(new DateTimeOffset(2022, 7, 20, 1, 0, 0, TimeSpan.Zero));
        round = await HttpAssert.Ok<JsonElement>(await office.GetAsync(url));
        Assert.Equal("yellow", Slot(round, w.A.UnitId, "plan").GetProperty("light").GetString());
        app.Clock.SetUtcNow(new DateTimeOffset(2022, 7, 28, 1, 0, 0, TimeSpan.Zero));
        round = await HttpAssert.Ok<JsonElement>(await office.GetAsync(url));
        Assert.Equal("red", Slot(round, w.A.UnitId, "plan").GetProperty("light").GetString());
        Assert.Equal("红灯", Slot(round, w.A.UnitId, "plan").GetProperty("lightText").GetString());
        Assert.Equal(1, round.GetProperty("red").GetInt32());
        Assert.Equal("red", round.GetProperty("units")[0].GetProperty("light").GetString());

        // Submitted late: green again, 审核中 at the round's office.
        var unit = await app.ClientFor("unit_admin-a");
        Assert.Equal(HttpStatusCode.Created, (await unit.PostAsync($"/api/inspections/{w.A.InspectionId}/documents", Form("plan", Pdf, "整改方案.pdf"))).StatusCode);
        round = await HttpAssert.Ok<JsonElement>(await office.GetAsync(url));
        plan = Slot(round, w.A.UnitId, "plan");
        Assert.Equal("green", plan.GetProperty("light").GetString());
        Assert.Equal("审核中", plan.GetProperty("stateText").GetString());
        Assert.Equal("区委巡察办", plan.GetProperty("currentOffice").GetString());
        Assert.Equal(0, round.GetProperty("red").GetInt32());

        // The round's documents are the office's view: a unit user is refused, another office's round is not found.
        await HttpAssert.Problem(await unit.GetAsync(url), 403);
        await HttpAssert.Problem(await unit.GetAsync($"/api/rounds/{w.B.RoundId}/documents"), 404);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task JointReview_ReturnedThenResubmitted_EveryOfficeAcceptsInTurn(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        long discipline, organisation;
        await using (var db = app.Open())
        {
            var jw = new Organisation { Kind = OrganisationKind.Office, Name = "区纪委监委" };
            var zz = new Organisation { Kind = OrganisationKind.Office, Name = "区委组织部" };
            db.Organisations.AddRange(jw, zz);
            await db.SaveChangesAsync();
            (discipline, organisation) = (jw.Id, zz.Id);
            await Users.AddAsync(db, "jiwei", Role.Office, TestApp.Password, null, jw.Id);
            await Users.AddAsync(db, "zuzhibu", Role.Office, TestApp.Password, null, zz.Id);
        }
        var office = await app.ClientFor("office");
        var unit = await app.ClientFor("unit_admin-a");
        var viewer = await app.ClientFor("viewer-a");
        var chainUrl = $"/api/rounds/{w.A.RoundId}/review-chain";

        // The round's office sets the chain 巡察办 → 纪委监委 → 组织部; a unit may not, a unit is not a reviewing office.
        var chain = await HttpAssert.Ok<JsonElement>(await office.GetAsync(chainUrl));
        Assert.True(chain.GetProperty("isDefault").GetBoolean());
        await HttpAssert.Problem(await unit.PutJson(chainUrl, new { officeIds = new[] { w.OfficeId } }), 403);
        var bad = await HttpAssert.Problem(await office.PutJson(chainUrl, new { officeIds = new[] { w.OfficeId, w.A.UnitId } }), 400);
        Assert.Contains("officeIds", bad.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        chain = await HttpAssert.Ok<JsonElement>(await office.PutJson(chainUrl, new { officeIds = new[] { w.OfficeId, discipline, organisation } }));
        Assert.Equal(["区委巡察办", "区纪委监委", "区委组织部"], chain.GetProperty("offices").EnumerateArray().Select(o => o.GetProperty("name").GetString()));
        var jiwei = await app.ClientFor("jiwei");
        var zuzhibu = await app.ClientFor("zuzhibu");

        // Submissions: only the unit office, only DOCX or PDF.
        var docs = $"/api/inspections/{w.A.InspectionId}/documents";
        await HttpAssert.Problem(await viewer.PostAsync(docs, Form("plan", Pdf, "方案.pdf")), 403);
        var refused = await HttpAssert.Problem(await unit.PostAsync(docs, Form("plan", Encoding.UTF8.GetBytes("纯文本的方案"), "方案.txt")), 400);
        Assert.Contains("PDF", refused.GetProperty("detail").GetString());
        await HttpAssert.Problem(await unit.PostAsync(docs, Form("minutes", Pdf, "方案.pdf")), 400);
        var v1 = await HttpAssert.Ok<JsonElement>(await unit.PostAsync(docs, Form("plan", Pdf, "整改方案.pdf")));
        var v1Id = v1.GetProperty("id").GetInt64();
        Assert.Equal(1, v1.GetProperty("number").GetInt32());
        // Under review: no second submission.
        var again = await HttpAssert.Problem(await unit.PostAsync(docs, Form("plan", Pdf, "整改方案.pdf")), 409);
        Assert.Contains("正在审核", again.GetProperty("detail").GetString());

        // Not 纪委监委's turn yet; the 巡察办 accepts; 纪委监委 returns (an opinion is required).
        var turn = await HttpAssert.Problem(await jiwei.PostJson($"/api/documents/{v1Id}/accept", new { }), 403);
        Assert.Contains("区委巡察办", turn.GetProperty("detail").GetString());
        await HttpAssert.Ok<JsonElement>(await office.PostJson($"/api/documents/{v1Id}/accept", new { opinion = "同意" }));
        await HttpAssert.Problem(await jiwei.PostJson($"/api/documents/{v1Id}/return", new { }), 400);
        var returned = await HttpAssert.Ok<JsonElement>(await jiwei.PostJson($"/api/documents/{v1Id}/return", new { opinion = "问题清单未列明责任领导" }));
        Assert.Equal("returned", returned.GetProperty("state").GetString());

        // The unit sees the opinion and who gave it.
        var mine = await HttpAssert.Ok<JsonElement>(await unit.GetAsync(docs));
        var version = mine.GetProperty("versions").EnumerateArray().Single(v => v.GetProperty("id").GetInt64() == v1Id);
        var reviews = version.GetProperty("reviews").EnumerateArray().ToList();
        Assert.Equal(["区委巡察办", "区纪委监委"], reviews.Select(r => r.GetProperty("officeName").GetString()));
        Assert.Equal("问题清单未列明责任领导", reviews[1].GetProperty("opinion").GetString());
        Assert.Equal("已退回，待重新提交", mine.GetProperty("deadlines").GetProperty("documents")[0].GetProperty("stateText").GetString());
        // A closed version cannot be decided again.
        await HttpAssert.Problem(await zuzhibu.PostJson($"/api/documents/{v1Id}/accept", new { }), 409);

        // Version 2 generated from the ledger: a DOCX plan; the three offices accept in turn.
        var v2 = await HttpAssert.Ok<JsonElement>(await unit.PostJson($"{docs}/generate", new { kind = "plan", note = "已补充责任领导" }));
        var v2Id = v2.GetProperty("id").GetInt64();
        Assert.Equal(2, v2.GetProperty("number").GetInt32());
        Assert.True(v2.GetProperty("generated").GetBoolean());
        var file = await unit.GetAsync($"/api/documents/{v2Id}/file");
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", file.Content.Headers.ContentType?.MediaType);
        using (var zip = new ZipArchive(new MemoryStream(await file.Content.ReadAsByteArrayAsync())))
        using (var reader = new StreamReader(zip.GetEntry("word/document.xml")!.Open()))
            Assert.Contains("整改方案", await reader.ReadToEndAsync());
        await HttpAssert.Ok<JsonElement>(await office.PostJson($"/api/documents/{v2Id}/accept", new { }));
        await HttpAssert.Ok<JsonElement>(await jiwei.PostJson($"/api/documents/{v2Id}/accept", new { opinion = "同意" }));
        var accepted = await HttpAssert.Ok<JsonElement>(await zuzhibu.PostJson($"/api/documents/{v2Id}/accept", new { }));
        Assert.Equal("已通过", accepted.GetProperty("stateText").GetString());
        Assert.Equal(3, accepted.GetProperty("reviews").GetArrayLength());
        await HttpAssert.Problem(await unit.PostJson($"{docs}/generate", new { kind = "plan" }), 409);

        // Versions are kept: the returned one is still downloadable; every step is in the audit trail.
        Assert.Equal(Pdf, await (await office.GetAsync($"/api/documents/{v1Id}/file")).Content.ReadAsByteArrayAsync());
        await using (var db = app.Open())
        {
            Assert.Equal(2, db.RectificationDocuments.Count());
            Assert.Equal(5, db.AuditEvents.Count(a => a.EntityType == "DocumentReview" && a.Action == "created"));
            Assert.True(db.AuditEvents.Any(a => a.EntityType == "RectificationDocument" && a.EntityId == v1Id && a.Action == "refused:accept"));
            Assert.True(db.AuditEvents.Any(a => a.EntityType == "Inspection" && a.Action == "refused:submit_plan"));
        }
    }
}
