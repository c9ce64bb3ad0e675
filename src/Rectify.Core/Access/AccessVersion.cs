namespace Rectify.Core.Access;

/// <summary>
/// A process-wide counter bumped after every committed change to users, API tokens, organisations, rounds or inspections (through
/// <see cref="Data.RectifyDb.SaveChangesAsync(bool, CancellationToken)"/>). Caches of who a caller is and what a caller
/// may see remember the value they were filled at and are discarded when it moved: a revoked token, a changed password
/// or role, or a unit moved to another office is seen by the next request of this process. Changes made by another
/// process (CLI, another app server on the same PostgreSQL database) are seen when the cache entry expires.
/// </summary>
public static class AccessVersion
{
    static long _value;

    public static long Current => Interlocked.Read(ref _value);

    public static void Bump() => Interlocked.Increment(ref _value);

    /// <summary>True when the entity type is one whose changes alter authentication or a caller's scope.</summary>
    public static bool Affects(Type entityType) =>
        entityType == typeof(User) || entityType == typeof(ApiToken) || entityType == typeof(Organisations.Organisation)
        // An office's scope also follows the review chains of rounds and the inspections of those rounds.
        || entityType == typeof(Ledger.InspectionRound) || entityType == typeof(Ledger.Inspection);
}
