using System.Data.Common;
using System.Text;
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
/// id), so a query reads matches from the newest end of each table and stops once it has <c>take</c> hits. Within a kind
/// the newest <see cref="TextSearch.WindowRows"/> rows are tested directly, which fills the page of a common term at once;
/// older rows are found through the index, which is cheap for exactly the terms that did not fill it there. Two
/// implementations: SQLite FTS5 (trigram tokenizer, with its vocabulary for terms shorter than three characters) and
/// PostgreSQL (pg_trgm, and a GIN index of characters for short terms). The text match runs in raw SQL restricted to the
/// caller's units explicitly; the rows are then loaded through the scoped DbContext, which applies the query filters a
/// second time.
/// </summary>
public interface ITextSearch
{
    Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery query, CancellationToken ct = default);
}

public static class TextSearch
{
    /// <summary>The search of the context's provider; <paramref name="windowRows"/>: see <see cref="WindowRows"/> (tests set it small).</summary>
    public static ITextSearch For(RectifyDb db, int windowRows = WindowRows) => db.ProviderName == "postgresql"
        ? new PostgresTextSearch { WindowRows = windowRows } : new SqliteTextSearch { WindowRows = windowRows };

    /// <summary>The order of the result: kind by kind.</summary>
    internal static readonly SearchKind[] KindOrder = [SearchKind.Problem, SearchKind.Measure, SearchKind.Report, SearchKind.Rule];

    /// <summary>
    /// Each kind's table and its searched columns. The searched text is the columns joined by a space (<see cref="Sources"/>).
    /// A term has no space, so it occurs in that text exactly when it occurs in one of the columns: the window's
    /// row-by-row test tries each column in turn (<see cref="AnyColumn"/>) instead of building the joined text per row.
    /// </summary>
    internal static readonly Dictionary<SearchKind, (string Table, string[] Columns)> Searched = new()
    {
        [SearchKind.Problem] = ("Problems", ["\"Title\"", "\"Description\""]),
        [SearchKind.Measure] = ("Measures", ["\"Text\"", "\"Progress\""]),
        [SearchKind.Report] = ("ProgressReports", ["\"Done\"", "\"NextStep\""]),
        [SearchKind.Rule] = ("Rules", ["\"Title\"", "\"Reference\""]),
    };

    /// <summary>
    /// Each kind's table and the searched text, e.g. <c>(coalesce("Title",'') || ' ' || coalesce("Description",''))</c>:
    /// the expression the PostgreSQL indexes are built on and the SQLite search table's triggers copy. Existing
    /// databases hold indexes on exactly this text, so it must not change (a test pins it).
    /// </summary>
    internal static readonly Dictionary<SearchKind, (string Table, string Body)> Sources = Searched.ToDictionary(
        e => e.Key, e => (e.Value.Table, "(" + string.Join(" || ' ' || ", e.Value.Columns.Select(c => $"coalesce({c},'')")) + ")"));

    /// <summary>A test of one term on each of the kind's columns (<paramref name="test"/> of a column), true if any holds.</summary>
    internal static string AnyColumn(SearchKind kind, Func<string, string> test) => "(" + string.Join(" OR ", Searched[kind].Columns.Select(test)) + ")";

    /// <summary>The units the raw SQL may return: the caller's scope, narrowed by the unit filter. Null means every unit.</summary>
    internal static long[]? AllowedUnits(RectifyDb db, SearchQuery q)
    {
        if (db.Scope.All) return q.UnitId is { } u ? [u] : null;
        return q.UnitId is { } one ? db.Scope.UnitIds.Where(x => x == one).ToArray() : db.Scope.UnitIds;
    }

