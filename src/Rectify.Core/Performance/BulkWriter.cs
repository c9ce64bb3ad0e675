using System.Data.Common;
using System.Diagnostics;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Rectify.Core.Data;

namespace Rectify.Core.Performance;

/// <summary>
/// Inserts rows whose ids are already assigned, bypassing the change tracker and the audit path: SQLite through
/// prepared multi-row INSERTs (<paramref name="rowsPerStatement"/> rows each; 1 = one statement per row) inside the
/// caller's transaction, PostgreSQL through binary COPY. Columns, types and value conversions come from the EF model, so
/// the rows read back exactly as EF would have written them. Only for bulk generation: the caller records one audit
/// event for the whole operation.
/// </summary>
public sealed class BulkWriter(RectifyDb db, int rowsPerStatement = 100)
{
    sealed record Column(string Name, string StoreType, RelationalTypeMapping Mapping, Func<object, object?> Get);

    sealed record Table(IEntityType Type, string Name, Column[] Columns);

    readonly Dictionary<Type, Table> _tables = [];

    /// <summary>Time spent writing each table (store name), for the generator's report.</summary>
    public Dictionary<string, TimeSpan> Elapsed { get; } = [];

    /// <summary>The store names of the tables written so far.</summary>
    public IEnumerable<string> TablesWritten => _tables.Values.Select(t => t.Type.GetTableName()!);

    Table TableOf<T>()
    {
        if (_tables.TryGetValue(typeof(T), out var t)) return t;
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var columns = type.GetProperties()
            .Select(p => new Column(p.GetColumnName(), p.GetColumnType(), (RelationalTypeMapping)p.GetRelationalTypeMapping(), Getter(p)))
            .ToArray();
        var name = type.GetSchema() is { } s ? $"{Quote(s)}.{Quote(type.GetTableName()!)}" : Quote(type.GetTableName()!);
        return _tables[typeof(T)] = new Table(type, name, columns);
    }

    /// <summary>A compiled getter returning the provider value (after the model's value converter, if any).</summary>
    static Func<object, object?> Getter(IProperty p)
    {
        var row = Expression.Parameter(typeof(object), "row");
        var read = Expression.Lambda<Func<object, object?>>(
            Expression.Convert(Expression.Property(Expression.Convert(row, p.DeclaringType.ClrType), p.PropertyInfo!), typeof(object)), row).Compile();
        var conv = ((RelationalTypeMapping)p.GetRelationalTypeMapping()).Converter;
        if (conv is null) return read;
        return r => read(r) is { } v ? conv.ConvertToProvider(v) : null;
    }

    static string Quote(string name) => "\"" + name + "\"";

    /// <summary>Inserts the rows (ids set) in the order given.</summary>
    public async Task WriteAsync<T>(IReadOnlyList<T> rows, CancellationToken ct = default) where T : class
    {
        if (rows.Count == 0) return;
        var table = TableOf<T>();
        var watch = Stopwatch.StartNew();
        var conn = db.Database.GetDbConnection();
        if (conn is NpgsqlConnection pg)
        {
            var copy = $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
            await using var importer = await pg.BeginBinaryImportAsync(copy, ct);
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct);
                foreach (var c in table.Columns)
                {
                    var v = c.Get(row);
                    if (v is null) await importer.WriteNullAsync(ct);
                    else await importer.WriteAsync(v, c.StoreType, ct);
                }
            }
            await importer.CompleteAsync(ct);
        }
        else
        {
            var full = Math.Max(1, rowsPerStatement);
            int done = 0;
            if (rows.Count >= full)
            {
                var (cmd, parameters) = await PrepareAsync(conn, table, full, ct);
                await using (cmd)
                    for (; done + full <= rows.Count; done += full)
                        await ExecuteAsync(cmd, parameters, table.Columns, rows, done, full, ct);
            }
            if (done < rows.Count)
            {
                var (cmd, parameters) = await PrepareAsync(conn, table, rows.Count - done, ct);
                await using (cmd) await ExecuteAsync(cmd, parameters, table.Columns, rows, done, rows.Count - done, ct);
            }
        }
        var key = table.Type.GetTableName()!;
        Elapsed[key] = Elapsed.GetValueOrDefault(key) + watch.Elapsed;
    }

    async Task<(DbCommand, DbParameter[])> PrepareAsync(DbConnection conn, Table table, int rowCount, CancellationToken ct)
    {
        var columns = table.Columns;
        var cmd = conn.CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var values = Enumerable.Range(0, rowCount).Select(r => "(" + string.Join(", ", columns.Select((_, i) => "@p" + (r * columns.Length + i))) + ")");
        cmd.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES {string.Join(", ", values)}";
        var parameters = new DbParameter[rowCount * columns.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] = cmd.CreateParameter();
            parameters[i].ParameterName = "@p" + i;
            if (columns[i % columns.Length].Mapping.DbType is { } dbType) parameters[i].DbType = dbType;
            cmd.Parameters.Add(parameters[i]);
        }
        await cmd.PrepareAsync(ct);
        return (cmd, parameters);
    }

    static async Task ExecuteAsync<T>(DbCommand cmd, DbParameter[] parameters, Column[] columns, IReadOnlyList<T> rows, int first, int count, CancellationToken ct) where T : class
    {
        for (int r = 0; r < count; r++)
        {
            var row = rows[first + r];
            for (int i = 0; i < columns.Length; i++) parameters[r * columns.Length + i].Value = columns[i].Get(row) ?? DBNull.Value;
        }
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The next free id of a table (ids are assigned by the generator).</summary>
    public async Task<long> NextIdAsync<T>(CancellationToken ct = default) where T : Entity =>
        (await db.Set<T>().IgnoreQueryFilters().MaxAsync(e => (long?)e.Id, ct) ?? 0) + 1;

    /// <summary>PostgreSQL: moves each identity sequence past the ids written explicitly.</summary>
    public async Task ResetSequencesAsync(CancellationToken ct = default)
    {
        if (db.Database.GetDbConnection() is not NpgsqlConnection) return;
        foreach (var table in _tables.Values)
        {
            var col = table.Type.FindPrimaryKey()!.Properties[0].GetColumnName();
#pragma warning disable EF1002 // table and column names come from the model, not from input
            await db.Database.ExecuteSqlRawAsync(
                $"SELECT setval(pg_get_serial_sequence('{table.Name}', '{col}'), COALESCE(MAX(\"{col}\"), 1), MAX(\"{col}\") IS NOT NULL) FROM {table.Name}", ct);
#pragma warning restore EF1002
        }
    }
}
