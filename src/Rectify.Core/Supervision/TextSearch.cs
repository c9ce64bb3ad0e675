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
/// Full-text search in Chinese over problems, measures, progress reports and rules. The order is fixed and does not rank
/// every match: kind by kind (problems, then measures, then reports, then rules) and newest first within a kind (highest
/// id), so a query reads matches from the newest end of each table and stops once it has <c>take</c> hits. Two
/// implementations: SQLite FTS5 (trigram tokenizer) and PostgreSQL pg_trgm; terms shorter than three characters cannot
/// use a trigram index and scan the tables from the newest row, which stops early for common terms. The text match runs
/// in raw SQL restricted to the caller's units explicitly; the rows are then loaded through the scoped DbContext, which
/// applies the query filters a second time.
/// </summary>
public interface ITextSearch
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery query, CancellationToken ct = default);
}

public static class TextSearch
{
    public static ITextSearch For(RectifyDb db) => db.ProviderName == "postgresql" ? new PostgresTextSearch() : new SqliteTextSearch();

    /// <summary>The order of the result: kind by kind.</summary>
    internal static readonly SearchKind[] KindOrder = [SearchKind.Problem, SearchKind.Measure, SearchKind.Report, SearchKind.Rule];

    /// <summary>
    /// Each kind's table and the searched text (the expression the PostgreSQL trigram indexes and the SQLite search
    /// table's triggers are built on).
    /// </summary>
    internal static readonly Dictionary<SearchKind, (string Table, string Body)> Sources = new()
    {
        [SearchKind.Problem] = ("Problems", "(coalesce(\"Title\",'') || ' ' || coalesce(\"Description\",''))"),
        [SearchKind.Measure] = ("Measures", "(coalesce(\"Text\",'') || ' ' || coalesce(\"Progress\",''))"),
        [SearchKind.Report] = ("ProgressReports", "(coalesce(\"Done\",'') || ' ' || coalesce(\"NextStep\",''))"),
        [SearchKind.Rule] = ("Rules", "(coalesce(\"Title\",'') || ' ' || coalesce(\"Reference\",''))"),
    };

    /// <summary>The units the raw SQL may return: the caller's scope, narrowed by the unit filter. Null means every unit.</summary>
    internal static long[]? AllowedUnits(RectifyDb db, SearchQuery q)
    {
        if (db.Scope.All) return q.UnitId is { } u ? [u] : null;
        return q.UnitId is { } one ? db.Scope.UnitIds.Where(x => x == one).ToArray() : db.Scope.UnitIds;
    }

