using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Core.Workflow;
using Rectify.Tests.Support;
using Xunit.Abstractions;

namespace Rectify.Tests.Access;

/// <summary>
/// Checks <see cref="PolicyTable"/> against the running server: every endpoint of /openapi/v1.json × every role (and
/// anonymous) × an object of the caller's own unit (A) and of another unit (C, under another office). Writes run on
/// fresh objects, so each case sees the same state; a denied write must leave every row as it was.
/// </summary>
public class AuthorisationMatrixTests(ITestOutputHelper output)
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    const string OtherUnitName = "区交通运输局";
    const string OtherPersonName = "赵六c";

    static readonly (Caller Caller, string? User)[] Callers =
    [
        (Caller.Admin, "admin"), (Caller.Office, "office"), (Caller.UnitAdmin, "unit_admin-a"), (Caller.Leader, "leader-a"),
        (Caller.Owner, "owner-a"), (Caller.Viewer, "viewer-a"), (Caller.Anonymous, null),
    ];

    [Theory, MemberData(nameof(Providers))]
    public async Task EveryEndpoint_EveryRoleOnOwnAndOtherUnit_AsThePolicyTableSays(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var world = await MatrixWorld.SeedAsync(app);
        var openApi = JsonNode.Parse(await app.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var clients = new Dictionary<Caller, HttpClient>();
        foreach (var (caller, user) in Callers) clients[caller] = user is null ? app.Anonymous() : await app.ClientFor(user);

        var endpoints = new List<string>();
        foreach (var (template, item) in openApi["paths"]!.AsObject())
            foreach (var (method, _) in item!.AsObject())
                endpoints.Add($"{method.ToUpperInvariant()} {template}");
        var missing = endpoints.Where(e => !PolicyTable.Endpoints.ContainsKey(e)).ToList();
        Assert.True(missing.Count == 0, "endpoints without a row in PolicyTable: " + string.Join(", ", missing));
        var stale = PolicyTable.Endpoints.Keys.Except(endpoints).ToList();
        Assert.True(stale.Count == 0, "PolicyTable rows for endpoints that no longer exist: " + string.Join(", ", stale));

        var failures = new List<string>();
        int cases = 0, allowed = 0, denied = 0, deniedWrites = 0;
        // A write runs on a fresh tree of objects; a tree stays fresh (and the fingerprint known) until a write is allowed.
        Tree? freshA = null, freshC = null;
        string? known = null;
        foreach (var endpoint in endpoints)
        {
            var policy = PolicyTable.Endpoints[endpoint];
            var method = endpoint[..endpoint.IndexOf(' ')];
            var write = method != "GET";
            foreach (var (caller, user) in Callers)
            {
                foreach (var other in new[] { false, true })
                {
                    if (policy.Reach == Reach.Public && other) continue;
                    var unit = other ? world.C : world.A;
                    Tree tree;
                    if (!write) tree = other ? world.SharedC : world.SharedA;
                    else
                    {
                        if ((other ? freshC : freshA) is null) { known = null; if (other) freshC = await world.NewTreeAsync(unit); else freshA = await world.NewTreeAsync(unit); }
                        tree = (other ? freshC : freshA)!;
                    }
                    long? me = user is null ? null : world.UserIds[user];
                    long reminder = 0;
                    if (endpoint.Contains("/inbox/")) { reminder = await world.NewReminderAsync(other || me is null ? world.C.UnitAdminUserId : me.Value, unit); known = null; }
                    var request = Build(endpoint, tree, unit, world, reminder, other);
                    if (write) known ??= await Fingerprint(app);
                    var response = await clients[caller].SendAsync(request);
                    var status = (int)response.StatusCode;
                    var text = await response.Content.ReadAsStringAsync();
                    cases++;

                    var expected = Expect(policy, caller, other, endpoint.Contains("{id}"));
                    var label = $"{endpoint} as {caller} on {(other ? "other" : "own")} unit → {status}";
                    if (status >= 500) failures.Add($"{label}: server error {text}");
                    else switch (expected)
                    {
                        case Outcome.Allowed:
                            allowed++;
                            if (!(status is >= 200 and < 300 or 400 or 409 or 422)) failures.Add($"{label}: expected allowed, {Short(text)}");
                            else if (other && caller != Caller.Admin && Leaks(text)) failures.Add($"{label}: answer shows the other unit's data");
                            break;
                        case Outcome.Filtered:
                            allowed++;
                            if (status is not (>= 200 and < 300)) failures.Add($"{label}: expected 2xx, {Short(text)}");
                            else if (Leaks(text)) failures.Add($"{label}: list shows the other unit's data");
                            break;
                        default:
                            denied++;
                            var want = expected switch { Outcome.Unauthenticated => [401], Outcome.Forbidden => [403], Outcome.NotFound => [404], _ => new[] { 400, 403, 404 } };
                            if (!want.Contains(status)) failures.Add($"{label}: expected {string.Join("/", want)}, {Short(text)}");
                            else if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") failures.Add($"{label}: denial is not ProblemDetails");
                            if (Leaks(text)) failures.Add($"{label}: denial shows the other unit's data");
                            if (write)
                            {
                                deniedWrites++;
                                var after = await Fingerprint(app);
                                if (after != known) { failures.Add($"{label}: denied write changed rows: {Diff(known!, after)}"); known = null; freshA = freshC = null; }
                            }
                            continue;
                    }
                    if (write) { known = null; if (other) freshC = null; else freshA = null; }
                }
            }
        }
        output.WriteLine($"authorisation matrix ({provider}): {endpoints.Count} endpoints, {cases} cases: {allowed} allowed, {denied} denied ({deniedWrites} denied writes left every row unchanged), {failures.Count} failures");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases differ from PolicyTable:\n" + string.Join("\n", failures));
        Assert.True(cases > 1000, $"only {cases} cases");
    }

    enum Outcome { Allowed, Filtered, Unauthenticated, Forbidden, NotFound, Refused }

    static Outcome Expect(Policy p, Caller caller, bool other, bool byId)
    {
        if (p.Reach == Reach.Public) return Outcome.Allowed;
        if (caller == Caller.Anonymous) return Outcome.Unauthenticated;
        var mayOwn = p.Own.HasFlag(caller);
        if (!other) return !mayOwn ? Outcome.Forbidden : p.Reach == Reach.List && caller != Caller.Admin ? Outcome.Filtered : Outcome.Allowed;
        return p.Reach switch
        {
            Reach.List => mayOwn ? (caller == Caller.Admin ? Outcome.Allowed : Outcome.Filtered) : Outcome.Forbidden,
            // Another user's reminder is nobody else's business, not even the admin's; me/logout/password/preview have no unit.
            Reach.Personal => byId ? Outcome.NotFound : mayOwn ? Outcome.Allowed : Outcome.Forbidden,
            // Naming another unit's object is refused before the role is looked at (as 404 comes before 403 for ids).
            Reach.ByBody => caller == Caller.Admin ? Outcome.Allowed : Outcome.Refused,
            _ => caller == Caller.Admin ? Outcome.Allowed : Outcome.NotFound,
        };
    }

    static bool Leaks(string text) => text.Contains(OtherUnitName) || text.Contains(OtherPersonName);
    static string Short(string text) => text.Length > 300 ? text[..300] : text;

    /// <summary>The request of one case: the route's id and a valid body, taken from a tree of the unit being tried.</summary>
    internal static HttpRequestMessage Build(string endpoint, Tree t, UnitCtx u, MatrixWorld w, long reminderId, bool other)
    {
        var split = endpoint.IndexOf(' ');
        var method = endpoint[..split];
        var template = endpoint[(split + 1)..];
        (long? Id, object? Body, string Query) r = endpoint switch
        {
            "POST /api/auth/login" => (null, new { userName = "viewer-c", password = TestApp.Password }, ""),
            // A wrong current password: the endpoint is reached, nothing changes (the bearer token stays valid).
            "POST /api/auth/password" => (null, new { currentPassword = "wrong-pass1", newPassword = "NewPassw0rd-x" }, ""),
            "POST /api/organisations" => (null, new { name = "新股室", kind = "department", parentId = u.UnitId }, ""),
            "POST /api/people" => (null, new { name = "新人员", organisationId = u.DepartmentId }, ""),
            "POST /api/rounds" => (null, new { name = "新轮次", officeId = u.OfficeId }, ""),
            "POST /api/inspections" => (null, new { unitId = u.UnitId, roundId = u.RoundId }, ""),
            "POST /api/rules" => (null, new { unitId = u.UnitId, title = "新制度", problemIds = new[] { t.ProblemId } }, ""),
            "GET /api/figures" or "GET /api/figures/items" => (null, null, other ? $"?year=2022&unitId={u.UnitId}" : "?year=2022"),
            "GET /api/people" or "GET /api/inspections" or "GET /api/outcomes" or "GET /api/rules" =>
                (null, null, other ? $"?unitId={u.UnitId}" : ""),
            "PUT /api/settings" => (null, new { stored = new { yellowDays = 10 }, version = 0 }, ""),
            "GET /api/search" => (null, null, other ? $"?q=学习&unitId={u.UnitId}" : "?q=学习"),

            "GET /api/organisations/{id}" or "PUT /api/organisations/{id}" or "DELETE /api/organisations/{id}" =>
                (t.DepartmentId, new { name = "改名", kind = "department", parentId = u.UnitId, version = 1 }, "?version=1"),
            "GET /api/people/{id}" or "PUT /api/people/{id}" or "DELETE /api/people/{id}" =>
                (t.PersonId, new { name = "改名", organisationId = u.DepartmentId, version = 1 }, "?version=1"),
            "GET /api/rounds/{id}" or "PUT /api/rounds/{id}" or "DELETE /api/rounds/{id}" => (t.RoundId, new { name = "改名", version = 1 }, "?version=1"),
            "GET /api/inspections/{id}" or "PUT /api/inspections/{id}" or "DELETE /api/inspections/{id}" =>
                (t.InspectionId, new { unitId = u.UnitId, team = "改名", version = 1 }, "?version=1"),
            "POST /api/inspections/{id}/categories" => (t.InspectionId, new { title = "新类别" }, ""),
            "PUT /api/inspections/{id}/categories/order" => (t.InspectionId, new { ids = new[] { t.CategoryId } }, ""),
            "GET /api/categories/{id}" or "PUT /api/categories/{id}" or "DELETE /api/categories/{id}" =>
                (t.CategoryId, new { title = "改名", version = 1 }, "?version=1"),
            "POST /api/categories/{id}/problems" => (t.CategoryId, new { title = "新问题" }, ""),
            "PUT /api/categories/{id}/problems/order" => (t.CategoryId, new { ids = new[] { t.ProblemId } }, ""),
            "GET /api/problems/{id}" or "PUT /api/problems/{id}" or "DELETE /api/problems/{id}" =>
                (t.ProblemId, new { title = "改名", version = 1 }, "?version=1"),
            "POST /api/problems/{id}/measures" => (t.ProblemId, new { text = "新措施" }, ""),
            "PUT /api/problems/{id}/measures/order" => (t.ProblemId, new { ids = new[] { t.MeasureId, t.RequestMeasureId } }, ""),
            "GET /api/measures/{id}" or "PUT /api/measures/{id}" or "DELETE /api/measures/{id}" =>
                (t.MeasureId, new { remarks = "改", version = 1 }, "?version=1"),
            "POST /api/inspections/{id}/import" => (t.InspectionId,
                new { categories = new[] { new { number = "一", title = "类别", problems = new[] { new { number = "1", title = "问题" } } } } }, ""),
            "GET /api/inspections/{id}/export" => (t.InspectionId, null, "?to=md"),
            "GET /api/inspections/{id}/bulletin" => (t.InspectionId, null, "?to=md"),
            "POST /api/measures/{id}/reports" => (t.MeasureId, new { done = "完成", percent = 50 }, ""),
            "POST /api/measures/{id}/remarks" => (t.MeasureId, new { text = "督查意见" }, ""),
            "POST /api/measures/{id}/closure" => (t.MeasureId, new { statement = "已完成", evidenceIds = new[] { t.EvidenceId } }, ""),
            "POST /api/measures/{id}/extension" => (t.MeasureId, new { newDeadline = "2023-06-30", reason = "延期" }, ""),
            "POST /api/measures/{id}/reopen" => (t.ClosedMeasureId, new { reason = "回头看" }, ""),
            _ when template.StartsWith("/api/measures/{id}") => (t.MeasureId, null, ""),
            "GET /api/evidence/{id}" or "GET /api/evidence/{id}/preview" => (t.EvidenceId, null, ""),
            "POST /api/requests/{id}/approve" => (t.RequestId, new { opinion = "同意" }, ""),
            "POST /api/requests/{id}/return" => (t.RequestId, new { opinion = "请补充材料" }, ""),
            "GET /api/requests/{id}" => (t.RequestId, null, ""),
            "POST /api/problems/{id}/figures" => (t.ProblemId, new { kind = "meetings", value = 1 }, ""),
            "DELETE /api/figures/{id}" => (t.FigureId, null, ""),
            "GET /api/rules/{id}" or "DELETE /api/rules/{id}" => (t.RuleId, null, ""),
            "GET /api/units/{id}/approval-chain" or "PUT /api/units/{id}/approval-chain" => (u.UnitId, new { steps = new[] { "unit_admin", "office" } }, ""),
            "POST /api/inbox/{id}/read" => (reminderId, null, ""),
            "PUT /api/rounds/{id}/review-chain" => (t.RoundId, new { officeIds = new[] { u.OfficeId } }, ""),
            "POST /api/inspections/{id}/documents/generate" => (t.InspectionId, new { kind = "plan", note = "整改方案" }, ""),
            "POST /api/inspections/{id}/documents" => (t.InspectionId, null, ""),
            "POST /api/documents/{id}/accept" => (t.DocumentId, new { opinion = "同意" }, ""),
            "POST /api/documents/{id}/return" => (t.DocumentId, new { opinion = "请补充整改时限" }, ""),
            _ when template.StartsWith("/api/documents/{id}") => (t.DocumentId, null, ""),
            "POST /api/rounds/{id}/carry-over" => (t.RoundId, new { toRoundId = u.RoundId }, ""),
            "PUT /api/rounds/{id}/evaluation-sheet" => (t.RoundId,
                new { name = "评分表", criteria = new[] { new { code = "a", title = "甲", maxScore = 100 } }, grades = new[] { new { grade = "好", minScore = 0 } } }, ""),
            "PUT /api/rounds/{id}/evaluations" => (t.RoundId, new { unitId = u.UnitId, scores = new Dictionary<string, decimal>() }, ""),
            _ when template.StartsWith("/api/rounds/{id}") => (t.RoundId, null, ""),
            _ when template.StartsWith("/api/problems/{id}") => (t.ProblemId, null, ""),
            _ when template.StartsWith("/api/inspections/{id}") => (t.InspectionId, null, ""),
            _ => template.Contains("{id}") ? throw new Xunit.Sdk.XunitException($"{endpoint} has no request in AuthorisationMatrixTests.Build") : (null, null, ""),
        };
        var (id, body, query) = r;
        var url = (id is { } v ? template.Replace("{id}", v.ToString()) : template) + (method == "DELETE" || method == "GET" ? query : "");
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (endpoint == "POST /api/import/preview")
        {
            var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("一、政治建设方面\n1.学习贯彻不深入。\n")) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } }, "file", "notice.txt");
            request.Content = form;
        }
        else if (endpoint == "POST /api/inspections/{id}/documents")
        {
            var form = new MultipartFormDataContent { { new StringContent("report"), "kind" } };
            form.Add(new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } }, "file", "整改情况报告.pdf");
            request.Content = form;
        }
        else if (endpoint == "POST /api/measures/{id}/evidence")
        {
            var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("会议纪要：已召开专题学习会。")) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } }, "file", "纪要.txt");
            request.Content = form;
        }
        else if (method is "POST" or "PUT")
            request.Content = new StringContent(body is null ? "{}" : JsonSerializer.Serialize(body, TestApp.Json), Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Every data table's row count and sum of versions (one query): a denied write must not move any of them.</summary>
    static async Task<string> Fingerprint(TestApp app)
    {
        await using var db = app.Open();
        var sql = string.Join(" UNION ALL ", FingerprintTypes.Select(t =>
        {
            var e = db.Model.FindEntityType(t)!;
            var table = StoreObjectIdentifier.Table(e.GetTableName()!, e.GetSchema());
            var version = e.FindProperty(nameof(Entity.Version))!.GetColumnName(table)!;
            return $"SELECT '{t.Name}', COUNT(*), COALESCE(SUM(\"{version}\"), 0) FROM \"{e.GetTableName()}\"";
        }));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var parts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) parts.Add($"{reader.GetString(0)}={reader.GetInt64(1)}/{Convert.ToInt64(reader.GetValue(2))}");
        return string.Join(" ", parts);
    }

    static readonly Type[] FingerprintTypes =
    [
        typeof(Organisation), typeof(Person), typeof(InspectionRound), typeof(Inspection), typeof(FeedbackDocument), typeof(Category), typeof(Problem),
        typeof(Measure), typeof(ProgressReport), typeof(ClosureRequest), typeof(ApprovalStep), typeof(DeadlineChange), typeof(SupervisionRemark),
        typeof(EvidenceFile), typeof(Reminder), typeof(RuleDocument), typeof(OutcomeFigure), typeof(Rectify.Core.Supervision.EvaluationSheet),
        typeof(Rectify.Core.Supervision.UnitEvaluation), typeof(Rectify.Core.Supervision.RectificationDocument),
        typeof(Rectify.Core.Supervision.DocumentReview), typeof(User),
    ];

    static string Diff(string before, string after) =>
        string.Join(", ", before.Split(' ').Zip(after.Split(' ')).Where(p => p.First != p.Second).Select(p => $"{p.First} → {p.Second}"));
}

