using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Rectify.Access;
using Rectify.Tests.Support;

namespace Rectify.Tests.Access;

public class AuthTests
{
    /// <summary>A browser-like client: keeps cookies between requests.</summary>
    static HttpClient Browser(TestApp app)
    {
        var handler = new CookieContainerHandler(app.App.GetTestServer().CreateHandler());
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost") };
    }

    sealed class CookieContainerHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        readonly CookieContainer _jar = new();
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var cookies = _jar.GetCookieHeader(request.RequestUri!);
            if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
            var response = await base.SendAsync(request, ct);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var c in set) _jar.SetCookies(request.RequestUri!, c);
            return response;
        }
    }

    [Fact]
    public async Task CookieSession_WriteWithoutAntiforgeryToken_IsRefused()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var w = await app.SeedWorldAsync();
        var browser = Browser(app);
        var me = await HttpAssert.Ok<JsonElement>(await browser.PostJson("/api/auth/login", new { userName = "unit_admin-a", password = TestApp.Password }));
        var xsrf = me.GetProperty("xsrf").GetString()!;

        await HttpAssert.Ok<JsonElement>(await browser.GetAsync($"/api/measures/{w.A.MeasureId}"));
        var forged = await HttpAssert.Problem(await browser.PutJson($"/api/measures/{w.A.MeasureId}", new { remarks = "跨站伪造", version = 1 }), 400);
        Assert.Equal("防伪令牌无效", forged.GetProperty("title").GetString());

        browser.DefaultRequestHeaders.Add(Authentication.XsrfHeader, xsrf);
        await HttpAssert.Ok<JsonElement>(await browser.PutJson($"/api/measures/{w.A.MeasureId}", new { remarks = "正常修改", version = 1 }));
    }

    [Fact]
    public async Task Logout_ThenOldCookie_IsNoLongerAccepted()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        var login = await app.Anonymous().PostJson("/api/auth/login", new { userName = "leader-a", password = TestApp.Password });
        var cookie = login.Headers.GetValues("Set-Cookie").Last(c => c.StartsWith("rectify.session=")).Split(';')[0];
        var xsrf = (await HttpAssert.Ok<JsonElement>(login)).GetProperty("xsrf").GetString()!;

        var client = app.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", cookie + "; " + string.Join("; ", login.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(".AspNetCore.Antiforgery")).Select(c => c.Split(';')[0])));
        client.DefaultRequestHeaders.Add(Authentication.XsrfHeader, xsrf);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        // Change password elsewhere: existing sessions end (new security stamp).
        var other = Browser(app);
        var me = await HttpAssert.Ok<JsonElement>(await other.PostJson("/api/auth/login", new { userName = "leader-a", password = TestApp.Password }));
        other.DefaultRequestHeaders.Add(Authentication.XsrfHeader, me.GetProperty("xsrf").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await other.PostJson("/api/auth/password", new { currentPassword = TestApp.Password, newPassword = "NewPassw0rd-x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await other.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LocksAccount()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        var c = app.Anonymous();
        for (int i = 0; i < 5; i++)
            await HttpAssert.Problem(await c.PostJson("/api/auth/login", new { userName = "owner-a", password = "wrong-password-1" }), 401);
        var locked = await HttpAssert.Problem(await c.PostJson("/api/auth/login", new { userName = "owner-a", password = TestApp.Password }), 401);
        Assert.Contains("锁定", locked.GetProperty("detail").GetString());
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        await HttpAssert.Ok<JsonElement>(await c.PostJson("/api/auth/login", new { userName = "owner-a", password = TestApp.Password }));
    }

    [Fact]
    public async Task Login_NewSession_GetsNewCookieValue()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        string Session(HttpResponseMessage r) => r.Headers.GetValues("Set-Cookie").Last(c => c.StartsWith("rectify.session=")).Split(';')[0];
        var first = await app.Anonymous().PostJson("/api/auth/login", new { userName = "viewer-a", password = TestApp.Password });
        var second = await app.Anonymous().PostJson("/api/auth/login", new { userName = "viewer-a", password = TestApp.Password });
        Assert.NotEqual(Session(first), Session(second));
    }

    [Fact]
    public async Task Token_Revoked_IsRejected()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        var c = await app.ClientFor("viewer-a");
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/auth/me")).StatusCode);
        await using (var db = app.Open())
        {
            foreach (var t in db.ApiTokens) t.RevokedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await c.GetAsync("/api/auth/me")).StatusCode);
    }
}
