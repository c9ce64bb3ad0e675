using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Core.Access;
using Rectify.Core.Data;

namespace Rectify.Access;

/// <summary>Browser sessions use cookies (with antiforgery on writes); API clients use bearer tokens.</summary>
public static class Authentication
{
    public const string Smart = "rectify";
    public const string Token = "token";
    public const string UnitClaim = "rectify:unit";
    public const string OfficeClaim = "rectify:office";
    public const string StampClaim = "rectify:stamp";
    public const string XsrfHeader = "X-XSRF-TOKEN";

    public static IServiceCollection AddRectifyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Smart)
            .AddPolicyScheme(Smart, Smart, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? Token : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "rectify.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/forbidden";
                o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = ValidateStampAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, TokenHandler>(Token, null);
        services.AddAuthorization();
        services.AddAntiforgery(o => o.HeaderName = XsrfHeader);
        services.AddSingleton<AccessCache>();
        services.AddScoped(ResolveScope);
        return services;
    }

    static Task ApiAware(RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api")) ctx.Response.StatusCode = status;
        else ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Logout of a browser session: a new security stamp ends it for good, so a copy of the cookie (a shared computer,
    /// a proxy log) is refused too; the user's other browser sessions end with it. Bearer tokens are revoked separately.
    /// </summary>
    public static async Task SignOutAsync(HttpContext http)
    {
        if (UserId(http.User) is { } id && http.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
        {
            var db = http.RequestServices.GetRequiredService<RectifyDb>();
            if (await db.Users.FirstOrDefaultAsync(u => u.Id == id) is { } user)
            {
                user.SecurityStamp = Guid.NewGuid().ToString("N");
                await db.SaveChangesAsync();
            }
        }
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>A session ends when the user's password changed (new security stamp) or the user was removed.</summary>
    static async Task ValidateStampAsync(CookieValidatePrincipalContext ctx)
    {
        var id = UserId(ctx.Principal);
        var stamp = id is { } uid ? await ctx.HttpContext.RequestServices.GetRequiredService<AccessCache>().StampAsync(uid, ctx.HttpContext.RequestAborted) : null;
        if (stamp is null || stamp != ctx.Principal?.FindFirstValue(StampClaim))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public static long? UserId(ClaimsPrincipal? p) =>
        long.TryParse(p?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static ClaimsPrincipal Principal(User u, string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, u.UserName),
            new(ClaimTypes.Role, User.RoleCode(u.Role)),
            new(StampClaim, u.SecurityStamp),
        };
        if (u.UnitId is { } unit) claims.Add(new(UnitClaim, unit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (u.OfficeId is { } office) claims.Add(new(OfficeClaim, office.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The caller's scope: every unit for an admin, the supervised units for an office user, the own unit otherwise.</summary>
    static CallerScope ResolveScope(IServiceProvider sp) =>
        ScopeFor(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User, sp.GetRequiredService<AccessCache>());

    /// <summary>The scope of a signed-in user (also used by the web pages, whose circuits have no HttpContext).</summary>
    public static CallerScope ScopeFor(ClaimsPrincipal? user, AccessCache cache)
    {
        var id = UserId(user);
        if (user is null || id is null) return new CallerScope(false, [], [], null, "anonymous", null);
        var role = User.ParseRole(user.FindFirstValue(ClaimTypes.Role)) ?? Role.Viewer;
        var name = user.Identity?.Name ?? "?";
        if (role == Role.Admin) return new CallerScope(true, [], [], id, name, role);
        var units = new List<long>();
        var offices = new List<long>();
        if (long.TryParse(user.FindFirstValue(UnitClaim), out var unit)) units.Add(unit);
        if (long.TryParse(user.FindFirstValue(OfficeClaim), out var office))
        {
            offices.Add(office);
            units.AddRange(cache.UnitsOfOffice(office));
        }
        return new CallerScope(false, [.. units.Distinct()], [.. offices], id, name, role);
    }

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewToken() => "rt_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Bearer tokens: only their SHA-256 is stored; a revoked token or a removed user fails.</summary>
public sealed class TokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccessCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var hash = Authentication.HashToken(header["Bearer ".Length..].Trim());
        var user = await cache.UserByTokenAsync(hash, Context.RequestAborted);
        return user is null
            ? AuthenticateResult.Fail("invalid token")
            : AuthenticateResult.Success(new AuthenticationTicket(Authentication.Principal(user.ToUser(), Scheme.Name), Scheme.Name));
    }
}
