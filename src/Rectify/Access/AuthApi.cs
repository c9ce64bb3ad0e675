using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;

namespace Rectify.Access;

public sealed record LoginRequest(
    [Required(ErrorMessage = "请输入用户名。"), StringLength(64, ErrorMessage = "用户名过长。")] string UserName,
    [Required(ErrorMessage = "请输入密码。"), StringLength(256, ErrorMessage = "密码过长。")] string Password);

public sealed record ChangePasswordRequest(
    [Required(ErrorMessage = "请输入当前密码。")] string CurrentPassword,
    [Required(ErrorMessage = "请输入新密码。"), StringLength(256, ErrorMessage = "密码过长。")] string NewPassword);

public sealed record Me(long Id, string UserName, string? DisplayName, Role Role, long? UnitId, long? OfficeId, IReadOnlyList<long> VisibleUnitIds, string? Xsrf);

/// <summary>Login and logout for browser sessions (cookie + antiforgery), the current user, password change.</summary>
public static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/auth").WithTags("登录");
        api.MapPost("/login", Login).AllowAnonymous().RequireRateLimiting("login").WithSummary("登录（设置会话 Cookie，返回防伪令牌）");
        api.MapPost("/logout", Logout).RequireAuthorization().WithSummary("退出登录");
        api.MapGet("/me", GetMe).RequireAuthorization().WithSummary("当前用户、角色与可见单位，以及防伪令牌");
        api.MapPost("/password", ChangePassword).RequireAuthorization().WithSummary("修改密码（其他会话随之失效）");
    }

    static async Task<IResult> Login(LoginRequest req, HttpContext http, RectifyDb db, TimeProvider clock, IAntiforgery xsrf, CancellationToken ct)
    {
        var (outcome, user) = await Users.CheckPasswordAsync(db, req.UserName.Trim(), req.Password, clock, ct);
        if (outcome != Users.LoginOutcome.Ok || user is null)
        {
            await db.RecordAsync("User", null, outcome == Users.LoginOutcome.Locked ? "login_locked" : "login_failed", new { userName = req.UserName }, null, ct);
            return TypedResults.Problem(statusCode: 401, title: "登录失败",
                detail: outcome switch
                {
                    Users.LoginOutcome.Locked => "密码错误次数过多，账户已临时锁定，请 15 分钟后再试。",
                    Users.LoginOutcome.Disabled => "账户已停用，请联系系统管理员。",
                    _ => "用户名或密码不正确。",
                });
        }
        // Every login issues a fresh ticket (no session fixation): whatever cookie came with the request is replaced.
        var principal = Authentication.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        http.User = principal;
        var tokens = xsrf.GetAndStoreTokens(http);
        return TypedResults.Ok(new Me(user.Id, user.UserName, user.DisplayName, user.Role, user.UnitId, user.OfficeId, [], tokens.RequestToken));
    }

    static async Task<IResult> Logout(HttpContext http, CancellationToken ct)
    {
        await Authentication.SignOutAsync(http);
        return TypedResults.NoContent();
    }

    static async Task<IResult> GetMe(HttpContext http, RectifyDb db, IAntiforgery xsrf, CancellationToken ct)
    {
        var id = Authentication.UserId(http.User);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return TypedResults.Unauthorized();
        var units = db.Scope.All ? await db.Organisations.Where(o => o.Kind == Core.Organisations.OrganisationKind.Unit).Select(o => o.Id).ToListAsync(ct) : [.. db.Scope.UnitIds];
        var token = http.User.Identity?.AuthenticationType == Authentication.Token ? null : xsrf.GetAndStoreTokens(http).RequestToken;
        return TypedResults.Ok(new Me(user.Id, user.UserName, user.DisplayName, user.Role, user.UnitId, user.OfficeId, units, token));
    }

    static async Task<IResult> ChangePassword(ChangePasswordRequest req, HttpContext http, RectifyDb db, CancellationToken ct)
    {
        var id = Authentication.UserId(http.User);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return TypedResults.Unauthorized();
        await Users.ChangePasswordAsync(db, user, req.CurrentPassword, req.NewPassword, ct);
        if (http.User.Identity?.AuthenticationType != Authentication.Token)
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Authentication.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        return TypedResults.NoContent();
    }
}
