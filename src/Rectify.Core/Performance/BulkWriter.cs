using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Rectify.Core.Data;

namespace Rectify.Core.Performance;

/// <summary>
/// Inserts rows whose ids are already assigned, bypassing the change tracker and the audit path: SQLite through one
/// prepared INSERT per table inside the caller's transaction, PostgreSQL through binary COPY. Columns, types and value
/// conversions come from the EF model, so the rows read back exactly as EF would have written them.
/// Only for bulk generation: the caller records one audit event for the whole operation.
/// </summary>
public sealed class BulkWriter(RectifyDb db)
{
    sealed record Column(IProperty Property, string Name, string StoreType, RelationalTypeMapping Mapping);

    readonly Dictionary<Type, (IEntityType Type, Column[] Columns)> _tables = [];

    (IEntityType Type, Column[] Columns) Table<T>()
    {
        if (_tables.TryGetValue(typeof(T), out var t)) return t;
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var columns = type.GetProperties()
            .Select(p => new Column(p, p.GetColumnName(), p.GetColumnType(), (RelationalTypeMapping)p.GetRelationalTypeMapping()))
            .ToArray();
        return _tables[typeof(T)] = (type, columns);
    }

    static string Quote(string name) => "\"" + name + "\"";

    static object? Read(Column c, object row)
    {
        var v = c.Property.PropertyInfo!.GetValue(row);
        return v is null ? null : c.Mapping.Converter is { } conv ? conv.ConvertToProvider(v) : v;
    }

    /// <summary>Inserts the rows (ids set) in the order given.</summary>
    public async Task WriteAsync<T>(IReadOnlyList<T> rows, CancellationToken ct = default) where T : class
    {
        if (rows.Count == 0) return;
        var (type, columns) = Table<T>();
        var table = type.GetSchema() is { } s ? $"{Quote(s)}.{Quote(type.GetTableName()!)}" : Quote(type.GetTableName()!);
        var conn = db.Database.GetDbConnection();
        if (conn is NpgsqlConnection pg)
        {
            var copy = $"COPY {table} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
            await using var importer = await pg.BeginBinaryImportAsync(copy, ct);
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct);
                foreach (var c in columns)
                {
                    var v = Read(c, row);
                    if (v is null) await importer.WriteNullAsync(ct);
                    else await importer.WriteAsync(v, c.StoreType, ct);
                }
            }
            await importer.CompleteAsync(ct);
            return;
        }

        await using var cmd = conn.CreateCommand();
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = new DbParameter[columns.Length];
        for (int i = 0; i < columns.Length; i++)
        {
            parameters[i] = cmd.CreateParameter();
            parameters[i].ParameterName = "@p" + i;
            if (columns[i].Mapping.DbType is { } dbType) parameters[i].DbType = dbType;
            cmd.Parameters.Add(parameters[i]);
        }
        await cmd.PrepareAsync(ct);
        foreach (var row in rows)
        {
            for (int i = 0; i < columns.Length; i++) parameters[i].Value = Read(columns[i], row) ?? DBNull.Value;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The next free id of a table (ids are assigned by the generator).</summary>
    public async Task<long> NextIdAsync<T>(CancellationToken ct = default) where T : Entity =>
        (await db.Set<T>().IgnoreQueryFilters().MaxAsync(e => (long?)e.Id, ct) ?? 0) + 1;

    /// <summary>PostgreSQL: moves each identity sequence past the ids written explicitly.</summary>
    public async Task ResetSequencesAsync(CancellationToken ct = default)
    {
        if (db.Database.GetDbConnection() is not NpgsqlConnection) return;
        foreach (var (type, _) in _tables.Values)
        {
            var table = type.GetSchema() is { } s ? $"{Quote(s)}.{Quote(type.GetTableName()!)}" : Quote(type.GetTableName()!);
            var col = type.FindPrimaryKey()!.Properties[0].GetColumnName();
#pragma warning disable EF1002 // table and column names come from the model, not from input
            await db.Database.ExecuteSqlRawAsync(
                $"SELECT setval(pg_get_serial_sequence('{table}', '{col}'), COALESCE(MAX(\"{col}\"), 1), MAX(\"{col}\") IS NOT NULL) FROM {table}", ct);
#pragma warning restore EF1002
        }
    }
}