    internal static string[] Terms(string text) => text.Split([' ', '　'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A term's length in characters (code points, as the trigram indexes count them; not UTF-16 units).</summary>
    internal static int Characters(string term) => term.EnumerateRunes().Count();

    /// <summary>
    /// How many of a kind's newest rows are tested directly, without an index, before the index is used for the older
    /// ones. A common term fills its page in this window (an index would hand over all its matches to be sorted); a rare
    /// one costs at most this many row tests, and the index then reads only its few matches.
    /// </summary>
    public const int WindowRows = 5_000;

    /// <summary>
    /// A provider's match: up to <c>limit</c> ids of the kind below <c>before</c> and not below <c>lowest</c>, highest first,
    /// that also satisfy <c>filter</c> (an SQL condition on the kind's own table, see <see cref="FilterSql"/>; null: none).
    /// Not <c>indexed</c>: each row of that range is tested (the window of newest rows); <c>indexed</c>: the index finds them.
    /// </summary>
    internal delegate Task<List<long>> Matcher(SearchKind kind, bool indexed, long before, long lowest, int limit, string? filter);

    /// <summary>
    /// The round and status filters as an SQL condition on the kind's own table, so that a filtered search reads only
    /// the matches it keeps instead of page after page of matches it loads and throws away (a search for 已整改 items).
    /// A problem's status is that of its measures' bit set (<see cref="ProblemMasks"/>), or its stated
    /// status while it has no measure. A report's round and status are its measure's: the condition is on the measure
    /// (before, reports were loaded page by page and filtered afterwards: 凭证 with 未启动, found in a million reports
    /// none of whose measures is not started, took 18 s on SQLite). Values are enum numbers and ids, written into the
    /// SQL as numbers. Null for rules (neither round nor status) or when no filter is set; the loaded rows are filtered
    /// again either way (<see cref="LoadChunkAsync"/>).
    /// </summary>
    internal static string? FilterSql(SearchKind kind, SearchQuery q)
    {
        if (kind == SearchKind.Report)
            // A lookup of each candidate's measure by its key: `IN (SELECT … FROM "Measures" WHERE …)` built the list of
            // every measure with the status first (100 ms on SQLite at province size, for every page).
            return FilterSql(SearchKind.Measure, q) is { } measure
                ? $"EXISTS (SELECT 1 FROM \"Measures\" AS m WHERE m.\"Id\" = \"ProgressReports\".\"MeasureId\" AND {measure})" : null;
        if (kind is not (SearchKind.Problem or SearchKind.Measure)) return null;
        var parts = new List<string>();
        if (q.RoundId is { } round)
            parts.Add($"\"InspectionId\" IN (SELECT \"Id\" FROM \"Inspections\" WHERE \"RoundId\" = {round})");
        if (q.Status is { } status)
        {
            var s = (int)status;
            if (kind == SearchKind.Measure) parts.Add($"\"Status\" = {s}");
            else
            {
                // Without measures: the stated status, or the status rules' default when none is stated.
                var masks = ProblemMasksOf(status);
                var stated = $"(\"{ProblemMasks.Column}\" = 0 AND COALESCE(\"StatedStatus\", {(int)StatusRules.ProblemStatus(null, [])}) = {s})";
                parts.Add(masks.Length == 0 ? stated : $"(\"{ProblemMasks.Column}\" IN ({string.Join(",", masks)}) OR {stated})");
            }
        }
        return parts.Count == 0 ? null : string.Join(" AND ", parts);
    }

    /// <summary>The bit sets of measure statuses (not empty) that make a problem's status <paramref name="status"/>.</summary>
    internal static int[] ProblemMasksOf(MeasureStatus status) =>
        [.. Enumerable.Range(1, (1 << Enum.GetValues<MeasureStatus>().Length) - 1)
            .Where(m => StatusRules.ProblemStatus(null, [.. GetRoundFigures.StatusesOf(m)]) == status)];

    /// <summary>
    /// Reads the matches of one kind newest first, a page at a time (ids below the last one read): first in the window
    /// of the newest rows, then through the index below it. Each page is loaded through the scoped context with the
    /// round/status filters; the search stops at <c>take</c> hits overall.
    /// </summary>
    internal static async Task<IReadOnlyList<SearchHit>> RunAsync(RectifyDb db, SearchQuery q, int windowRows, Matcher match, CancellationToken ct, bool slices = false)
    {
        // One connection for the whole search: a search runs up to ~20 statements, and each open and close of a pooled
        // connection costs a reset (PostgreSQL) or the connection's pragmas (SQLite) — as much as a small statement.
        var close = db.Database.GetDbConnection().State != System.Data.ConnectionState.Open;
        if (close) await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await RunOpenAsync(db, q, windowRows, match, ct, slices);
        }
        finally
        {
            if (close) await db.Database.CloseConnectionAsync();
        }
    }

    static async Task<IReadOnlyList<SearchHit>> RunOpenAsync(RectifyDb db, SearchQuery q, int windowRows, Matcher match, CancellationToken ct, bool slices)
    {
        var hits = new List<SearchHit>();
        var filtered = q.RoundId is not null || q.Status is not null;
        foreach (var kind in KindOrder)
        {
            if (q.Kind is { } k && k != kind) continue;
            // Rules have neither round nor status: a filter on either excludes them.
            if (kind == SearchKind.Rule && filtered) continue;
            var filter = FilterSql(kind, q);
            var window = await WindowStartAsync(db, kind, windowRows, ct);
            foreach (var (indexed, top, lowest) in Passes(window, windowRows, slices))
            {
                var before = top;
                while (hits.Count < q.Take)
                {
                    // Every kind's filters are in its SQL (FilterSql), so nearly every match is a hit.
                    var limit = q.Take - hits.Count;
                    var ids = await match(kind, indexed, before, lowest, limit, filter);
                    if (ids.Count == 0) break;
                    hits.AddRange(await LoadChunkAsync(db, q, [.. ids.Select(id => (kind, id))], ct));
                    if (ids.Count < limit) break;
                    before = ids[^1];
                }
                if (hits.Count >= q.Take) break;
            }
            if (hits.Count >= q.Take) break;
        }
        return [.. hits.Take(q.Take)];
    }

    /// <summary>
    /// The id ranges read in turn: the window of newest rows (tested directly), then below it through the index — in
    /// one range, or with <paramref name="slices"/> in ranges four times larger each (4, 16, 64… windows of ids). A
    /// PostgreSQL index scan reads every match of its range before the newest can be picked, so a term common in old
    /// rows but absent from the window (the newest rows of a busy week can all say much the same) would cost every
    /// match of the table; in slices it stops in the first range that fills the page, and a rare term pays a few small
    /// scans. SQLite's full-text index returns its matches newest first and needs no slices.
    /// </summary>
    internal static IEnumerable<(bool Indexed, long Before, long Lowest)> Passes(long? window, int windowRows, bool slices)
    {
        if (window is not { } start)
        {
            yield return (false, long.MaxValue, 0);
            yield break;
        }
        yield return (false, long.MaxValue, start);
        if (!slices)
        {
            yield return (true, start, 0);
            yield break;
        }
        long size = Math.Max(windowRows, 1) * 4L;
        for (long top = start; top > 0; size = Math.Min(size, long.MaxValue / 4) * 4)
        {
            var lowest = Math.Max(0, top - size);
            yield return (true, top, lowest);
            top = lowest;
        }
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Db, SearchKind Kind, int Rows), (long? Start, long At)> Windows = new();

    /// <summary>
    /// The lowest id of the kind's newest <paramref name="rows"/> rows (none when the whole table fits), kept for a
    /// minute per database: walking thousands of index entries cost as much as a search. Any value is correct — the
    /// window and the index part together cover every row — so a stale one only shifts the window a little.
    /// </summary>
    static async Task<long?> WindowStartAsync(RectifyDb db, SearchKind kind, int rows, CancellationToken ct)
    {
        var key = (db.DatabaseKey, kind, rows);
        var now = Environment.TickCount64;
        if (Windows.TryGetValue(key, out var known) && now - known.At < 60_000) return known.Start;
        var start = (await ReadIdsAsync(db, $"SELECT \"Id\" FROM \"{Sources[kind].Table}\" ORDER BY \"Id\" DESC LIMIT 1 OFFSET {Math.Max(rows, 1) - 1}", _ => { }, ct))
            .Cast<long?>().FirstOrDefault();
        Windows[key] = (start, now);
        return start;
    }

    internal static Task<List<long>> ReadIdsAsync(RectifyDb db, string sql, Action<DbCommand> bind, CancellationToken ct) =>
        ReadAsync(db, sql, bind, r => Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture), ct);