public sealed record UnitCtx(long OfficeId, long UnitId, long DepartmentId, long RoundId, long LeaderPersonId, long OwnerPersonId, long ClerkUserId, long UnitAdminUserId);

/// <summary>One unit's objects, fresh for every write case.</summary>
public sealed record Tree(long RoundId, long InspectionId, long CategoryId, long ProblemId, long MeasureId, long RequestMeasureId, long ClosedMeasureId,
    long DepartmentId, long PersonId, long EvidenceId, long RequestId, long FigureId, long RuleId, long DocumentId);

/// <summary>Unit A under the office "office" supervises, unit C under a second office, users of every role in each.</summary>
public sealed class MatrixWorld
{
    public required TestApp App { get; init; }
    public required UnitCtx A { get; init; }
    public required UnitCtx C { get; init; }
    public required Dictionary<string, long> UserIds { get; init; }
    public Tree SharedA { get; private set; } = null!;
    public Tree SharedC { get; private set; } = null!;
    int _n;

    public static async Task<MatrixWorld> SeedAsync(TestApp app)
    {
        await using var db = app.Open();
        var office = new Organisation { Kind = OrganisationKind.Office, Name = "区委巡察办" };
        var office2 = new Organisation { Kind = OrganisationKind.Office, Name = "市委巡察办" };
        db.Organisations.AddRange(office, office2);
        await db.SaveChangesAsync();
        await Users.AddAsync(db, "admin", Role.Admin, TestApp.Password, null, null);
        await Users.AddAsync(db, "office", Role.Office, TestApp.Password, null, office.Id);
        await Users.AddAsync(db, "office-2", Role.Office, TestApp.Password, null, office2.Id);
        var a = await SeedUnitAsync(db, office, "a", "区教育体育局");
        var c = await SeedUnitAsync(db, office2, "c", "区交通运输局");
        var world = new MatrixWorld { App = app, A = a, C = c, UserIds = db.Users.ToDictionary(u => u.UserName, u => u.Id) };
        world.SharedA = await world.NewTreeAsync(a);
        world.SharedC = await world.NewTreeAsync(c);
        return world;
    }

