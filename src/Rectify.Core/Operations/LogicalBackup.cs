using System.Data;
using System.IO.Compression;
using System.Linq.Expressions;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Rectify.Core.Audit;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Operations;

/// <summary>A backup that cannot be used (unreadable, corrupted, from another version, target not empty). Chinese message.</summary>
public sealed class BackupException(string message) : Exception(message);

/// <summary>One table in a backup: its file, row count and SHA-256 of the file's bytes.</summary>
public sealed record BackupTable(string Entity, string Table, string File, long Rows, string Sha256);

/// <summary>manifest.json of a backup.</summary>
public sealed record BackupManifest(string Format, DateTime CreatedAt, string Provider, string Migration,
    long AuditSequence, string AuditHead, List<BackupTable> Tables)
{
    public const string CurrentFormat = "rectify-backup/1";
}

/// <summary>What a restore did.</summary>
public sealed record RestoreResult(BackupManifest Manifest, long RowsRestored, AuditVerification Audit);

/// <summary>
/// The logical backup of Rectify's own data, the same for SQLite and PostgreSQL: a zip with one JSON-lines file per
/// table (entity property names, rows in key order, tables in foreign-key dependency order) and a manifest with row
/// counts, SHA-256 per file, the schema's migration and the audit chain's head. Because it is provider-neutral it also
/// moves a database from SQLite to PostgreSQL and back. Times are kept to the microsecond (PostgreSQL's precision).
/// </summary>
public static class LogicalBackup
{
    const string ManifestFile = "manifest.json";
    /// <summary>SHA-256 of manifest.json itself: zip readers do not check CRCs, so a damaged manifest would pass unnoticed.</summary>
    const string ManifestHashFile = "manifest.sha256";
    const int Chunk = 500;

    static readonly JsonSerializerOptions RowJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The tables of the model, parents before children (ties by name), so rows can be inserted in this order.</summary>
    public static IReadOnlyList<IEntityType> Tables(RectifyDb db)
    {
        var types = db.Model.GetEntityTypes().Where(t => !t.IsOwned() && t.GetTableName() is not null)
            .OrderBy(t => t.ClrType.Name, StringComparer.Ordinal).ToList();
        var done = new List<IEntityType>();
        var left = new List<IEntityType>(types);
        while (left.Count > 0)
        {
            var next = left.FirstOrDefault(t => t.GetForeignKeys().All(fk => fk.PrincipalEntityType == t || done.Contains(fk.PrincipalEntityType)))
                       ?? throw new InvalidOperationException("Foreign keys form a cycle between tables.");
            done.Add(next);
            left.Remove(next);
        }
        return done;
    }

    // ---------------------------------------------------------------- backup