    /// <summary>Runs raw SQL on the context's connection, which <see cref="RunAsync"/> holds open, and reads one value per row.</summary>
    internal static async Task<List<T>> ReadAsync<T>(RectifyDb db, string sql, Action<DbCommand> bind, Func<DbDataReader, T> read, CancellationToken ct)
    {
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        bind(cmd);
        var list = new List<T>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(read(r));
        return list;
    }

    /// <summary>Whether a term has letters with an upper and a lower case (Chinese has none: a plain substring test is enough and cheaper).</summary>
    internal static bool HasCase(string term) => term.EnumerateRunes().Any(r => Rune.ToUpperInvariant(r) != Rune.ToLowerInvariant(r));

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
/// Search, Office2 and SearchShort). The window of newest rows is tested with instr (LIKE for terms with cased letters)
/// on the kind's own table. Below it, a term of three characters or more is a phrase of the trigram index; a shorter term
/// is replaced by the trigrams that begin with it, read from the index's vocabulary "SearchVocab" (every text ends with
/// two spaces, so every occurrence begins one): no trigram means no match, a handful an OR of them. Only a term so common
/// that it begins more than <see cref="MaxTrigrams"/> trigrams is tested with LIKE on the index's rows instead, and when
/// every term is such, the table below the window is scanned like the window. FTS5 delivers rowids in descending order
/// without sorting.
/// </summary>
public sealed class SqliteTextSearch : ITextSearch
{
    /// <summary>The newest rows of a kind tested without the index (<see cref="TextSearch.WindowRows"/>; tests set it small).</summary>
    public int WindowRows { get; init; } = TextSearch.WindowRows;

