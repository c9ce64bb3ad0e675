using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rectify.Core.Supervision;
using Rectify.Core.Workflow;
using Rectify.Tests.Support;

namespace Rectify.Tests.Access;

/// <summary>
/// Units are kept apart: a user of unit A gets 404 for every object of unit B through every endpoint. The endpoints
/// are read from the OpenAPI document, so a new endpoint without a case here fails the test until it is classified.
/// </summary>
public class TenancyTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>For each route template with an {id}: which of B's objects to use, and a valid body for writes.</summary>
    static (Func<UnitWorld, long> Id, object? Body) Case(string method, string template, UnitWorld b, BWorkflow bw) => (method, template) switch
    {
        (_, "/api/rounds/{id}") => (x => x.RoundId, new { name = "改名", version = 1 }),
        (_, "/api/inspections/{id}") => (x => x.InspectionId, new { unitId = b.UnitId, version = 1 }),
        (_, "/api/inspections/{id}/ledger") => (x => x.InspectionId, null),
        ("POST", "/api/inspections/{id}/import") => (x => x.InspectionId,
            new { categories = new[] { new { number = "一", title = "类别", problems = new[] { new { number = "1", title = "问题" } } } } }),
        (_, "/api/inspections/{id}/export") => (x => x.InspectionId, null),
        ("POST", "/api/inspections/{id}/categories") => (x => x.InspectionId, new { title = "新类别" }),
        ("PUT", "/api/inspections/{id}/categories/order") => (x => x.InspectionId, new { ids = new[] { b.CategoryId } }),
        (_, "/api/categories/{id}") => (x => x.CategoryId, new { title = "改名", version = 1 }),
        ("POST", "/api/categories/{id}/problems") => (x => x.CategoryId, new { title = "新问题" }),
        ("PUT", "/api/categories/{id}/problems/order") => (x => x.CategoryId, new { ids = new[] { b.ProblemId } }),
        (_, "/api/problems/{id}") => (x => x.ProblemId, new { title = "改名", version = 1 }),
        ("POST", "/api/problems/{id}/measures") => (x => x.ProblemId, new { text = "新措施" }),
        ("PUT", "/api/problems/{id}/measures/order") => (x => x.ProblemId, new { ids = new[] { b.MeasureId } }),
        (_, "/api/measures/{id}") => (x => x.MeasureId, new { remarks = "改", version = 1 }),
        (_, "/api/organisations/{id}") => (x => x.DepartmentId, new { name = "改名", kind = "department", parentId = b.UnitId, version = 1 }),
        ("GET", "/api/rounds/{id}/figures") => (x => x.RoundId, null),
        ("GET", "/api/rounds/{id}/figures/items") => (x => x.RoundId, null),
        ("GET", "/api/rounds/{id}/summary") => (x => x.RoundId, null),
        ("GET", "/api/rounds/{id}/clusters") => (x => x.RoundId, null),
        ("GET", "/api/problems/{id}/similar") => (x => x.ProblemId, null),
        ("GET", "/api/problems/{id}/history") => (x => x.ProblemId, null),
        (_, "/api/rounds/{id}/evaluation-sheet") => (x => x.RoundId, new { name = "评分表", criteria = new[] { new { code = "a", title = "甲", maxScore = 100 } }, grades = new[] { new { grade = "好", minScore = 0 } } }),
        (_, "/api/rounds/{id}/evaluations") => (x => x.RoundId, new { unitId = b.UnitId, scores = new Dictionary<string, decimal>() }),
        ("POST", "/api/rounds/{id}/carry-over") => (x => x.RoundId, new { toRoundId = b.RoundId }),
        (_, "/api/people/{id}") => (x => x.PersonId, new { name = "改名", organisationId = b.DepartmentId, version = 1 }),
        ("POST", "/api/measures/{id}/reports") => (x => x.MeasureId, new { done = "完成", percent = 50 }),
        ("GET", "/api/measures/{id}/reports") => (x => x.MeasureId, null),
        ("POST", "/api/measures/{id}/remarks") => (x => x.MeasureId, new { text = "督查意见" }),
        ("GET", "/api/inspections/{id}/weekly") => (x => x.InspectionId, null),
        ("GET", "/api/inspections/{id}/lights") => (x => x.InspectionId, null),
        ("GET", "/api/inspections/{id}/bulletin") => (x => x.InspectionId, null),
        (_, "/api/measures/{id}/evidence") => (x => x.MeasureId, new { }),
        ("GET", "/api/evidence/{id}") => (_ => bw.EvidenceId, null),
        ("GET", "/api/evidence/{id}/preview") => (_ => bw.EvidenceId, null),
        ("POST", "/api/measures/{id}/closure") => (x => x.MeasureId, new { statement = "已完成", evidenceIds = new[] { bw.EvidenceId } }),
        ("POST", "/api/measures/{id}/extension") => (x => x.MeasureId, new { newDeadline = "2030-01-01", reason = "延期" }),
        ("GET", "/api/measures/{id}/requests") => (x => x.MeasureId, null),
        ("GET", "/api/measures/{id}/deadlines") => (x => x.MeasureId, null),
        ("POST", "/api/measures/{id}/reopen") => (x => x.MeasureId, new { reason = "回头看" }),
        ("GET", "/api/requests/{id}") => (_ => bw.RequestId, null),
        ("POST", "/api/requests/{id}/approve") => (_ => bw.RequestId, new { opinion = "同意" }),
        ("POST", "/api/requests/{id}/return") => (_ => bw.RequestId, new { opinion = "退回" }),
        ("POST", "/api/inbox/{id}/read") => (_ => bw.ReminderId, null),
        (_, "/api/problems/{id}/figures") => (x => x.ProblemId, new { kind = "meetings", value = 1 }),
        ("DELETE", "/api/figures/{id}") => (_ => bw.FigureId, null),
        (_, "/api/units/{id}/approval-chain") => (x => x.UnitId, new { steps = new[] { "office" } }),
        (_, "/api/rules/{id}") => (_ => bw.RuleId, null),
        ("GET", "/api/rounds/{id}/documents") => (x => x.RoundId, null),
        (_, "/api/rounds/{id}/review-chain") => (x => x.RoundId, new { officeIds = Array.Empty<long>() }),
        (_, "/api/inspections/{id}/documents") => (x => x.InspectionId, new { }),
        ("POST", "/api/inspections/{id}/documents/generate") => (x => x.InspectionId, new { kind = "plan" }),
        ("GET", "/api/documents/{id}") => (_ => bw.DocumentId, null),
        ("GET", "/api/documents/{id}/file") => (_ => bw.DocumentId, null),
        ("POST", "/api/documents/{id}/accept") => (_ => bw.DocumentId, new { opinion = "同意" }),
        ("POST", "/api/documents/{id}/return") => (_ => bw.DocumentId, new { opinion = "退回" }),
        _ => throw new Xunit.Sdk.XunitException($"{method} {template} has no tenancy case: add one to TenancyTests"),
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task EveryEndpointWithId_ObjectOfOtherUnit_Returns404(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var bw = await SeedWorkflowOfBAsync(app, w.B);
        var openApi = JsonNode.Parse(await app.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var users = new[] { "unit_admin-a", "leader-a", "owner-a", "viewer-a" };
        var clients = new Dictionary<string, HttpClient>();
        foreach (var u in users) clients[u] = await app.ClientFor(u);

        int checkedCases = 0;
        foreach (var (template, item) in openApi["paths"]!.AsObject())
        {
            if (!template.Contains("{id}")) continue;
            foreach (var (method, _) in item!.AsObject())
            {
                var verb = method.ToUpperInvariant();
                if (verb is "PARAMETERS") continue;
                var (id, body) = Case(verb, template, w.B, bw);
                var url = template.Replace("{id}", id(w.B).ToString());
                foreach (var (user, client) in clients)
                {
                    var request = new HttpRequestMessage(new HttpMethod(verb), url);
                    if (verb is "POST" or "PUT" && body is not null)
                        request.Content = new StringContent(JsonSerializer.Serialize(body, TestApp.Json), Encoding.UTF8, "application/json");
                    var response = await client.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{user} {verb} {url} → {(int)response.StatusCode} {text}");
                    Assert.DoesNotContain("区卫生健康委员会", text);
                    checkedCases++;
                }
            }
        }
        Assert.True(checkedCases >= 25 * users.Length, $"only {checkedCases} cases checked");

        // Nothing of B changed.
        await using var db = app.Open();
        Assert.Equal(1, db.ClosureRequests.Single(r => r.Id == bw.RequestId).Version);
        Assert.Empty(db.ProgressReports);
        Assert.Empty(db.ApprovalSteps);
        Assert.Single(db.OutcomeFigures);
        Assert.Single(db.Rules);
        Assert.Equal(1, db.RectificationDocuments.Single().Version);
        Assert.Empty(db.DocumentReviews);
        Assert.Null(db.Rounds.Single(r => r.Id == w.B.RoundId).ReviewChain);
        Assert.Null(db.Reminders.Single(r => r.Id == bw.ReminderId).ReadAt);
        Assert.Equal(1, db.Measures.Single(m => m.Id == w.B.MeasureId).Version);
        Assert.Equal("学习贯彻不深入", db.Problems.Single(p => p.Id == w.B.ProblemId).Title);
        Assert.Single(db.Categories.Where(c => c.InspectionId == w.B.InspectionId));
    }

    sealed record BWorkflow(long EvidenceId, long RequestId, long ReminderId, long FigureId, long RuleId, long DocumentId);

    /// <summary>An evidence file and a pending closure request of unit B, for the workflow endpoints.</summary>
    static async Task<BWorkflow> SeedWorkflowOfBAsync(TestApp app, UnitWorld b)
    {
        await using var db = app.Open();
        var file = new EvidenceFile
        {
            UnitId = b.UnitId, MeasureId = b.MeasureId, FileName = "b.pdf", ContentType = "application/pdf", Size = 8, Sha256 = new string('0', 64),
            Content = "%PDF-1.4"u8.ToArray(),
        };
        var request = new ClosureRequest { MeasureId = b.MeasureId, UnitId = b.UnitId, Statement = "区卫生健康委员会已整改", Chain = "leader,unit_admin,office" };
        var ownerB = db.Users.Single(u => u.UserName == "owner-b").Id;
        var reminder = new Reminder
        {
            UserId = ownerB, Kind = "report_due", Subject = $"measure:{b.MeasureId}", Period = "2022-06-27",
            Key = Reminder.KeyOf(ownerB, "report_due", $"measure:{b.MeasureId}", "2022-06-27"), Title = "区卫生健康委员会周汇报", UnitId = b.UnitId,
        };
        db.EvidenceFiles.Add(file);
        db.ClosureRequests.Add(request);
        db.Reminders.Add(reminder);
        var figure = new OutcomeFigure { UnitId = b.UnitId, ProblemId = b.ProblemId, Kind = "funds_yuan", Value = 2730, Unit = "元" };
        var rule = new RuleDocument { UnitId = b.UnitId, Title = "区卫生健康委员会学习制度", ProblemIds = [b.ProblemId] };
        db.OutcomeFigures.Add(figure);
        db.Rules.Add(rule);
        var document = new RectificationDocument
        {
            InspectionId = b.InspectionId, UnitId = b.UnitId, Kind = OwedDocument.Plan, Number = 1, FileName = "区卫生健康委员会整改方案.pdf",
            ContentType = "application/pdf", Size = 8, Sha256 = new string('0', 64), Content = "%PDF-1.4"u8.ToArray(),
            Chain = db.Rounds.Single(r => r.Id == b.RoundId).OfficeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        db.RectificationDocuments.Add(document);
        await db.SaveChangesAsync();
        return new BWorkflow(file.Id, request.Id, reminder.Id, figure.Id, rule.Id, document.Id);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Lists_UserOfUnitA_SeeNothingOfUnitB(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        foreach (var url in new[] { "/api/inspections", "/api/rounds", "/api/organisations", "/api/people", "/api/lights", "/api/lights/red", "/api/inbox", "/api/rules", "/api/outcomes", $"/api/inspections?unitId={w.B.UnitId}", $"/api/people?unitId={w.B.UnitId}" })
        {
            var text = await (await c.GetAsync(url)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("区卫生健康委员会", text);
            Assert.DoesNotContain("张三b", text);
            Assert.DoesNotContain("巡察b", text);
            Assert.DoesNotContain($"\"unitId\":{w.B.UnitId}", text);
        }
        var own = await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/inspections"));
        Assert.Equal(w.A.InspectionId, Assert.Single(own.EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Create_ReferencingOtherUnit_RefusedAndNothingStored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        await HttpAssert.Problem(await c.PostJson("/api/inspections", new { unitId = w.B.UnitId }), 400);
        await HttpAssert.Problem(await c.PostJson("/api/people", new { name = "李四", organisationId = w.B.DepartmentId }), 400);
        await HttpAssert.Problem(await c.PostJson("/api/organisations", new { name = "新股室", kind = "department", parentId = w.B.UnitId }), 400);
        await HttpAssert.Problem(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { ownerId = w.B.PersonId, version = 1 }), 400);
        await HttpAssert.Problem(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { leadDepartmentId = w.B.DepartmentId, version = 1 }), 400);
        await using var db = app.Open();
        Assert.Single(db.Inspections.Where(i => i.UnitId == w.B.UnitId));
        Assert.Single(db.People.Where(p => p.UnitId == w.B.UnitId));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Office_SeesEveryUnitItSupervises(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("office");
        var list = await HttpAssert.Ok<JsonElement>(await c.GetAsync("/api/inspections"));
        Assert.Equal(2, list.GetArrayLength());
        await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{w.B.InspectionId}/ledger"));
        // The office reads, but does not edit a unit's ledger.
        await HttpAssert.Problem(await c.PutJson($"/api/measures/{w.B.MeasureId}", new { remarks = "x", version = 1 }), 403);
    }

    [Fact]
    public async Task EveryApiEndpoint_Anonymous_Returns401()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var w = await app.SeedWorldAsync();
        var client = app.Anonymous();
        var openApi = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        int n = 0;
        foreach (var (template, item) in openApi["paths"]!.AsObject())
        {
            if (!template.StartsWith("/api/") || template == "/api/auth/login") continue;
            foreach (var (method, _) in item!.AsObject())
            {
                var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), template.Replace("{id}", w.A.MeasureId.ToString()));
                if (method is "post" or "put") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                var response = await client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {template} → {(int)response.StatusCode}");
                n++;
            }
        }
        Assert.True(n > 25);
    }
}
