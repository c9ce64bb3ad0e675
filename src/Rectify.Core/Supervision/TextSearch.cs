using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Supervision;

[JsonConverter(typeof(JsonStringEnumConverter<SearchKind>))]
public enum SearchKind
{
    [JsonStringEnumMemberName("problem")] Problem,
    [JsonStringEnumMemberName("measure")] Measure,
    [JsonStringEnumMemberName("report")] Report,
    [JsonStringEnumMemberName("rule")] Rule,
}

public static class SearchKinds
{
    public static string Code(SearchKind k) => k switch
    {
        SearchKind.Problem => "problem",
        SearchKind.Measure => "measure",
        SearchKind.Report => "report",
        _ => "rule",
    };

    public static SearchKind? Parse(string? s) => Enum.GetValues<SearchKind>().Where(k => Code(k) == s).Cast<SearchKind?>().FirstOrDefault();
}

/// <summary>A search: text, and filters by unit, round, status (of the measure, or the problem's derived status), kind.</summary>
public sealed record SearchQuery(string Text, long? UnitId = null, long? RoundId = null, MeasureStatus? Status = null, SearchKind? Kind = null, int Take = 50);

/// <summary>One hit: what it is, where it belongs, its text and status.</summary>
public sealed record SearchHit(SearchKind Kind, long Id, long UnitId, long? InspectionId, long? ProblemId, string Text, MeasureStatus? Status);

/// <summary>
/// Full-text search in Chinese over problems, measures, progress reports and rules. Two implementations: SQLite FTS5
/// (trigram tokenizer) and PostgreSQL pg_trgm; both fall back to LIKE for queries shorter than three characters. The
/// text match runs in raw SQL restricted to the caller's units explicitly; the rows are then loaded through the scoped
/// DbContext, which applies the query filters a second time.
/// </summary>
public interface ITextSearch
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery query, CancellationToken ct = default);
}

public static class TextSearch
{
    public static ITextSearch For(RectifyDb db) => db.ProviderName == "postgresql" ? new PostgresTextSearch() : new SqliteTextSearch();

    /// <summary>Most candidates read from the text index before the other filters.</summary>
    internal const int Candidates = 2000;

    /// <summary>The units the raw SQL may return: the caller's scope, narrowed by the unit filter. Null means every unit.</summary>
    internal static long[]? AllowedUnits(RectifyDb db, SearchQuery q)
    {
        if (db.Scope.All) return q.UnitId is { } u ? [u] : null;
        return q.UnitId is { } one ? db.Scope.UnitIds.Where(x => x == one).ToArray() : db.Scope.UnitIds;
    }

