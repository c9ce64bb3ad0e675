using System.CommandLine;
using Rectify.Core.Data;

namespace Rectify.Cli;

/// <summary>Options several verbs share.</summary>
public static class CliOptions
{
    public static Option<string?> Db() => new("--db")
    {
        Description = "数据库：SQLite 文件路径（默认 ./data/rectify.db）或 PostgreSQL 连接串（Host=…）。也可用环境变量 RECTIFY_DB。",
    };

    public static DatabaseLocation Location(ParseResult p, Option<string?> db) =>
        DatabaseLocation.Parse(p.GetValue(db) ?? Environment.GetEnvironmentVariable("RECTIFY_DB"));

    /// <summary>Runs a verb body, turning expected failures into a one-line Chinese message and exit code 2.</summary>
    public static async Task<int> Guarded(Func<Task<int>> body)
    {
        try { return await body(); }
        catch (Exception e) when (e is DomainRuleException or Core.Import.ImportException or OutOfScopeException or Core.Operations.BackupException)
        {
            await Console.Error.WriteLineAsync("错误：" + e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException { InnerException: Npgsql.NpgsqlException })
        {
            await Console.Error.WriteLineAsync("错误：无法连接或使用数据库：" + e.Message);
            return ExitCodes.Failure;
        }
    }
}
