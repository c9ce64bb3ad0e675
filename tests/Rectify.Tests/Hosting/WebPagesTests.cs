using System.Net;
using Microsoft.AspNetCore.TestHost;
using Rectify.Tests.Support;

namespace Rectify.Tests.Hosting;

/// <summary>The web pages' HTTP surface: login form, redirects, antiforgery, the security policy.</summary>
public class WebPagesTests
{
    [Fact]
    public async Task LoginPage_PlainFormWithAntiforgery_OneStrictSecurityPolicy()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var response = await app.Anonymous().GetAsync("/login");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("action=\"/account/login\"", html);
        Assert.Contains("__RequestVerificationToken", html);
        Assert.Contains("<label for=\"userName\">用户名</label>", html);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
    }

    [Fact]
    public async Task Pages_Anonymous_RedirectToLogin_FormPostWithoutToken_Refused()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        var client = app.Anonymous();
        var page = await client.GetAsync("/inspections/1");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery);

        var post = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = "unit_admin-a", ["password"] = TestApp.Password, ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.False(post.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("rectify.session")));
    }

    /// <summary>Signs in through the login form (antiforgery token and cookie of the form page) and keeps the session cookie.</summary>
    internal static async Task<HttpClient> SignedInAsync(TestApp app, string userName)
    {
        var client = new HttpClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler { InnerHandler = app.App.GetTestServer().CreateHandler() })
        { BaseAddress = new Uri("http://localhost") };
        var form = await client.GetStringAsync("/login");
        var input = System.Text.RegularExpressions.Regex.Match(form, "<input[^>]*__RequestVerificationToken[^>]*>").Value;
        var value = System.Text.RegularExpressions.Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(value);
        var post = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName, ["password"] = TestApp.Password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = value,
        }));
        Assert.True(post.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"login of {userName}: {(int)post.StatusCode}");
        return client;
    }

    [Fact]
    public async Task Pages_OtherUnitsObjects_NotFoundForEveryRole_AnonymousSentToLogin()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var w = await app.SeedWorldAsync();
        string[] Pages(UnitWorld u) => [$"/inspections/{u.InspectionId}", $"/problems/{u.ProblemId}", $"/measures/{u.MeasureId}"];
        string[] general = ["/", "/inspections", "/approvals", "/dashboard", "/account/password", "/admin", "/import"];
        int checkedPages = 0;
        foreach (var user in new[] { "unit_admin-a", "leader-a", "owner-a", "viewer-a" })
        {
            var client = await SignedInAsync(app, user);
            foreach (var url in Pages(w.B))
            {
                var html = WebUtility.HtmlDecode(await client.GetStringAsync(url));
                Assert.True(html.Contains("不存在或无权访问"), $"{user} {url}: no not-found notice");
                Assert.DoesNotContain("区卫生健康委员会", html);
                Assert.DoesNotContain("张三b", html);
                checkedPages++;
            }
            foreach (var url in Pages(w.A))
            {
                var html = WebUtility.HtmlDecode(await client.GetStringAsync(url));
                Assert.False(html.Contains("不存在或无权访问"), $"{user} {url}: own unit's page shows the not-found notice");
                checkedPages++;
            }
            foreach (var url in general)
            {
                var response = await client.GetAsync(url);
                var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
                Assert.True((int)response.StatusCode < 500, $"{user} {url}: {(int)response.StatusCode}");
                Assert.DoesNotContain("区卫生健康委员会", html);
                checkedPages++;
            }
        }
        var anonymous = app.Anonymous();
        foreach (var url in Pages(w.A).Concat(Pages(w.B)).Concat(general))
        {
            var page = await anonymous.GetAsync(url);
            Assert.True(page.StatusCode == HttpStatusCode.Redirect, $"anonymous {url}: {(int)page.StatusCode}");
            Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery);
            checkedPages++;
        }
        Assert.True(checkedPages > 60);
    }

    [Theory]
    [InlineData("/inspections/1", "/inspections/1")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData(null, "/")]
    public void LocalUrl_OnlyPathsOfThisSite(string? url, string expected) => Assert.Equal(expected, Rectify.Web.AccountEndpoints.LocalUrl(url));
}