    static async Task<UnitCtx> SeedUnitAsync(RectifyDb db, Organisation office, string s, string name)
    {
        var unit = new Organisation { Kind = OrganisationKind.Unit, Name = name, ParentId = office.Id };
        db.Organisations.Add(unit);
        await db.SaveChangesAsync();
        var dept = new Organisation { Kind = OrganisationKind.Department, Name = "办公室", ParentId = unit.Id, UnitId = unit.Id };
        db.Organisations.Add(dept);
        await db.SaveChangesAsync();
        var leader = new Person { Name = "李四" + s, Post = "副局长", OrganisationId = dept.Id, UnitId = unit.Id };
        var owner = new Person { Name = (s == "c" ? "赵六" : "王五") + s, Post = "股长", OrganisationId = dept.Id, UnitId = unit.Id };
        var round = new InspectionRound { Name = "2022年第一轮巡察" + s, OfficeId = office.Id };
        db.People.AddRange(leader, owner);
        db.Rounds.Add(round);
        await db.SaveChangesAsync();
        foreach (var role in new[] { Role.UnitAdmin, Role.Leader, Role.Owner, Role.Viewer })
        {
            var user = await Users.AddAsync(db, $"{User.RoleCode(role)}-{s}", role, TestApp.Password, unit.Id, null);
            user.PersonId = role == Role.Leader ? leader.Id : role == Role.Owner ? owner.Id : null;
        }
        var clerk = await Users.AddAsync(db, $"clerk-{s}", Role.Owner, TestApp.Password, unit.Id, null);
        await db.SaveChangesAsync();
        var unitAdmin = db.Users.Single(u => u.UserName == $"unit_admin-{s}").Id;
        return new UnitCtx(office.Id, unit.Id, dept.Id, round.Id, leader.Id, owner.Id, clerk.Id, unitAdmin);
    }

