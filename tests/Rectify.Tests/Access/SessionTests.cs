using System.Net;
using System.Text.Json;
using Rectify.Access;
using Rectify.Tests.Support;

namespace Rectify.Tests.Access;

/// <summary>Password policy on change, session fixation, and what a session cookie is worth after logout.</summary>
public class SessionTests
{
    static async Task<(string Cookie, string Xsrf)> LoginAsync(TestApp app, string user, string? plantedCookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = JsonContent(new { userName = user, password = TestApp.Password }),
        };
        if (plantedCookie is not null) request.Headers.Add("Cookie", plantedCookie);
        var response = await app.Anonymous().SendAsync(request);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        var session = cookies.Last(c => c.StartsWith("rectify.session=")).Split(';')[0];
        var antiforgery = cookies.Where(c => c.StartsWith(".AspNetCore.Antiforgery")).Select(c => c.Split(';')[0]);
        var xsrf = (await HttpAssert.Ok<JsonElement>(response)).GetProperty("xsrf").GetString()!;
        return (string.Join("; ", [session, .. antiforgery]), xsrf);
    }

    static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body, TestApp.Json), System.Text.Encoding.UTF8, "application/json");

    static HttpClient WithCookie(TestApp app, string cookie, string? xsrf = null)
    {
        var c = app.Anonymous();
        c.DefaultRequestHeaders.Add("Cookie", cookie);
        if (xsrf is not null) c.DefaultRequestHeaders.Add(Authentication.XsrfHeader, xsrf);
        return c;
    }

    static async Task<string?> WhoAsync(HttpClient c)
    {
        var r = await c.GetAsync("/api/auth/me");
        return r.StatusCode == HttpStatusCode.OK ? (await HttpAssert.Ok<JsonElement>(r)).GetProperty("userName").GetString() : null;
    }

    [Fact]
    public async Task Login_WithPlantedSessionCookie_GetsOwnNewSession_PlantedOneStaysTheAttackers()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        var (attacker, _) = await LoginAsync(app, "viewer-a");
        var (victim, _) = await LoginAsync(app, "leader-a", plantedCookie: attacker);
        Assert.NotEqual(attacker.Split(';')[0], victim.Split(';')[0]);
        Assert.Equal("leader-a", await WhoAsync(WithCookie(app, victim)));
        // The planted cookie did not become the victim's session: it still names the attacker's own account.
        Assert.Equal("viewer-a", await WhoAsync(WithCookie(app, attacker)));
    }

    [Fact]
    public async Task Logout_CopiedSessionCookie_NoLongerAccepted()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        var (cookie, xsrf) = await LoginAsync(app, "owner-a");
        var copy = cookie; // what a shared computer or a proxy log may have kept
        Assert.Equal("owner-a", await WhoAsync(WithCookie(app, copy)));
        Assert.Equal(HttpStatusCode.NoContent, (await WithCookie(app, cookie, xsrf).PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Null(await WhoAsync(WithCookie(app, copy)));
        await HttpAssert.Problem(await WithCookie(app, copy).GetAsync("/api/inspections"), 401);
    }

    [Theory]
    [InlineData("Ab1", "至少需要 8 个字符")]
    [InlineData("abcdefghij", "必须同时包含字母和数字")]
    [InlineData("1234567890", "必须同时包含字母和数字")]
    public async Task ChangePassword_WeakPassword_RefusedInChinese_OldPasswordStillWorks(string weak, string message)
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        var c = await app.ClientFor("viewer-a");
        var refused = await HttpAssert.Problem(await c.PostJson("/api/auth/password", new { currentPassword = TestApp.Password, newPassword = weak }), 400);
        Assert.Contains(message, refused.GetRawText());
        await HttpAssert.Problem(await c.PostJson("/api/auth/password", new { currentPassword = "Wrong-pass-1", newPassword = "Str0ng-enough" }), 400);
        // Nothing changed: the old password still signs in, the rejected ones do not.
        await LoginAsync(app, "viewer-a");
        await HttpAssert.Problem(await app.Anonymous().PostJson("/api/auth/login", new { userName = "viewer-a", password = weak }), 401);
        await HttpAssert.Problem(await app.Anonymous().PostJson("/api/auth/login", new { userName = "viewer-a", password = "Str0ng-enough" }), 401);
    }
}
