using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Rectify.Core.Audit;
using Rectify.Core.Data;

namespace Rectify.Core.Performance;

/// <summary>
/// The audit trail of a generated province: one "created" event per generated row, chained like every other event
/// (the row's picture as <see cref="RectifyDb"/> takes it, the generating user, the generation's instant), written in
/// bulk after each batch of rows. Months of use leave an audit table of that size behind — at province size about
/// 6 million events, nearly all of them weekly reports' — and a query over it that no index serves is slow only
/// there: with the trail left out, benchmarks measured such queries over three rows (the similar-problem index's
/// version walked the whole trail, 1.2–1.5 s per request on a real one). <c>rectify audit verify</c> passes on the result.
/// </summary>
sealed class GeneratedTrail
{
    readonly RectifyDb _db;
    readonly BulkWriter _writer;
    readonly DateTime _at;
    readonly Dictionary<Type, (IProperty Property, IClrPropertyGetter Get)[]> _properties = [];
    readonly AuditLink _link;
    long _id;

    GeneratedTrail(RectifyDb db, BulkWriter writer, DateTime at, long id, AuditLink link) =>
        (_db, _writer, _at, _id, _link) = (db, writer, at, id, link);

    /// <summary>Continues the chain from its head. The caller holds the audit-chain lock for the whole load.</summary>
    public static async Task<GeneratedTrail> StartAsync(RectifyDb db, BulkWriter writer, DateTime at, CancellationToken ct)
    {
        var link = await AuditLink.HeadAsync(db, ct);
        var id = await db.AuditEvents.MaxAsync(a => (long?)a.Id, ct) ?? 0;
        return new GeneratedTrail(db, writer, at, id, link);
    }

    /// <summary>The first id the load writes (the SQLite bulk load needs it, like every loaded table's).</summary>
    public long NextId => _id + 1;

    /// <summary>Appends a "created" event for each row, in order.</summary>
    public async Task WriteAsync<T>(IReadOnlyList<T> rows, CancellationToken ct) where T : Entity
    {
        if (!_properties.TryGetValue(typeof(T), out var properties))
            _properties[typeof(T)] = properties = [.. _db.Model.FindEntityType(typeof(T))!.GetProperties().Select(p => (p, p.GetGetter()))];
        var events = new List<AuditEvent>(rows.Count);
        foreach (var row in rows)
        {
            events.Add(_link.Append(new AuditEvent
            {
                Id = ++_id, At = _at, UserId = _db.Scope.UserId, UserName = _db.Scope.UserName,
                EntityType = typeof(T).Name, EntityId = row.Id, Action = "created",
                After = RectifyDb.Snapshot(properties.Select(p => (p.Property, p.Get.GetClrValueUsingContainingEntity(row)))),
                UnitId = RectifyDb.UnitOf(row),
            }));
        }
        await _writer.WriteAsync(events, ct);
    }
}
