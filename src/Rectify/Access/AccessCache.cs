using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Organisations;
using Rectify.Core.Supervision;

namespace Rectify.Access;

/// <summary>
/// Per-server cache of what authentication needs on every request: the user behind a bearer token (by the token's
/// SHA-256), a user's security stamp (cookie sessions), and the units an office supervises or reviews (an office user's scope).
/// Without it each request opened up to three extra database contexts. Entries are keyed by exactly what was looked
/// up (token hash, user id, office id), so one caller's entry is never another caller's answer; an entry is dropped
/// when <see cref="AccessVersion"/> moved since it was filled (any change to users, tokens or organisations in this
/// process) and after <see cref="Ttl"/> at the latest (changes by another process). Failed lookups are not cached:
/// a token created by the CLI works at once.
/// </summary>
public sealed class AccessCache(DatabaseLocation location)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(5);
    const int MaxEntries = 10_000;

    // Expiry runs on the machine's monotonic clock, not the injected TimeProvider: it bounds staleness in real time.
    sealed record Entry<T>(T Value, long Version, long ExpiresAtTicks);

    /// <summary>The fields of a user that make a principal and a scope.</summary>
    public sealed record CachedUser(long Id, string UserName, Role Role, long? UnitId, long? OfficeId, string SecurityStamp)
    {
        public User ToUser() => new() { Id = Id, UserName = UserName, Role = Role, UnitId = UnitId, OfficeId = OfficeId, SecurityStamp = SecurityStamp };
    }

    readonly ConcurrentDictionary<string, Entry<CachedUser>> _tokens = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<long, Entry<string>> _stamps = new();
    readonly ConcurrentDictionary<long, Entry<long[]>> _offices = new();

    /// <summary>The user of a valid (not revoked) token, or null.</summary>
    public async Task<CachedUser?> UserByTokenAsync(string tokenHash, CancellationToken ct)
    {
        if (Fresh(_tokens, tokenHash) is { } hit) return hit;
        var version = AccessVersion.Current;
        await using var db = Database.Open(location);
        var user = await (from t in db.ApiTokens
                          join u in db.Users on t.UserId equals u.Id
                          where t.TokenHash == tokenHash && t.RevokedAt == null
                          select new CachedUser(u.Id, u.UserName, u.Role, u.UnitId, u.OfficeId, u.SecurityStamp)).FirstOrDefaultAsync(ct);
        if (user is not null) Store(_tokens, tokenHash, user, version);
        return user;
    }

    /// <summary>The user's current security stamp, or null when the user no longer exists.</summary>
    public async Task<string?> StampAsync(long userId, CancellationToken ct)
    {
        if (Fresh(_stamps, userId) is { } hit) return hit;
        var version = AccessVersion.Current;
        await using var db = Database.Open(location);
        var stamp = await db.Users.Where(u => u.Id == userId).Select(u => u.SecurityStamp).FirstOrDefaultAsync(ct);
        if (stamp is not null) Store(_stamps, userId, stamp, version);
        return stamp;
    }

    /// <summary>The units an office supervises (its child organisations of kind unit) and the units of the rounds whose review chain names it.</summary>
    public long[] UnitsOfOffice(long officeId)
    {
        if (Fresh(_offices, officeId) is { } hit) return hit;
        var version = AccessVersion.Current;
        using var db = Database.Open(location);
        var units = db.Organisations.Where(o => o.Kind == OrganisationKind.Unit && o.ParentId == officeId).Select(o => o.Id).ToList();
        // 联审: an office in a round's review chain (e.g. 纪委监委, 组织部) also sees that round's units.
        var reviewed = db.Rounds.Where(r => r.ReviewChain != null).Select(r => new { r.Id, r.ReviewChain }).ToList()
            .Where(r => ReviewChain.Parse(r.ReviewChain).Contains(officeId)).Select(r => (long?)r.Id).ToList();
        if (reviewed.Count > 0) units.AddRange(db.Inspections.Where(i => reviewed.Contains(i.RoundId)).Select(i => i.UnitId).ToList());
        var result = units.Distinct().ToArray();
        Store(_offices, officeId, result, version);
        return result;
    }

    T? Fresh<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> map, TKey key) where TKey : notnull where T : class =>
        map.TryGetValue(key, out var e) && e.Version == AccessVersion.Current && e.ExpiresAtTicks > Environment.TickCount64 ? e.Value : null;

    void Store<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> map, TKey key, T value, long version) where TKey : notnull
    {
        if (map.Count >= MaxEntries) map.Clear();
        map[key] = new Entry<T>(value, version, Environment.TickCount64 + (long)Ttl.TotalMilliseconds);
    }
}