    internal static string LikePattern(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    internal static async Task<List<(SearchKind Kind, long Id)>> ReadAsync(RectifyDb db, string sql, Action<DbCommand> bind, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        var close = conn.State != System.Data.ConnectionState.Open;
        if (close) await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            bind(cmd);
            var list = new List<(SearchKind, long)>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) list.Add((SearchKinds.Parse(r.GetString(0))!.Value, Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
            return list;
        }
        finally
        {
            if (close) await db.Database.CloseConnectionAsync();
        }
    }

    internal static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>
    /// Loads the matched rows through the scoped context, applies round/status filters, keeps the match order. Without
    /// those filters almost every match is a hit, so only as many as asked for are loaded (then more if some fell out);
    /// with them, 500 at a time until enough.
    /// </summary>
    internal static async Task<IReadOnlyList<SearchHit>> LoadAsync(RectifyDb db, SearchQuery q, List<(SearchKind Kind, long Id)> matches, CancellationToken ct)
    {
        var chunk = q.RoundId is null && q.Status is null ? Math.Max(q.Take, 1) : 500;
        var hits = new List<SearchHit>();
        for (int start = 0; start < matches.Count && hits.Count < q.Take; start += chunk)
            hits.AddRange(await LoadChunkAsync(db, q, matches.GetRange(start, Math.Min(chunk, matches.Count - start)), ct));
        return [.. hits.Take(q.Take)];
    }

    static async Task<List<SearchHit>> LoadChunkAsync(RectifyDb db, SearchQuery q, List<(SearchKind Kind, long Id)> matches, CancellationToken ct)
    {
        var hits = new Dictionary<(SearchKind, long), SearchHit>();
        List<long> Ids(SearchKind k) => [.. matches.Where(m => m.Kind == k).Select(m => m.Id)];
        var rounds = q.RoundId is { } rid ? db.Inspections.Where(i => i.RoundId == rid).Select(i => i.Id) : null;

        var problemIds = Ids(SearchKind.Problem);
        if (problemIds.Count > 0)
        {
            var query = db.Problems.AsNoTracking().Where(p => problemIds.Contains(p.Id));
            if (rounds is not null) query = query.Where(p => rounds.Contains(p.InspectionId));
            var rows = await query.Select(p => new { p.Id, p.UnitId, p.InspectionId, p.Title, p.StatedStatus }).ToListAsync(ct);
            var ids = rows.Select(r => r.Id).ToList();
            var ms = await db.Measures.AsNoTracking().Where(m => ids.Contains(m.ProblemId)).GroupBy(m => new { m.ProblemId, m.Status })
                .Select(g => new GetRoundFigures.MeasureRow(g.Key.ProblemId, g.Key.Status)).ToListAsync(ct);
            var statuses = GetRoundFigures.DeriveStatuses(rows.Select(r => new GetRoundFigures.ProblemRow(r.Id, r.UnitId, r.InspectionId, r.StatedStatus)), ms);
            foreach (var r in rows)
                hits[(SearchKind.Problem, r.Id)] = new SearchHit(SearchKind.Problem, r.Id, r.UnitId, r.InspectionId, r.Id, r.Title, statuses[r.Id]);
        }

        var measureIds = Ids(SearchKind.Measure);
        if (measureIds.Count > 0)
        {
            var query = db.Measures.AsNoTracking().Where(m => measureIds.Contains(m.Id));
            if (rounds is not null) query = query.Where(m => rounds.Contains(m.InspectionId));
            foreach (var m in await query.Select(m => new { m.Id, m.UnitId, m.InspectionId, m.ProblemId, m.Text, m.Status }).ToListAsync(ct))
                hits[(SearchKind.Measure, m.Id)] = new SearchHit(SearchKind.Measure, m.Id, m.UnitId, m.InspectionId, m.ProblemId, m.Text, m.Status);
        }

        var reportIds = Ids(SearchKind.Report);
        if (reportIds.Count > 0)
        {
            var query = db.ProgressReports.AsNoTracking().Where(r => reportIds.Contains(r.Id))
                .Join(db.Measures, r => r.MeasureId, m => m.Id, (r, m) => new { r.Id, r.UnitId, m.InspectionId, m.ProblemId, r.Done, m.Status });
            if (rounds is not null) query = query.Where(r => rounds.Contains(r.InspectionId));
            foreach (var r in await query.ToListAsync(ct))
                hits[(SearchKind.Report, r.Id)] = new SearchHit(SearchKind.Report, r.Id, r.UnitId, r.InspectionId, r.ProblemId, r.Done, r.Status);
        }

        var ruleIds = Ids(SearchKind.Rule);
        if (ruleIds.Count > 0 && q.RoundId is null && q.Status is null)
            foreach (var r in await db.Rules.AsNoTracking().Where(r => ruleIds.Contains(r.Id)).Select(r => new { r.Id, r.UnitId, r.Title, r.Reference }).ToListAsync(ct))
                hits[(SearchKind.Rule, r.Id)] = new SearchHit(SearchKind.Rule, r.Id, r.UnitId, null, null, r.Reference is { Length: > 0 } re ? $"{r.Title}（{re}）" : r.Title, null);

        return [.. matches.Where(hits.ContainsKey).Select(m => hits[m])
            .Where(h => q.Status is null || h.Status == q.Status)
            .Where(h => db.Scope.CanSeeUnit(h.UnitId))];
    }

    internal static string KindFilter(SearchQuery q) => q.Kind is { } k ? $" AND kind = '{SearchKinds.Code(k)}'" : "";

    internal static string UnitsJson(long[] units) => JsonSerializer.Serialize(units);
}

/// <summary>
/// SQLite: the FTS5 table "SearchText" (trigram tokenizer, kept by triggers; migrations Search and Office2). Terms of
/// fewer than three characters cannot use the trigram index: they scan the table in rowid order (by row id),
/// stopping at the candidate limit.
/// </summary>
public sealed class SqliteTextSearch : ITextSearch
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery q, CancellationToken ct = default)
    {
        var units = TextSearch.AllowedUnits(db, q);
        if (units is { Length: 0 }) return [];
        var terms = q.Text.Split([' ', '　'], StringSplitOptions.RemoveEmptyEntries);
        var useMatch = terms.All(t => t.Length >= 3);
        var where = useMatch ? "\"SearchText\" MATCH $q" : string.Join(" AND ", terms.Select((_, i) => $"body LIKE $l{i} ESCAPE '\\'"));
        var sql = $"SELECT kind, ref_id FROM \"SearchText\" WHERE {where}"
                  + (units is null ? "" : " AND unit_id IN (SELECT value FROM json_each($units))")
                  + TextSearch.KindFilter(q) + (useMatch ? " ORDER BY rank" : "") + $" LIMIT {TextSearch.Candidates}";
        var matches = await TextSearch.ReadAsync(db, sql, cmd =>
        {
            if (useMatch) TextSearch.Add(cmd, "$q", string.Join(" AND ", terms.Select(t => "\"" + t.Replace("\"", "\"\"") + "\"")));
            else for (int i = 0; i < terms.Length; i++) TextSearch.Add(cmd, $"$l{i}", TextSearch.LikePattern(terms[i]));
            if (units is not null) TextSearch.Add(cmd, "$units", TextSearch.UnitsJson(units));
        }, ct);
        return await TextSearch.LoadAsync(db, q, matches, ct);
    }
}

