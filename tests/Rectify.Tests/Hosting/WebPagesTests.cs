using System.Net;
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
        var html = await response.Content.ReadAsStringAsync();
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

    [Theory]
    [InlineData("/inspections/1", "/inspections/1")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData(null, "/")]
    public void LocalUrl_OnlyPathsOfThisSite(string? url, string expected) => Assert.Equal(expected, Rectify.Web.AccountEndpoints.LocalUrl(url));
}
