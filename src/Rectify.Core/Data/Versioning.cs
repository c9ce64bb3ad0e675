namespace Rectify.Core.Data;

public static class Versioning
{
    /// <summary>
    /// Declares the version the client read. The save then only succeeds if nobody saved in between; otherwise
    /// it fails with <see cref="ConcurrencyConflictException"/> (HTTP 409). A null version skips the check (deletes).
    /// </summary>
    public static void ExpectVersion<T>(this RectifyDb db, T entity, int? version) where T : Entity
    {
        if (version is null) return;
        if (version != entity.Version) throw new ConcurrencyConflictException(typeof(T).Name, entity.Id, entity.Version);
        db.Entry(entity).Property(e => e.Version).OriginalValue = version.Value;
    }
}
