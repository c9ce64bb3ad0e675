namespace Rectify.Core.Data;

/// <summary>Every stored row: a 64-bit id and a version for optimistic concurrency (a stale write gets 409).</summary>
public abstract class Entity
{
    public long Id { get; set; }
    /// <summary>Incremented on every save; a write must name the version it read.</summary>
    public int Version { get; set; }
}

/// <summary>A row that belongs to one unit (被巡察单位); every query is scoped to the caller's units by it.</summary>
public interface IUnitOwned
{
    long UnitId { get; }
}