    /// <summary>The most trigrams a short term is replaced by; a term beginning more is common and tested row by row.</summary>
    internal const int MaxTrigrams = 200;

    /// <summary>The kind's code in the search table's rowid (Id × 4 + code; migration Office2).</summary>
    static int Code(SearchKind kind) => kind switch
    {
        SearchKind.Problem => 0, SearchKind.Measure => 1, SearchKind.Report => 2, _ => 3,
    };

    static string Phrase(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";

    /// <summary>The index part of a search: the FTS5 expression (null: no term can use the index), the terms tested with
    /// LIKE on the index's rows (too common to expand, or with cased letters), and whether some term occurs nowhere.</summary>
    sealed record IndexQuery(string? Match, string[] Common, bool Nowhere);

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery q, CancellationToken ct = default)
    {
        var units = TextSearch.AllowedUnits(db, q);
        if (units is { Length: 0 }) return [];
        var terms = TextSearch.Terms(q.Text);
        if (terms.Length == 0) return [];
        IndexQuery? index = null;
        return await TextSearch.RunAsync(db, q, WindowRows, async (kind, indexed, before, lowest, limit, filter) =>
        {
            var (table, body) = TextSearch.Sources[kind];
            if (indexed) index ??= await IndexQueryAsync(db, terms, ct);
            if (indexed && index!.Nowhere) return [];
            if (!indexed || index!.Match is null)
                return await TextSearch.ReadIdsAsync(db,
                    $"SELECT \"Id\" FROM \"{table}\" WHERE "
                    + string.Join(" AND ", terms.Select((t, i) => TextSearch.AnyColumn(kind, c => TextSearch.HasCase(t) ? $"{c} LIKE $l{i} ESCAPE '\\'" : $"instr({c}, $l{i}) > 0")))
                    + " AND \"Id\" < $before AND \"Id\" >= $lowest"
                    + (filter is null ? "" : $" AND {filter}")
                    + (units is null ? "" : " AND \"UnitId\" IN (SELECT value FROM json_each($units))")
                    + $" ORDER BY \"Id\" DESC LIMIT {limit}",
                    cmd =>
                    {
                        for (int i = 0; i < terms.Length; i++)
                            TextSearch.Add(cmd, $"$l{i}", TextSearch.HasCase(terms[i]) ? TextSearch.LikePattern(terms[i]) : terms[i]);
                        TextSearch.Add(cmd, "$before", before);
                        TextSearch.Add(cmd, "$lowest", lowest);
                        if (units is not null) TextSearch.Add(cmd, "$units", TextSearch.UnitsJson(units));
                    }, ct);
            var common = index.Common;
            return await TextSearch.ReadIdsAsync(db,
                "SELECT rowid / 4 FROM \"SearchText\" WHERE \"SearchText\" MATCH $q"
                + string.Concat(common.Select((_, i) => $" AND body LIKE $l{i} ESCAPE '\\'"))
                + $" AND rowid % 4 = {Code(kind)} AND rowid < $before"
                + (units is null ? "" : " AND unit_id IN (SELECT value FROM json_each($units))")
                + (filter is null ? "" : $" AND EXISTS (SELECT 1 FROM \"{table}\" WHERE \"{table}\".\"Id\" = \"SearchText\".rowid / 4 AND {filter})")
                + $" ORDER BY rowid DESC LIMIT {limit}",
                cmd =>
                {
                    TextSearch.Add(cmd, "$q", index.Match);
                    // The rowid of the kind's row just below `before` (ids above 2^61 cannot exist).
                    TextSearch.Add(cmd, "$before", before > long.MaxValue / 4 ? long.MaxValue : before * 4);
                    for (int i = 0; i < common.Length; i++) TextSearch.Add(cmd, $"$l{i}", TextSearch.LikePattern(common[i]));
                    if (units is not null) TextSearch.Add(cmd, "$units", TextSearch.UnitsJson(units));
                }, ct);
        }, ct);
    }

