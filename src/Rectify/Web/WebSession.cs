using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;

namespace Rectify.Web;

/// <summary>
/// The signed-in user of a page, for the lifetime of its circuit. A circuit has no HttpContext after the first render,
/// so the scope comes from the authentication state, and each operation opens its own short-lived RectifyDb.
/// </summary>
public sealed class WebSession(AuthenticationStateProvider auth, DatabaseLocation location, TimeProvider clock, AccessCache access)
{
    CallerScope? _scope;
    ClaimsPrincipal? _user;

    public TimeProvider Clock => clock;
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8));

    public async Task<CallerScope> ScopeAsync()
    {
        if (_scope is not null) return _scope;
        _user = (await auth.GetAuthenticationStateAsync()).User;
        return _scope = Authentication.ScopeFor(_user, access);
    }

    /// <summary>A fresh context with the caller's scope; dispose it after the operation.</summary>
    public async Task<RectifyDb> OpenAsync() => Database.Open(location, await ScopeAsync(), clock);

    public async Task<bool> CanEditLedgerAsync() => (await ScopeAsync()).Allows(Guard.LedgerEditors);

    public async Task<long?> PersonIdAsync()
    {
        await using var db = await OpenAsync();
        var id = (await ScopeAsync()).UserId;
        return db.Users.Where(u => u.Id == id).Select(u => u.PersonId).FirstOrDefault();
    }
}