/// <summary>PostgreSQL: ILIKE on the indexed expressions (pg_trgm GIN indexes; migration Search), ranked by similarity.</summary>
public sealed class PostgresTextSearch : ITextSearch
{
    static readonly (string Kind, string Table, string Body)[] Sources =
    [
        ("problem", "Problems", "(coalesce(\"Title\",'') || ' ' || coalesce(\"Description\",''))"),
        ("measure", "Measures", "(coalesce(\"Text\",'') || ' ' || coalesce(\"Progress\",''))"),
        ("report", "ProgressReports", "(coalesce(\"Done\",'') || ' ' || coalesce(\"NextStep\",''))"),
        ("rule", "Rules", "(coalesce(\"Title\",'') || ' ' || coalesce(\"Reference\",''))"),
    ];

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery q, CancellationToken ct = default)
    {
        var units = TextSearch.AllowedUnits(db, q);
        if (units is { Length: 0 }) return [];
        var terms = q.Text.Split([' ', '　'], StringSplitOptions.RemoveEmptyEntries);
        var parts = Sources.Where(s => q.Kind is null || SearchKinds.Code(q.Kind.Value) == s.Kind).Select(s =>
            $"SELECT '{s.Kind}' AS kind, \"Id\" AS ref_id, similarity({s.Body}, @q) AS score FROM \"{s.Table}\" WHERE "
            + string.Join(" AND ", terms.Select((_, i) => $"{s.Body} ILIKE @l{i}"))
            + (units is null ? "" : " AND \"UnitId\" = ANY(@units)"));
        var sql = "SELECT kind, ref_id FROM (" + string.Join(" UNION ALL ", parts) + $") x ORDER BY score DESC, kind, ref_id LIMIT {TextSearch.Candidates}";
        var matches = await TextSearch.ReadAsync(db, sql, cmd =>
        {
            TextSearch.Add(cmd, "q", q.Text);
            for (int i = 0; i < terms.Length; i++) TextSearch.Add(cmd, $"l{i}", TextSearch.LikePattern(terms[i]));
            if (units is not null) TextSearch.Add(cmd, "units", units);
        }, ct);
        return await TextSearch.LoadAsync(db, q, matches, ct);
    }
}