    /// <summary>A round with an inspection whose ledger has a free measure, a measure with a pending closure request
    /// (the chain starts with the 责任领导), a closed measure, evidence, an outcome figure, a rule, an empty department and a person.</summary>
    public async Task<Tree> NewTreeAsync(UnitCtx u)
    {
        var n = ++_n;
        await using var db = App.Open();
        var round = new InspectionRound { Name = $"第{n}轮巡察", OfficeId = u.OfficeId };
        db.Rounds.Add(round);
        var dept = new Organisation { Kind = OrganisationKind.Department, Name = $"股室{n}", ParentId = u.UnitId, UnitId = u.UnitId };
        db.Organisations.Add(dept);
        await db.SaveChangesAsync();
        var inspection = new Inspection { UnitId = u.UnitId, RoundId = round.Id, Team = "区委第一巡察组", FeedbackDate = new DateOnly(2022, 6, 27) };
        db.Inspections.Add(inspection);
        var person = new Person { Name = $"人员{n}", OrganisationId = u.DepartmentId, UnitId = u.UnitId };
        db.People.Add(person);
        await db.SaveChangesAsync();
        Measure NewMeasure(int ordinal, MeasureStatus status) => new()
        {
            InspectionId = inspection.Id, UnitId = u.UnitId, Ordinal = ordinal, Text = "制定学习计划" + ordinal, Status = status,
            OwnerId = u.OwnerPersonId, LeaderId = u.LeaderPersonId, Deadline = new DateOnly(2022, 12, 31),
        };
        var category = new Category { InspectionId = inspection.Id, UnitId = u.UnitId, Ordinal = 1, Title = "政治建设重视不够" };
        var problem = new Problem { InspectionId = inspection.Id, UnitId = u.UnitId, Ordinal = 1, Title = "学习贯彻不深入" };
        var measure = NewMeasure(1, MeasureStatus.InProgress);
        var requestMeasure = NewMeasure(2, MeasureStatus.InProgress);
        var closed = NewMeasure(3, MeasureStatus.Closed);
        problem.Measures.AddRange([measure, requestMeasure, closed]);
        category.Problems.Add(problem);
        db.Categories.Add(category);
        await db.SaveChangesAsync();
        var evidence = new EvidenceFile
        {
            UnitId = u.UnitId, MeasureId = measure.Id, FileName = "纪要.txt", ContentType = "text/plain", Size = 6, Sha256 = new string('0', 64),
            Content = "纪要"u8.ToArray(),
        };
        var request = new ClosureRequest { MeasureId = requestMeasure.Id, UnitId = u.UnitId, Statement = "已整改", Chain = "leader,unit_admin,office", RequestedByUserId = u.ClerkUserId };
        var figure = new OutcomeFigure { UnitId = u.UnitId, ProblemId = problem.Id, Kind = "funds_yuan", Value = 2730, Unit = "元" };
        var rule = new RuleDocument { UnitId = u.UnitId, Title = "学习制度", ProblemIds = [problem.Id] };
        db.EvidenceFiles.Add(evidence);
        db.ClosureRequests.Add(request);
        db.OutcomeFigures.Add(figure);
        db.Rules.Add(rule);
        // The unit's 整改方案, submitted and waiting for the round's office (the default review chain).
        var document = new Rectify.Core.Supervision.RectificationDocument
        {
            InspectionId = inspection.Id, UnitId = u.UnitId, Kind = Rectify.Core.Supervision.OwedDocument.Plan, Number = 1, FileName = "整改方案.pdf",
            ContentType = "application/pdf", Size = 4, Sha256 = new string('0', 64), Content = "%PDF"u8.ToArray(), SubmittedByUserId = u.UnitAdminUserId,
            SubmittedAt = new DateTime(2022, 7, 20, 0, 0, 0, DateTimeKind.Utc), State = RequestState.Pending, Chain = u.OfficeId.ToString(),
        };
        db.RectificationDocuments.Add(document);
        await db.SaveChangesAsync();
        return new Tree(round.Id, inspection.Id, category.Id, problem.Id, measure.Id, requestMeasure.Id, closed.Id, dept.Id, person.Id,
            evidence.Id, request.Id, figure.Id, rule.Id, document.Id);
    }

    public async Task<long> NewReminderAsync(long userId, UnitCtx u)
    {
        var n = ++_n;
        await using var db = App.Open();
        var r = new Reminder
        {
            UserId = userId, Kind = "report_due", Subject = $"case:{n}", Period = "2022-06-27", Key = Reminder.KeyOf(userId, "report_due", $"case:{n}", "2022-06-27"),
            Title = "周汇报到期", UnitId = u.UnitId,
        };
        db.Reminders.Add(r);
        await db.SaveChangesAsync();
        return r.Id;
    }
}