    /// <summary>
    /// Each term as an FTS5 expression: a phrase (three characters or more) or the OR of the trigrams that begin with it.
    /// The tokenizer folds the case of every alphabet, SQLite's LIKE (the window's test) only of ASCII: so a term with
    /// cased letters is also tested with LIKE on the index's rows, and a short one with non-ASCII cased letters is not
    /// looked up in the vocabulary at all (.NET's lower case is not the tokenizer's folding: µ, ς, ſ…) but tested with LIKE.
    /// </summary>
    static async Task<IndexQuery> IndexQueryAsync(RectifyDb db, string[] terms, CancellationToken ct)
    {
        var match = new List<string>();
        var common = new List<string>();
        foreach (var t in terms)
        {
            var cased = TextSearch.HasCase(t);
            if (cased) common.Add(t);
            if (TextSearch.Characters(t) >= 3) { match.Add(Phrase(t)); continue; }
            if (cased && !t.All(char.IsAscii)) continue;
            // U+10FFFF sorts after every character in UTF-8 byte order, which is the vocabulary's order. The tokenizer
            // folds case, so the vocabulary holds lower-case trigrams (for ASCII, the same as .NET's lower case).
            var grams = await TextSearch.ReadAsync(db,
                $"SELECT term FROM \"SearchVocab\" WHERE term >= $p AND term < $p || char(1114111) LIMIT {MaxTrigrams + 1}",
                cmd => TextSearch.Add(cmd, "$p", t.ToLowerInvariant()), r => r.GetString(0), ct);
            if (grams.Count == 0) return new IndexQuery(null, [], Nowhere: true);
            if (grams.Count > MaxTrigrams) { if (!cased) common.Add(t); }
            else match.Add("(" + string.Join(" OR ", grams.Select(Phrase)) + ")");
        }
        return new IndexQuery(match.Count == 0 ? null : string.Join(" AND ", match), [.. common], Nowhere: false);
    }
}

/// <summary>
/// PostgreSQL: the window of newest rows is walked on the primary key with strpos (ILIKE for terms with cased letters),
/// in a form no index matches. Below it, a term of three characters or more is found with LIKE/ILIKE through the pg_trgm
/// GIN indexes of the searched text (migration Search); a shorter one, which yields no trigram, through the GIN indexes of
/// its pairs of characters (two characters; migration SearchPairs, not on reports) or of its characters
/// (<c>string_to_array(lower(text), NULL)</c>, migration SearchShort), and then tested with strpos/ILIKE.
/// The index part of a search with any term shorter than three characters orders by <c>"Id" + 0</c> (see <see cref="OrderBy"/>).
/// </summary>
public sealed class PostgresTextSearch : ITextSearch
{
    /// <summary>The newest rows of a kind tested without the index (<see cref="TextSearch.WindowRows"/>; tests set it small).</summary>
    public int WindowRows { get; init; } = TextSearch.WindowRows;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(RectifyDb db, SearchQuery q, CancellationToken ct = default)
    {
        var units = TextSearch.AllowedUnits(db, q);
        if (units is { Length: 0 }) return [];
        var terms = TextSearch.Terms(q.Text);
        if (terms.Length == 0) return [];
        return await TextSearch.RunAsync(db, q, WindowRows, (kind, indexed, before, lowest, limit, filter) =>
        {
            var (table, body) = TextSearch.Sources[kind];
            var sql = $"SELECT \"Id\" FROM \"{table}\" WHERE "
                      + string.Join(" AND ", terms.Select((t, i) => indexed ? Condition(body, t, i, PairIndexed.Contains(kind)) : TextSearch.AnyColumn(kind, c => Test(c, t, i))))
                      + " AND \"Id\" < @before AND \"Id\" >= @lowest"
                      + (filter is null ? "" : $" AND {filter}")
                      + (units is null ? "" : " AND \"UnitId\" = ANY(@units)")
                      + $" ORDER BY {OrderBy(indexed, terms)} DESC LIMIT {limit}";
            return TextSearch.ReadIdsAsync(db, sql, cmd =>
            {
                for (int i = 0; i < terms.Length; i++)
                {
                    TextSearch.Add(cmd, $"t{i}", terms[i]);
                    TextSearch.Add(cmd, $"l{i}", TextSearch.LikePattern(terms[i]));
                }
                TextSearch.Add(cmd, "before", before);
                TextSearch.Add(cmd, "lowest", lowest);
                if (units is not null) TextSearch.Add(cmd, "units", units);
            }, ct);
        }, ct, slices: true);
    }

