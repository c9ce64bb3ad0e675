using System.CommandLine;
using Microsoft.Data.Sqlite;
using Rectify.Cli;
using Rectify.Core.Data;
using Rectify.Core.Operations;

namespace Rectify.Operations;

/// <summary>`rectify backup`, `rectify restore`, `rectify migrate-db`: the logical backup of Rectify's own data.</summary>
public static class BackupCommands
{
    public static Command Backup()
    {
        var db = CliOptions.Db();
        var output = new Argument<string>("OUT") { Description = "备份文件（.zip）：每张表一个 JSON Lines 文件，清单含行数、SHA-256 和数据库结构版本" };
        var cmd = new Command("backup", "备份数据库（SQLite 与 PostgreSQL 通用的逻辑备份，带校验值）") { output, db };
        cmd.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var location = CliOptions.Location(p, db);
            RequireExisting(location);
            await using var ctx = Database.Open(location);
            var m = await LogicalBackup.BackupAsync(ctx, p.GetValue(output)!, TimeProvider.System, ct);
            Console.WriteLine($"已备份到 {Path.GetFullPath(p.GetValue(output)!)}：{m.Tables.Count} 张表共 {m.Tables.Sum(t => t.Rows)} 行，结构版本 {m.Migration}，审计链末条 #{m.AuditSequence} {m.AuditHead}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    public static Command Restore()
    {
        var db = CliOptions.Db();
        var input = new Argument<string>("IN") { Description = "rectify backup 生成的备份文件" };
        var force = new Option<bool>("--force") { Description = "目标数据库已有数据时仍然恢复（先清空其全部数据）" };
        var cmd = new Command("restore", "从备份恢复数据库：先校验全部校验值，再在一个事务中写入，保留原有编号") { input, db, force };
        cmd.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var path = p.GetValue(input)!;
            LogicalBackup.Verify(path); // a corrupted backup is refused before the target is even created
            var location = CliOptions.Location(p, db);
            await Database.MigrateAsync(location, ct);
            await using var ctx = Database.Open(location);
            var r = await LogicalBackup.RestoreAsync(ctx, path, p.GetValue(force), ct);
            return Report(r, $"已从 {Path.GetFullPath(path)} 恢复到 {location.Provider}：{location.Describe()}");
        }));
        return cmd;
    }

    public static Command MigrateDb()
    {
        var from = new Option<string>("--from") { Description = "源数据库（SQLite 文件或 PostgreSQL 连接串）", Required = true };
        var to = new Option<string>("--to") { Description = "目标数据库（SQLite 文件或 PostgreSQL 连接串）", Required = true };
        var force = new Option<bool>("--force") { Description = "目标数据库已有数据时仍然迁移（先清空其全部数据）" };
        var cmd = new Command("migrate-db", "把整个数据库迁到另一处（SQLite ⇄ PostgreSQL），经校验的逻辑备份完成，编号不变") { from, to, force };
        cmd.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var src = DatabaseLocation.Parse(p.GetValue(from));
            var dst = DatabaseLocation.Parse(p.GetValue(to));
            if (src.ConnectionString == dst.ConnectionString) throw new BackupException("源数据库和目标数据库相同。");
            RequireExisting(src);
            var r = await LogicalBackup.CopyAsync(src, dst, p.GetValue(force), TimeProvider.System, ct);
            return Report(r, $"已从 {src.Provider}（{src.Describe()}）迁移到 {dst.Provider}（{dst.Describe()}）");
        }));
        return cmd;
    }

    static int Report(RestoreResult r, string what)
    {
        Console.WriteLine($"{what}：{r.Manifest.Tables.Count} 张表共 {r.RowsRestored} 行。");
        if (!r.Audit.Ok)
        {
            Console.Error.WriteLine($"警告：恢复后审计链校验未通过：{r.Audit.Problem}");
            return ExitCodes.Failure;
        }
        Console.WriteLine($"审计链完好：共 {r.Audit.EventsChecked} 条记录，末条哈希 {r.Audit.HeadHash}");
        return ExitCodes.Ok;
    }

    /// <summary>Opening a missing SQLite file would create an empty database: name the mistake instead.</summary>
    static void RequireExisting(DatabaseLocation location)
    {
        if (!location.IsPostgres && !File.Exists(new SqliteConnectionStringBuilder(location.ConnectionString).DataSource))
            throw new BackupException($"数据库文件不存在：{location.Describe()}");
    }
}