    /// <summary>Writes a backup of the whole database to OUT (written to a temporary file, then renamed).</summary>
    public static async Task<BackupManifest> BackupAsync(RectifyDb db, string outPath, TimeProvider clock, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(outPath);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var tmp = full + ".partial";
        BackupManifest manifest;
        try
        {
            await using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                manifest = await WriteAsync(db, file, clock, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
        return manifest;
    }

    /// <summary>Writes the backup zip to a stream, reading every table inside one snapshot.</summary>
    public static async Task<BackupManifest> WriteAsync(RectifyDb db, Stream output, TimeProvider clock, CancellationToken ct = default)
    {
        CheckNoShadowProperties(db);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // One consistent snapshot of every table (it reads only: ended without a commit).
            await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);

            var migration = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault() ?? "";
            var tables = new List<BackupTable>();
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                int n = 0;
                foreach (var type in Tables(db))
                {
                    var name = $"tables/{++n:00}-{type.ClrType.Name}.jsonl";
                    var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                    await using var s = entry.Open();
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    long rows = 0;
                    await foreach (var line in (IAsyncEnumerable<byte[]>)ExportMethod.MakeGenericMethod(type.ClrType).Invoke(null, [db, type, ct])!)
                    {
                        hash.AppendData(line);
                        await s.WriteAsync(line, ct);
                        rows++;
                    }
                    tables.Add(new BackupTable(type.ClrType.Name, type.GetTableName()!, name, rows, Convert.ToHexStringLower(hash.GetHashAndReset())));
                }
                var head = await AuditLink.HeadAsync(db, ct);
                var manifest = new BackupManifest(BackupManifest.CurrentFormat, clock.GetUtcNow().UtcDateTime, db.ProviderName, migration,
                    head.Sequence, head.Hash, tables);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJson);
                await using (var ms = zip.CreateEntry(ManifestFile, CompressionLevel.Optimal).Open()) await ms.WriteAsync(bytes, ct);
                await using (var hs = zip.CreateEntry(ManifestHashFile, CompressionLevel.NoCompression).Open())
                    await hs.WriteAsync(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(bytes)) + "\n"), ct);
                return manifest;
            }
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    static readonly MethodInfo ExportMethod = typeof(LogicalBackup).GetMethod(nameof(ExportRows), BindingFlags.NonPublic | BindingFlags.Static)!;

    static async IAsyncEnumerable<byte[]> ExportRows<T>(RectifyDb db, IEntityType type, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct) where T : class
    {
        var key = type.FindPrimaryKey()?.Properties is [var k] ? k : throw new InvalidOperationException($"{type.ClrType.Name} needs a single-column key.");
        var p = Expression.Parameter(typeof(T), "e");
        var order = Expression.Lambda(Expression.Property(p, k.PropertyInfo!), p);
        var query = db.Set<T>().IgnoreQueryFilters().AsNoTracking();
        var ordered = (IQueryable<T>)typeof(Queryable).GetMethods().Single(m => m.Name == nameof(Queryable.OrderBy) && m.GetParameters().Length == 2)
            .MakeGenericMethod(typeof(T), k.ClrType).Invoke(null, [query, order])!;
        var props = type.GetProperties().ToList();
        var buffer = new MemoryStream();
        await foreach (var row in ordered.AsAsyncEnumerable().WithCancellation(ct))
        {
            buffer.SetLength(0);
            await using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = RowJson.Encoder }))
            {
                w.WriteStartObject();
                foreach (var prop in props)
                {
                    w.WritePropertyName(prop.Name);
                    JsonSerializer.Serialize(w, Normalise(prop.PropertyInfo!.GetValue(row)), prop.ClrType, RowJson);
                }
                w.WriteEndObject();
            }
            buffer.WriteByte((byte)'\n');
            yield return buffer.ToArray();
        }
    }

    /// <summary>
    /// The same value gives the same bytes on both providers: times to the microsecond (PostgreSQL's precision),
    /// decimals without trailing zeros (PostgreSQL returns numeric(18,4) as 12.5000, SQLite as 12.5).
    /// </summary>
    static object? Normalise(object? value) => value switch
    {
        DateTime d => new DateTime(d.Ticks - d.Ticks % 10, DateTimeKind.Utc),
        decimal m => m / 1.0000000000000000000000000000m,
        _ => value,
    };

    static void CheckNoShadowProperties(RectifyDb db)
    {
        foreach (var t in Tables(db))
            if (t.GetProperties().FirstOrDefault(p => p.PropertyInfo is null) is { } shadow)
                throw new InvalidOperationException($"{t.ClrType.Name}.{shadow.Name} is a shadow property; the backup needs CLR properties.");
    }

    // ---------------------------------------------------------------- verify

    /// <summary>
    /// Opens a backup and checks it completely before anything is written: the manifest, every table file's
    /// SHA-256 and row count, and that every table belongs to this version's model.
    /// </summary>
    public static BackupManifest Verify(string path, RectifyDb? model = null)
    {
        if (!File.Exists(path)) throw new BackupException($"备份文件不存在：{path}");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return Verify(zip, model);
        }
        catch (InvalidDataException) { throw new BackupException("备份文件已损坏：不是完整的 zip 文件，未写入任何数据。"); }
    }

    static BackupManifest Verify(ZipArchive zip, RectifyDb? model)
    {
        var m = zip.GetEntry(ManifestFile) ?? throw new BackupException("备份文件缺少清单 manifest.json，无法校验，未写入任何数据。");
        var h = zip.GetEntry(ManifestHashFile) ?? throw new BackupException("备份文件缺少清单校验值 manifest.sha256，无法确认清单完好，未写入任何数据。");
        byte[] bytes;
        string expected;
        using (var ms = new MemoryStream())
        {
            using (var s = m.Open()) s.CopyTo(ms);
            bytes = ms.ToArray();
        }
        using (var r = new StreamReader(h.Open(), Encoding.ASCII)) expected = r.ReadToEnd().Trim();
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), expected, StringComparison.OrdinalIgnoreCase))
            throw new BackupException("备份已损坏：清单 manifest.json 的 SHA-256 校验值不符，拒绝恢复，未写入任何数据。");
        BackupManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<BackupManifest>(bytes, ManifestJson); }
        catch (JsonException) { manifest = null; }
        if (manifest is null || manifest.Tables is null) throw new BackupException("备份清单 manifest.json 无法读取，备份已损坏，未写入任何数据。");
        if (manifest.Format != BackupManifest.CurrentFormat) throw new BackupException($"不认识的备份格式“{manifest.Format}”，本版本只能恢复 {BackupManifest.CurrentFormat}。");
        var known = model is null ? null : Tables(model).Select(t => t.ClrType.Name).ToHashSet();
        foreach (var t in manifest.Tables)
        {
            if (known is not null && !known.Contains(t.Entity)) throw new BackupException($"备份含有本版本不认识的数据表“{t.Entity}”，请用生成备份的版本恢复。");
            var e = zip.GetEntry(t.File) ?? throw new BackupException($"备份缺少数据文件 {t.File}，备份不完整，未写入任何数据。");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long lines = 0;
            var buf = new byte[81920];
            using (var s = e.Open())
            {
                int read;
                while ((read = s.Read(buf, 0, buf.Length)) > 0)
                {
                    hash.AppendData(buf, 0, read);
                    lines += buf.AsSpan(0, read).Count((byte)'\n');
                }
            }
            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(sha, t.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new BackupException($"备份已损坏：{t.File} 的 SHA-256 校验值与清单不符，拒绝恢复，未写入任何数据。");
            if (lines != t.Rows)
                throw new BackupException($"备份已损坏：{t.File} 有 {lines} 行，清单记载 {t.Rows} 行，拒绝恢复，未写入任何数据。");
        }
        return manifest;
    }

    // ---------------------------------------------------------------- restore

    /// <summary>
    /// Restores a verified backup into a migrated database in one transaction, keeping ids and versions; refuses a
    /// database that has data unless <paramref name="force"/> (then its rows are replaced). No audit events are
    /// appended: the backup's own chain is restored as it was, and verified afterwards.
    /// </summary>
    public static async Task<RestoreResult> RestoreAsync(RectifyDb db, string path, bool force, CancellationToken ct = default)
    {
        CheckNoShadowProperties(db);
        var manifest = Verify(path, db);
        var appliedOrder = (await db.Database.GetAppliedMigrationsAsync(ct)).Select(MigrationName).ToList();
        var applied = appliedOrder.ToHashSet();
        if (manifest.Migration.Length > 0 && !applied.Contains(MigrationName(manifest.Migration)))
            throw new BackupException($"备份的数据库结构（{manifest.Migration}）比本版本新或不同，请用生成备份的版本或更新的版本恢复。");

        var tables = Tables(db);
        var byName = tables.ToDictionary(t => t.ClrType.Name);
        var rank = tables.Select((t, i) => (t, i)).ToDictionary(x => x.t.ClrType.Name, x => x.i);
        if (!force)
        {
            foreach (var t in tables)
                if (await (Task<bool>)AnyMethod.MakeGenericMethod(t.ClrType).Invoke(null, [db, ct])!)
                    throw new BackupException($"目标数据库已有数据（{t.GetTableName()} 表不为空），恢复会覆盖它；确认要覆盖请加 --force。");
        }

        using var zip = ZipFile.OpenRead(path);
        var strategy = db.Database.CreateExecutionStrategy();
        long restored = 0;
        await strategy.ExecuteAsync(async () =>
        {
            restored = 0;
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (force)
                foreach (var t in tables.Reverse())
                {
                    var delete = "DELETE FROM " + Quote(t);
                    await db.Database.ExecuteSqlRawAsync(delete, ct);
                }
            // The kept round figures are not in a backup: computed again from the restored rows.
            await db.Database.ExecuteSqlRawAsync(Supervision.KeptFigures.ForgetSql, ct);

            db.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                // Tables in dependency order (the manifest's order is the writer's; this model's order is the one
                // that satisfies this model's foreign keys).
                foreach (var table in manifest.Tables.OrderBy(t => rank[t.Entity]))
                {
                    var type = byName[table.Entity];
                    var props = type.GetProperties().ToDictionary(p => p.Name);
                    using var reader = new StreamReader(zip.GetEntry(table.File)!.Open(), new UTF8Encoding(false, true));
                    int pending = 0;
                    while (await reader.ReadLineAsync(ct) is { } line)
                    {
                        if (line.Length == 0) continue;
                        var row = Activator.CreateInstance(type.ClrType)!;
                        using (var doc = JsonDocument.Parse(line))
                            foreach (var col in doc.RootElement.EnumerateObject())
                                if (props.TryGetValue(col.Name, out var prop))
                                    prop.PropertyInfo!.SetValue(row, col.Value.Deserialize(prop.ClrType, RowJson));
                        db.Add(row);
                        restored++;
                        if (++pending == Chunk)
                        {
                            await db.SaveWithoutAuditAsync(ct);
                            db.ChangeTracker.Clear();
                            pending = 0;
                        }
                    }
                    await db.SaveWithoutAuditAsync(ct);
                    db.ChangeTracker.Clear();
                }
            }
            finally { db.ChangeTracker.AutoDetectChangesEnabled = true; }

            // A backup older than migration ProgressFromReports has no progress marks: its measures' texts are what they
            // showed then (each report copied its line into them), as the migration's fill says.
            if (appliedOrder.IndexOf(MigrationName(manifest.Migration)) < appliedOrder.IndexOf("ProgressFromReports"))
                await db.Database.ExecuteSqlRawAsync(MeasureProgress.MarkAllWrittenSql, ct);

            // The restored chain must end where the backup said it did; otherwise nothing is kept.
            var head = await AuditLink.HeadAsync(db, ct);
            if (head.Sequence != manifest.AuditSequence || head.Hash != manifest.AuditHead)
                throw new BackupException($"恢复后审计链末条（#{head.Sequence}）与备份清单记载的（#{manifest.AuditSequence}）不符，已撤销恢复，未写入任何数据。");

            if (db.ProviderName == "postgresql")
                foreach (var t in tables)
                    if (t.FindPrimaryKey()?.Properties is [var key] && key.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd)
                    {
                        var col = key.GetColumnName();
                        var reset = $"SELECT setval(pg_get_serial_sequence('{Quote(t)}', '{col}'), COALESCE(MAX(\"{col}\"), 1), MAX(\"{col}\") IS NOT NULL) FROM {Quote(t)}";
                        await db.Database.ExecuteSqlRawAsync(reset, ct);
                    }
            await tx.CommitAsync(ct);
        });
        var audit = await AuditChain.VerifyAsync(db, ct);
        return new RestoreResult(manifest, restored, audit);
    }

    static readonly MethodInfo AnyMethod = typeof(LogicalBackup).GetMethod(nameof(AnyRows), BindingFlags.NonPublic | BindingFlags.Static)!;
    static Task<bool> AnyRows<T>(RectifyDb db, CancellationToken ct) where T : class => db.Set<T>().IgnoreQueryFilters().AnyAsync(ct);

    static string Quote(IEntityType t) => t.GetSchema() is { } s ? $"\"{s}\".\"{t.GetTableName()}\"" : $"\"{t.GetTableName()}\"";

    /// <summary>"20261126110340_Initial" → "Initial": the two providers' migrations share names, not timestamps.</summary>
    static string MigrationName(string id) => id.IndexOf('_') is var i and >= 0 ? id[(i + 1)..] : id;

    // ---------------------------------------------------------------- copy

    /// <summary>Copies one database into another (SQLite ⇄ PostgreSQL) through a verified logical backup.</summary>
    public static async Task<RestoreResult> CopyAsync(DatabaseLocation from, DatabaseLocation to, bool force, TimeProvider clock, CancellationToken ct = default)
    {
        var tmp = Path.Combine(Path.GetTempPath(), $"rectify-migrate-{Guid.NewGuid():N}.zip");
        try
        {
            await using (var src = Database.Open(from)) await BackupAsync(src, tmp, clock, ct);
            Verify(tmp);
            await Database.MigrateAsync(to, ct);
            await using var dst = Database.Open(to);
            return await RestoreAsync(dst, tmp, force, ct);
        }
        finally { File.Delete(tmp); }
    }
}
