using Rectify.Core.Data;
using Rectify.Core.Supervision;
using Rectify.Hosting;

namespace Rectify.Supervision;

/// <summary>
/// A full-text search as the API and the search page run it: from the read cache while no write happened since (the key
/// holds the query and the caller's scope), otherwise computed in turn through the <see cref="SearchGate"/>. Null when
/// the gate's queue is full (the caller says 检索繁忙).
/// </summary>
public sealed class OfficeSearch(ReadCache cache, AuditHeads heads, SearchGate gate)
{
    public async Task<ReadCache.Cached?> RunAsync(RectifyDb db, SearchQuery query, CancellationToken ct = default)
    {
        var head = await heads.CurrentGlobalAsync(ct);
        // The text goes last: it is the only free-form part of the key.
        var key = $"search|{query.UnitId}|{query.RoundId}|{query.Status}|{query.Kind}|{query.Take}|{ReadCache.ScopeKey(db.Scope)}|{query.Text}";
        return await cache.GetAsync(key, head, async () =>
        {
            var (ran, hits) = await gate.RunAsync(() => TextSearch.For(db).SearchAsync(db, query, CancellationToken.None));
            return ran ? ((IReadOnlyList<SearchHit>, object)?)(hits!, hits!) : null;
        });
    }
}
