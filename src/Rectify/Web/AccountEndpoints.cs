using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;

namespace Rectify.Web;

/// <summary>
/// Sign-in, sign-out and password change for the web pages: plain HTML form posts (with antiforgery), because a
/// Blazor circuit cannot set cookies. Each ends in a redirect; errors go back to the form as a code in the query.
/// </summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/account").ExcludeFromDescription();
        g.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting("login");
        g.MapPost("/logout", Logout);
        g.MapPost("/password", ChangePassword).RequireAuthorization();
        g.MapPost("/language", Language).AllowAnonymous();
    }

    /// <summary>Switches the page language (zh-CN or en) for a year, through the localization cookie, and goes back.</summary>
    static IResult Language([FromForm] string? language, [FromForm] string? returnUrl, HttpContext http)
    {
        var lang = Ui.Languages.Contains(language) ? language! : Ui.Chinese;
        http.Response.Cookies.Append(Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName, Ui.CookieValue(lang),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = http.Request.IsHttps });
        return Results.Redirect(LocalUrl(returnUrl));
    }

    /// <summary>Only a path of this site: never redirect a user elsewhere after login.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    static async Task<IResult> Login([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext http, RectifyDb db, TimeProvider clock, CancellationToken ct)
    {
        var back = LocalUrl(returnUrl);
        string Fail(string code) => $"/login?error={code}&returnUrl={Uri.EscapeDataString(back)}&userName={Uri.EscapeDataString(userName ?? "")}";
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password)) return Results.Redirect(Fail("empty"));
        if (userName.Length > 64 || password.Length > 256) return Results.Redirect(Fail("failed"));
        var (outcome, user) = await Users.CheckPasswordAsync(db, userName.Trim(), password, clock, ct);
        if (outcome != Users.LoginOutcome.Ok || user is null)
        {
            await db.RecordAsync("User", null, outcome == Users.LoginOutcome.Locked ? "login_locked" : "login_failed", new { userName }, null, ct);
            return Results.Redirect(Fail(outcome switch { Users.LoginOutcome.Locked => "locked", Users.LoginOutcome.Disabled => "disabled", _ => "failed" }));
        }
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Authentication.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        return Results.Redirect(back);
    }

    static async Task<IResult> Logout(HttpContext http, CancellationToken ct)
    {
        await Authentication.SignOutAsync(http);
        return Results.Redirect("/login?error=out");
    }

    static async Task<IResult> ChangePassword([FromForm] string? currentPassword, [FromForm] string? newPassword, [FromForm] string? confirmPassword,
        HttpContext http, RectifyDb db, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(currentPassword) || string.IsNullOrEmpty(newPassword)) return Results.Redirect("/account/password?error=empty");
        if (newPassword != confirmPassword) return Results.Redirect("/account/password?error=mismatch");
        var id = Authentication.UserId(http.User);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return Results.Redirect("/login");
        try
        {
            await Users.ChangePasswordAsync(db, user, currentPassword, newPassword, ct);
        }
        catch (DomainRuleException e)
        {
            return Results.Redirect("/account/password?message=" + Uri.EscapeDataString(e.Message));
        }
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Authentication.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        return Results.Redirect("/account/password?done=1");
    }
}
