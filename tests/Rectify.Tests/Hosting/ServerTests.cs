using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Rectify.Tests.Support;

namespace Rectify.Tests.Hosting;

public class ServerTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Health_Database_NamesProvider(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var r = await app.Anonymous().GetAsync("/health");
        var body = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(provider, body.GetProperty("database").GetString());
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", r.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task OpenApi_Document_ListsLedgerEndpointAndReferencePage()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var doc = await app.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/inspections/{id}/ledger", out _));
        var page = await app.Anonymous().GetStringAsync("/api-docs.html");
        Assert.Contains("openapi/v1.json", page + await app.Anonymous().GetStringAsync("/js/api-docs.js"));
    }

    /// <summary>CI sets RECTIFY_REQUIRE_POSTGRES=1: then the PostgreSQL suite must really run, not skip.</summary>
    [Fact]
    public async Task PostgresSuite_WhenRequired_IsConfiguredAndReachable()
    {
        if (Environment.GetEnvironmentVariable(TestDatabases.RequireVariable) != "1") return;
        Assert.False(TestDatabases.PostgresServer is null, $"{TestDatabases.PostgresVariable} must be set when {TestDatabases.RequireVariable}=1");
        await using var c = new NpgsqlConnection(TestDatabases.PostgresServer);
        await c.OpenAsync();
    }
}
