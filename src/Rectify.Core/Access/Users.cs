using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Organisations;

namespace Rectify.Core.Access;

/// <summary>Users: creation with a password policy, password checks with lockout, tokens. Passwords use Identity's hasher.</summary>
public static class Users
{
    static readonly PasswordHasher<User> Hasher = new();
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(15);

    /// <summary>At least 8 characters with letters and digits. Returns a Chinese message when the password is too weak.</summary>
    public static string? CheckPolicy(string password) =>
        password.Length < 8 ? "密码至少需要 8 个字符。"
        : !password.Any(char.IsLetter) || !password.Any(char.IsDigit) ? "密码必须同时包含字母和数字。"
        : null;

    public static async Task<User> AddAsync(RectifyDb db, string userName, Role role, string password, long? unitId, long? officeId,
        string? displayName = null, CancellationToken ct = default)
    {
        userName = userName.Trim();
        if (userName.Length is 0 or > 64) throw new DomainRuleException("用户名不能为空，且不超过 64 个字符。", "userName");
        if (NameRules.Check(userName, "用户名") is { } hidden) throw new DomainRuleException(hidden, "userName");
        if (NameRules.Check(displayName, "姓名") is { } hiddenName) throw new DomainRuleException(hiddenName, "displayName");
        if (CheckPolicy(password) is { } weak) throw new DomainRuleException(weak, "password");
        if (await db.Users.AnyAsync(u => u.UserName == userName, ct)) throw new DomainRuleException($"用户名“{userName}”已存在。", "userName");
        var needsUnit = role is Role.UnitAdmin or Role.Leader or Role.Owner;
        if (needsUnit && unitId is null) throw new DomainRuleException("该角色必须指定所属单位（--unit）。", "unit");
        if (role == Role.Office && officeId is null) throw new DomainRuleException("巡察办用户必须指定所属巡察办（--unit 指向巡察办）。", "unit");
        if (role == Role.Viewer && unitId is null && officeId is null) throw new DomainRuleException("只读用户必须指定所属单位或巡察办。", "unit");
        var user = new User { UserName = userName, DisplayName = displayName, Role = role, UnitId = unitId, OfficeId = officeId };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>Resolves an organisation named on the CLI (id or exact name) into (unitId, officeId).</summary>
    public static async Task<(long? Unit, long? Office)> ResolveOrganisationAsync(RectifyDb db, string? idOrName, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(idOrName)) return (null, null);
        var org = long.TryParse(idOrName, out var id)
            ? await db.Organisations.FirstOrDefaultAsync(o => o.Id == id, ct)
            : await db.Organisations.FirstOrDefaultAsync(o => o.Name == idOrName, ct);
        if (org is null) throw new DomainRuleException($"找不到单位“{idOrName}”。", "unit");
        return org.Kind == OrganisationKind.Office ? (null, org.Id) : (org.OwningUnitId, null);
    }

    public enum LoginOutcome { Ok, Invalid, Locked, Disabled }

    /// <summary>A disabled account is locked until this instant (no schema change: the lockout column carries it).</summary>
    public static readonly DateTime DisabledUntil = new(9999, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static bool IsDisabled(User user) => user.LockedUntil is { } until && until >= DisabledUntil;

    /// <summary>
    /// Disables or re-enables an account. Disabling ends its sessions (new security stamp) and revokes its API tokens;
    /// an admin cannot disable themself.
    /// </summary>
    public static async Task SetDisabledAsync(RectifyDb db, User user, bool disabled, TimeProvider clock, CancellationToken ct = default)
    {
        if (disabled && user.Id == db.Scope.UserId) throw new DomainRuleException("不能停用自己的账户。", "userId");
        if (disabled)
        {
            user.LockedUntil = DisabledUntil;
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var t in await db.ApiTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ToListAsync(ct)) t.RevokedAt = now;
        }
        else
        {
            user.LockedUntil = null;
            user.FailedLogins = 0;
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Changes a user's role under the same rules as creating one; the user's sessions end so the new role applies.</summary>
    public static async Task ChangeRoleAsync(RectifyDb db, User user, Role role, CancellationToken ct = default)
    {
        if (user.Id == db.Scope.UserId && role != user.Role) throw new DomainRuleException("不能更改自己的角色。", "role");
        if (role is Role.UnitAdmin or Role.Leader or Role.Owner && user.UnitId is null) throw new DomainRuleException("该角色必须属于某个单位：此用户没有所属单位。", "role");
        if (role == Role.Office && user.OfficeId is null) throw new DomainRuleException("巡察办角色必须属于某个巡察办：此用户没有所属巡察办。", "role");
        if (role == user.Role) return;
        user.Role = role;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Checks a password; five failures lock the account for 15 minutes. Failures are audited.</summary>
    public static async Task<(LoginOutcome Outcome, User? User)> CheckPasswordAsync(RectifyDb db, string userName, string password, TimeProvider clock, CancellationToken ct = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == userName, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (user is null)
        {
            Hasher.VerifyHashedPassword(new User { UserName = userName }, FakeHash, password); // same time as a real check
            return (LoginOutcome.Invalid, null);
        }
        if (IsDisabled(user))
            // Disabled is said only to someone who knows the password.
            return (Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? LoginOutcome.Invalid : LoginOutcome.Disabled, null);
        if (user.LockedUntil is { } until && until > now) return (LoginOutcome.Locked, null);
        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            user.FailedLogins++;
            if (user.FailedLogins >= MaxFailedLogins) { user.LockedUntil = now + Lockout; user.FailedLogins = 0; }
            await db.SaveChangesAsync(ct);
            return (user.LockedUntil > now ? LoginOutcome.Locked : LoginOutcome.Invalid, null);
        }
        if (user.FailedLogins != 0 || user.LockedUntil is not null || result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.FailedLogins = 0;
            user.LockedUntil = null;
            if (result == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = Hasher.HashPassword(user, password);
            await db.SaveChangesAsync(ct);
        }
        return (LoginOutcome.Ok, user);
    }

    public static async Task ChangePasswordAsync(RectifyDb db, User user, string current, string next, CancellationToken ct = default)
    {
        if (Hasher.VerifyHashedPassword(user, user.PasswordHash, current) == PasswordVerificationResult.Failed)
            throw new DomainRuleException("当前密码不正确。", "currentPassword");
        if (CheckPolicy(next) is { } weak) throw new DomainRuleException(weak, "newPassword");
        user.PasswordHash = Hasher.HashPassword(user, next);
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(ct);
    }

    static readonly string FakeHash = Hasher.HashPassword(new User { UserName = "x" }, "not-a-password-1");
}