    /// <summary>
    /// The order of a pass. The window walks the primary key (<c>"Id"</c>). Through the index, the planner chooses by its
    /// estimate of the matches in the id range: few, the index and a sort of them; many, the primary key walked
    /// backwards until the page is full (a term common in older reports: 12 ms where the index hands over 57 000
    /// matches to be sorted, 350 ms). A term of three characters or more is estimated from the statistics of the
    /// trigram-indexed text and may be left to the planner. A shorter one is matched by containment of its characters or
    /// pairs, whose estimate is a guess: the planner walked 4 million reports for 党, which none holds (1.3–6 s against
    /// 3 ms through the index), so <c>"Id" + 0</c>, which no index delivers in order, keeps it on the index. Left to the
    /// planner, a term it believes common that is absent from a whole range (common only in much older rows) is walked
    /// through that range; with <c>+ 0</c> it was read through the range's primary key and sorted the same way (measured
    /// over the benchmark's terms and every range: docs/benchmarks.md, "Search on PostgreSQL: GIN pending lists…").
    /// </summary>
    internal static string OrderBy(bool indexed, string[] terms) =>
        !indexed || terms.All(t => TextSearch.Characters(t) >= 3) ? "\"Id\"" : "\"Id\" + 0";

    /// <summary>
    /// The kinds with an index of each text's pairs of adjacent characters (migration SearchPairs): not the weekly
    /// reports, millions of rows whose insert is the hot write path; a two-character term goes through their characters
    /// index.
    /// </summary>
    internal static readonly HashSet<SearchKind> PairIndexed = [SearchKind.Problem, SearchKind.Measure, SearchKind.Rule];

