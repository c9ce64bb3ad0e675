using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Rectify.Core.Data;

namespace Rectify.Core.Performance;

/// <summary>
/// SQLite: a bulk load into tables that already have indexes and full-text triggers, made fast by doing the index and
/// trigger work once at the end instead of once per row.
/// <list type="number">
/// <item><see cref="EnterAsync"/> (outside a transaction): <c>synchronous=OFF</c>, an in-memory rollback journal and a
/// larger page cache on this connection. A crash during the load can leave the file unusable: only for generating a
/// benchmark database.</item>
/// <item><see cref="DropAsync"/> (inside the load's transaction): reads the secondary indexes of the loaded tables and
/// their AFTER INSERT triggers from <c>sqlite_master</c> and drops them.</item>
/// <item><see cref="RestoreAsync"/> (same transaction, after the rows): re-runs the stored index definitions verbatim,
/// runs each dropped trigger's INSERT once over the loaded rows (<c>INSERT … SELECT</c> with <c>NEW.</c> read from the
/// table), then re-runs the stored trigger definitions verbatim. The problems' status bit sets are set the same way
/// (<see cref="ProblemMasks.SqliteBulkSql"/>). Any other trigger whose body is not a single <c>INSERT … VALUES</c> is
/// not dropped and fires per row as usual.</item>
/// <item><see cref="LeaveAsync"/> (after the commit): back to WAL and <c>synchronous=FULL</c>, the app's durable settings.</item>
/// </list>
/// The transaction makes the drop and the restore atomic: a failed load rolls the schema back with the rows.
/// </summary>
public sealed class SqliteBulkLoad(RectifyDb db)
{
    sealed record SchemaObject(string Type, string Name, string Table, string Sql, string? LoadSql);

    // The shape of the full-text triggers of migration Office2: AFTER INSERT ON "T" BEGIN INSERT INTO …(…) VALUES (…); END
    static readonly Regex InsertTrigger = new(
        @"^CREATE\s+TRIGGER\s+""?\w+""?\s+AFTER\s+INSERT\s+ON\s+""?(?<table>\w+)""?\s+(?:FOR\s+EACH\s+ROW\s+)?BEGIN\s+(?<head>INSERT\s+INTO\s+[^;]*?)\s+VALUES\s*\((?<values>[^;]*)\)\s*;\s*END\s*;?\s*$",
        RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    readonly List<SchemaObject> _dropped = [];
    IReadOnlyDictionary<string, long> _firstIds = new Dictionary<string, long>();

    /// <summary>Time of each phase (drop, indexes, triggers' rows, triggers), for the generator's report.</summary>
    public Dictionary<string, TimeSpan> Elapsed { get; } = [];

    DbConnection Connection => db.Database.GetDbConnection();

    async Task ExecAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Connection.CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        foreach (var (name, value) in parameters) cmd.Parameters.Add(new SqliteParameter(name, value));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    async Task<string?> ScalarAsync(string sql, CancellationToken ct)
    {
        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        return (await cmd.ExecuteScalarAsync(ct))?.ToString();
    }

    static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>Fast, non-durable settings for this connection (opened here and kept open until <see cref="LeaveAsync"/>).
    /// The journal stays WAL when another connection holds the file; the load is then only slower.</summary>
    public async Task EnterAsync(CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await ExecAsync("PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;", ct);
        try { await ScalarAsync("PRAGMA journal_mode=MEMORY;", ct); }
        catch (SqliteException) { /* busy: another connection uses the file; keep WAL */ }
    }

    /// <summary>Back to the app's durable settings: WAL journal, full sync, default page cache.</summary>
    public async Task LeaveAsync(CancellationToken ct)
    {
        var mode = await ScalarAsync("PRAGMA journal_mode=WAL;", ct);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"SQLite journal mode could not be set back to WAL (it is {mode}).");
        await ExecAsync("PRAGMA synchronous=FULL; PRAGMA cache_size=-2000;", ct);
        await db.Database.CloseConnectionAsync();
    }

    /// <summary>Drops the secondary indexes of the tables about to be loaded and their convertible AFTER INSERT
    /// triggers. <paramref name="firstIds"/>: per table (store name), the first id the load will write; every row from
    /// there on is loaded, so <see cref="RestoreAsync"/> gives those rows the triggers' effect.</summary>
    public async Task DropAsync(IReadOnlyDictionary<string, long> firstIds, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        _firstIds = new Dictionary<string, long>(firstIds, StringComparer.OrdinalIgnoreCase);
        var names = _firstIds.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var found = new List<SchemaObject>();
        await using (var cmd = Connection.CreateCommand())
        {
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            // sql IS NULL: the automatic indexes of PRIMARY KEY/UNIQUE constraints, which cannot be dropped.
            cmd.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid";
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var (type, name, table, sql) = (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3));
                if (!names.Contains(table)) continue;
                if (type == "index") found.Add(new SchemaObject(type, name, table, sql, null));
                else if (name == ProblemMasks.SqliteInsertTrigger)
                    found.Add(new SchemaObject(type, name, table, sql, ProblemMasks.SqliteBulkSql));
                else if (InsertTrigger.Match(sql) is { Success: true } m && string.Equals(m.Groups["table"].Value, table, StringComparison.OrdinalIgnoreCase))
                {
                    var values = Regex.Replace(m.Groups["values"].Value, @"\bNEW\.", "t.", RegexOptions.IgnoreCase);
                    found.Add(new SchemaObject(type, name, table, sql,
                        $"{m.Groups["head"].Value} SELECT {values} FROM {Quote(table)} t WHERE t.\"Id\" >= $first ORDER BY t.\"Id\""));
                }
            }
        }
        foreach (var o in found)
        {
            await ExecAsync($"DROP {(o.Type == "index" ? "INDEX" : "TRIGGER")} {Quote(o.Name)}", ct);
            _dropped.Add(o);
        }
        Elapsed["drop indexes and triggers"] = watch.Elapsed;
    }

    /// <summary>Recreates what <see cref="DropAsync"/> dropped, running each dropped trigger once over the loaded rows.</summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        foreach (var o in _dropped.Where(o => o.Type == "index")) await ExecAsync(o.Sql, ct);
        Elapsed["recreate indexes"] = watch.Elapsed;
        foreach (var o in _dropped.Where(o => o.Type == "trigger"))
        {
            watch.Restart();
            await ExecAsync(o.LoadSql!, ct, ("$first", _firstIds[o.Table]));
            Elapsed[$"trigger {o.Name} (once over the rows)"] = watch.Elapsed;
        }
        watch.Restart();
        foreach (var o in _dropped.Where(o => o.Type == "trigger")) await ExecAsync(o.Sql, ct);
        Elapsed["recreate triggers"] = watch.Elapsed;
        _dropped.Clear();
    }
}
