using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Time.Testing;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Hosting;

namespace Rectify.Tests.Support;

/// <summary>
/// The real server on a real database, reached through the in-process test server. Offers intent methods:
/// seed two units with users of every role, get a client for a user, open the database.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public required WebApplication App { get; init; }
    public required DatabaseLocation Db { get; init; }
    public required FakeTimeProvider Clock { get; init; }
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="provider">sqlite or postgresql.</param>
    /// <param name="settings">Configuration values, e.g. ("Rectify:Workflow:MaxEvidenceBytes", "1024").</param>
    public static async Task<TestApp> StartAsync(string provider, params (string Key, string Value)[] settings)
    {
        var db = await TestDatabases.CreateAsync(provider);
        var clock = new FakeTimeProvider(new DateTimeOffset(2022, 6, 27, 1, 0, 0, TimeSpan.Zero));
        var app = RectifyServer.Build(new ServerSettings(db) { Clock = clock }, b =>
        {
            b.WebHost.UseTestServer();
            // The reminder job runs only when a test asks for it (ReminderTests), never on the side.
            b.Configuration["Rectify:Reminders:Enabled"] = "false";
            // Tests write faster than any person; RateLimitTests switch the write limit on with a small value.
            b.Configuration["Rectify:RateLimit:WritesPerMinute"] = "0";
            foreach (var (key, value) in settings) b.Configuration[key] = value;
        });
        await app.StartAsync();
        return new TestApp { App = app, Db = db, Clock = clock };
    }

    public HttpClient Anonymous() => App.GetTestClient();

    /// <summary>A client that authenticates with a bearer token of the named user.</summary>
    public async Task<HttpClient> ClientFor(string userName)
    {
        await using var db = Open();
        var user = db.Users.Single(u => u.UserName == userName);
        var token = Authentication.NewToken();
        db.ApiTokens.Add(new ApiToken { UserId = user.Id, Name = "test", TokenHash = Authentication.HashToken(token), CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        var client = App.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public RectifyDb Open(CallerScope? scope = null) => Database.Open(Db, scope);

    /// <summary>Fills the database with a generated province of <paramref name="size"/> (bulk path, app's clock).</summary>
    public async Task<Rectify.Core.Performance.GeneratedProvince> GenerateAsync(Rectify.Core.Performance.ProvinceSize size)
    {
        await using var db = Open();
        return await new Rectify.Core.Performance.ProvinceGenerator(db, Clock).RunAsync(size);
    }

    public const string Password = "Passw0rd-test";

    /// <summary>
    /// An office, two units A and B under it (each with a department, a person, a round, an inspection and a
    /// category → problem → measure), and users of every role in each unit, named "{role}-a" / "{role}-b".
    /// </summary>
    public async Task<World> SeedWorldAsync()
    {
        await using var db = Open();
        var office = new Organisation { Kind = OrganisationKind.Office, Name = "区委巡察办" };
        db.Organisations.Add(office);
        await db.SaveChangesAsync();
        await Users.AddAsync(db, "admin", Role.Admin, Password, null, null);
        await Users.AddAsync(db, "office", Role.Office, Password, null, office.Id);
        var a = await SeedUnitAsync(db, office, "a", "区教育体育局");
        var b = await SeedUnitAsync(db, office, "b", "区卫生健康委员会");
        return new World(office.Id, a, b);
    }

    static async Task<UnitWorld> SeedUnitAsync(RectifyDb db, Organisation office, string suffix, string name)
    {
        var unit = new Organisation { Kind = OrganisationKind.Unit, Name = name, ParentId = office.Id };
        db.Organisations.Add(unit);
        await db.SaveChangesAsync();
        var dept = new Organisation { Kind = OrganisationKind.Department, Name = "办公室", ParentId = unit.Id, UnitId = unit.Id };
        db.Organisations.Add(dept);
        await db.SaveChangesAsync();
        var person = new Person { Name = "张三" + suffix, Post = "股长", OrganisationId = dept.Id, UnitId = unit.Id };
        db.People.Add(person);
        var round = new InspectionRound { Name = "2022年第一轮巡察" + suffix, OfficeId = office.Id };
        db.Rounds.Add(round);
        await db.SaveChangesAsync();
        var inspection = new Inspection { UnitId = unit.Id, RoundId = round.Id, Team = "区委第一巡察组", FeedbackDate = new DateOnly(2022, 6, 27) };
        db.Inspections.Add(inspection);
        await db.SaveChangesAsync();
        var category = new Category { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = 1, Title = "政治建设重视不够" };
        var problem = new Problem { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = 1, Title = "学习贯彻不深入" };
        var measure = new Measure { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = 1, Text = "制定学习计划", Status = MeasureStatus.InProgress };
        problem.Measures.Add(measure);
        category.Problems.Add(problem);
        db.Categories.Add(category);
        await db.SaveChangesAsync();
        foreach (var role in new[] { Role.UnitAdmin, Role.Leader, Role.Owner, Role.Viewer })
            await Users.AddAsync(db, $"{User.RoleCode(role)}-{suffix}", role, Password, unit.Id, null);
        return new UnitWorld(unit.Id, dept.Id, person.Id, round.Id, inspection.Id, category.Id, problem.Id, measure.Id);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await TestDatabases.DropAsync(Db);
    }
}

public sealed record World(long OfficeId, UnitWorld A, UnitWorld B);
public sealed record UnitWorld(long UnitId, long DepartmentId, long PersonId, long RoundId, long InspectionId, long CategoryId, long ProblemId, long MeasureId);

public static class HttpAssert
{
    /// <summary>Reads a ProblemDetails body and checks it has a Chinese title.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage r, int status)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"expected {status}, got {(int)r.StatusCode}: {body}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        var title = json.GetProperty("title").GetString() ?? "";
        Assert.True(title.Any(c => c >= 0x4E00 && c <= 0x9FFF), $"title is not Chinese: {title}");
        return json;
    }

    public static async Task<T> Ok<T>(HttpResponseMessage r)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"expected success, got {(int)r.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, TestApp.Json)!;
    }

    public static Task<HttpResponseMessage> PutJson(this HttpClient c, string url, object body) => c.PutAsJsonAsync(url, body, TestApp.Json);
    public static Task<HttpResponseMessage> PostJson(this HttpClient c, string url, object body) => c.PostAsJsonAsync(url, body, TestApp.Json);
}