    /// <summary>
    /// The test of one term through the index (in the window each column is tested with <see cref="Test"/>, in a form
    /// no index matches: a GIN scan there would read every match of a common term): LIKE/ILIKE on the trigram-indexed expression for three
    /// characters or more; for two, where the kind has one, containment of the term's pair in the pairs index (审计 is
    /// one entry there, while 审 and 计 each occur in tens of thousands of measures that the characters index would
    /// hand over to be tested); otherwise containment of the term's characters (the characters index); then the test.
    /// </summary>
    internal static string Condition(string body, string term, int i, bool pairs = false)
    {
        var test = Test(body, term, i);
        var length = TextSearch.Characters(term);
        if (length >= 3) return $"{body} {(TextSearch.HasCase(term) ? "ILIKE" : "LIKE")} @l{i}";
        if (length == 2 && pairs) return $"{Pairs(body)} @> {PairsFunction}(lower(@t{i})) AND {test}";
        return $"{Characters(body)} @> string_to_array(lower(@t{i}), NULL) AND {test}";
    }

    /// <summary>The row's test of term <paramref name="i"/> on <paramref name="text"/>, in a form no index matches.</summary>
    static string Test(string text, string term, int i) =>
        TextSearch.HasCase(term) ? $"({text} || '') ILIKE @l{i}" : $"strpos({text}, @t{i}) > 0";

    /// <summary>The GIN indexes of the search: trigrams (migration Search) and characters (SearchShort) of every kind, pairs
    /// (SearchPairs) of <see cref="PairIndexed"/>.</summary>
    public static IEnumerable<string> GinIndexes() => TextSearch.KindOrder.SelectMany(kind =>
    {
        var table = TextSearch.Sources[kind].Table;
        return PairIndexed.Contains(kind)
            ? new[] { $"IX_{table}_search", $"IX_{table}_chars", $"IX_{table}_pairs" }
            : [$"IX_{table}_search", $"IX_{table}_chars"];
    });

    /// <summary>
    /// The largest pending list of each GIN index of the search, in kB (set by migration SmallGinPendingLists; PostgreSQL's
    /// default is 4 MB). Every search through a GIN index reads its whole pending list: 4 MB, filled by weekly reports
    /// between vacuums, cost 8–20 ms per statement, where a term found nowhere costs 0.1 ms in the index itself.
    /// </summary>
    public const int GinPendingListKb = 256;

    /// <summary>The characters index's expression (migration SearchShort builds its GIN indexes on exactly this).</summary>
    internal static string Characters(string body) => $"string_to_array(lower({body}), NULL)";

    /// <summary>The SQL function giving a text's pairs of adjacent characters (<see cref="PairsFunctionSql"/>).</summary>
    internal const string PairsFunction = "rectify_search_pairs";

    /// <summary>The pairs index's expression (migration SearchPairs builds its GIN indexes on exactly this).</summary>
    internal static string Pairs(string body) => $"{PairsFunction}(lower({body}))";

    /// <summary>Creates <see cref="PairsFunction"/>: every substring of two characters, in order (GIN drops repeats).</summary>
    public const string PairsFunctionSql =
        "CREATE OR REPLACE FUNCTION " + PairsFunction + "(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE " +
        "AS $$ SELECT coalesce(array_agg(substr(t, i, 2)), '{}'::text[]) FROM generate_series(1, char_length(t) - 1) AS i $$;";
}