    internal static string[] Terms(string text) => text.Split([' ', '　'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Reads the matches of one kind newest first, a page at a time (ids below the last one read), loads each page
    /// through the scoped context with the round/status filters, and stops at <c>take</c> hits overall.
    /// <paramref name="match"/> returns up to <c>limit</c> ids of that kind below <c>before</c>, highest first.
    /// </summary>
    internal static async Task<IReadOnlyList<SearchHit>> RunAsync(RectifyDb db, SearchQuery q,
        Func<SearchKind, long, int, Task<List<long>>> match, CancellationToken ct)
    {
        var hits = new List<SearchHit>();
        var filtered = q.RoundId is not null || q.Status is not null;
        foreach (var kind in KindOrder)
        {
            if (q.Kind is { } k && k != kind) continue;
            // Rules have neither round nor status: a filter on either excludes them.
            if (kind == SearchKind.Rule && filtered) continue;
            var before = long.MaxValue;
            while (hits.Count < q.Take)
            {
                var need = q.Take - hits.Count;
                // Without filters nearly every match is a hit; with them, read more per page.
                var limit = filtered ? Math.Max(200, need * 4) : need;
                var ids = await match(kind, before, limit);
                if (ids.Count == 0) break;
                hits.AddRange(await LoadChunkAsync(db, q, [.. ids.Select(id => (kind, id))], ct));
                if (ids.Count < limit) break;
                before = ids[^1];
            }
            if (hits.Count >= q.Take) break;
        }
        return [.. hits.Take(q.Take)];
    }

    internal static async Task<List<long>> ReadIdsAsync(RectifyDb db, string sql, Action<DbCommand> bind, CancellationToken ct)
    {
        var conn = db.Database.GetDbConnection();
        var close = conn.State != System.Data.ConnectionState.Open;
        if (close) await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            bind(cmd);
            var list = new List<long>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) list.Add(Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            return list;
        }
        finally
        {
            if (close) await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Whether a term has letters with an upper and a lower case (Chinese has none: a plain substring test is enough and cheaper).</summary>
    internal static bool HasCase(string term) => term.Any(c => char.ToUpperInvariant(c) != char.ToLowerInvariant(c));

    internal static string LikePattern(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";

    internal static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>Loads matched rows of one page through the scoped context, applies round/status filters, keeps the match order.</summary>
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

    internal static string UnitsJson(long[] units) => JsonSerializer.Serialize(units);
}

/// <summary>
/// SQLite: the FTS5 table "SearchText" (trigram tokenizer, rowid = Id × 4 + kind code, kept by triggers; migrations
/// Search and Office2). When some term has three characters or more, the trigram index finds the rows (the shorter
/// terms are checked with LIKE on those rows), read in descending rowid order, which FTS5 delivers without sorting.
/// When every term is shorter, the kind's own table is scanned from its highest id with LIKE on the same text.
/// </summary>
public sealed class SqliteTextSearch : ITextSearch
{
    /// <summary>The kind's code in the search table's rowid (Id × 4 + code; migration Office2).</summary>
    static int Code(SearchKind kind) => kind switch
    {
        SearchKind.Problem => 0, SearchKind.Measure => 1, SearchKind.Report => 2, _ => 3,
    };

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery q, CancellationToken ct = default)
    {
        var units = TextSearch.AllowedUnits(db, q);
        if (units is { Length: 0 }) return [];
        var terms = TextSearch.Terms(q.Text);
        if (terms.Length == 0) return [];
        var longTerms = terms.Where(t => t.Length >= 3).ToArray();
        var shortTerms = terms.Where(t => t.Length < 3).ToArray();
        return await TextSearch.RunAsync(db, q, (kind, before, limit) =>
        {
            var (table, body) = TextSearch.Sources[kind];
            var code = Code(kind);
            string sql;
            if (longTerms.Length > 0)
                sql = "SELECT rowid / 4 FROM \"SearchText\" WHERE \"SearchText\" MATCH $q"
                      + string.Concat(shortTerms.Select((_, i) => $" AND body LIKE $l{i} ESCAPE '\\'"))
                      + $" AND rowid % 4 = {code} AND rowid < $before"
                      + (units is null ? "" : " AND unit_id IN (SELECT value FROM json_each($units))")
                      + $" ORDER BY rowid DESC LIMIT {limit}";
            else
                sql = $"SELECT \"Id\" FROM \"{table}\" WHERE "
                      + string.Join(" AND ", shortTerms.Select((t, i) => TextSearch.HasCase(t) ? $"{body} LIKE $l{i} ESCAPE '\\'" : $"instr({body}, $t{i}) > 0"))
                      + " AND \"Id\" < $before"
                      + (units is null ? "" : " AND \"UnitId\" IN (SELECT value FROM json_each($units))")
                      + $" ORDER BY \"Id\" DESC LIMIT {limit}";
            return TextSearch.ReadIdsAsync(db, sql, cmd =>
            {
                if (longTerms.Length > 0)
                {
                    TextSearch.Add(cmd, "$q", string.Join(" AND ", longTerms.Select(t => "\"" + t.Replace("\"", "\"\"") + "\"")));
                    // The rowid of the kind's row just below `before` (ids above 2^61 cannot exist).
                    TextSearch.Add(cmd, "$before", before > long.MaxValue / 4 ? long.MaxValue : before * 4);
                }
                else TextSearch.Add(cmd, "$before", before);
                for (int i = 0; i < shortTerms.Length; i++)
                {
                    TextSearch.Add(cmd, $"$l{i}", TextSearch.LikePattern(shortTerms[i]));
                    if (longTerms.Length == 0 && !TextSearch.HasCase(shortTerms[i])) TextSearch.Add(cmd, $"$t{i}", shortTerms[i]);
                }
                if (units is not null) TextSearch.Add(cmd, "$units", TextSearch.UnitsJson(units));
            }, ct);
        }, ct);
    }
}

/// <summary>
/// PostgreSQL: LIKE (ILIKE for terms with cased letters) on the indexed expressions (pg_trgm GIN indexes; migration
/// Search), per kind, highest id first with a LIMIT: the planner reads the GIN index for rare terms and walks the
/// primary key backwards for common ones (and for terms shorter than three characters), stopping at the limit.
/// </summary>
public sealed class PostgresTextSearch : ITextSearch
{
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery q, CancellationToken ct = default)
    {
        var units = TextSearch.AllowedUnits(db, q);
        if (units is { Length: 0 }) return [];
        var terms = TextSearch.Terms(q.Text);
        if (terms.Length == 0) return [];
        return await TextSearch.RunAsync(db, q, (kind, before, limit) =>
        {
            var (table, body) = TextSearch.Sources[kind];
            var sql = $"SELECT \"Id\" FROM \"{table}\" WHERE "
                      + string.Join(" AND ", terms.Select((t, i) => Condition(body, t, i)))
                      + " AND \"Id\" < @before"
                      + (units is null ? "" : " AND \"UnitId\" = ANY(@units)")
                      + $" ORDER BY \"Id\" DESC LIMIT {limit}";
            return TextSearch.ReadIdsAsync(db, sql, cmd =>
            {
                for (int i = 0; i < terms.Length; i++)
                    TextSearch.Add(cmd, $"l{i}", terms[i].Length < 3 && !TextSearch.HasCase(terms[i]) ? terms[i] : TextSearch.LikePattern(terms[i]));
                TextSearch.Add(cmd, "before", before);
                if (units is not null) TextSearch.Add(cmd, "units", units);
            }, ct);
        }, ct);
    }

    /// <summary>
    /// The test of one term. Three characters or more: LIKE/ILIKE on the indexed expression (the GIN index applies).
    /// Shorter: an expression the index does not match, because pg_trgm extracts no trigram from such a pattern and a
    /// GIN scan would read the whole index (≈ 1 s for one character over 560 000 reports); strpos for caseless terms.
    /// </summary>
    static string Condition(string body, string term, int i) => term.Length >= 3
        ? $"{body} {(TextSearch.HasCase(term) ? "ILIKE" : "LIKE")} @l{i}"
        : TextSearch.HasCase(term) ? $"({body} || '') ILIKE @l{i}" : $"strpos({body}, @l{i}) > 0";
}
