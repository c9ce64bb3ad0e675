using Npgsql;
using Rectify.Core.Data;

namespace Rectify.Tests.Support;

/// <summary>
/// Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL database on the server named by
/// RECTIFY_TEST_POSTGRES (e.g. "Host=127.0.0.1;Username=postgres;Password=postgres"). Never EF's in-memory provider.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "RECTIFY_TEST_POSTGRES";
    public const string RequireVariable = "RECTIFY_REQUIRE_POSTGRES";

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>The providers every data test runs on: SQLite always, PostgreSQL when configured.</summary>
    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { "sqlite" };
            if (PostgresServer is not null) data.Add("postgresql");
            return data;
        }
    }

    public static async Task<DatabaseLocation> CreateAsync(string provider)
    {
        DatabaseLocation location;
        if (provider == "postgresql")
        {
            var server = PostgresServer ?? throw new InvalidOperationException($"{PostgresVariable} is not set");
            var b = new NpgsqlConnectionStringBuilder(server) { Database = "rectify_t_" + Guid.NewGuid().ToString("N")[..12], Pooling = true };
            location = new DatabaseLocation("postgresql", b.ToString());
        }
        else
        {
            var dir = Path.Combine(Path.GetTempPath(), "rectify-tests");
            Directory.CreateDirectory(dir);
            location = DatabaseLocation.Parse(Path.Combine(dir, Guid.NewGuid().ToString("N") + ".db"));
        }
        await Database.MigrateAsync(location);
        return location;
    }

    public static async Task DropAsync(DatabaseLocation location)
    {
        if (location.IsPostgres)
        {
            var b = new NpgsqlConnectionStringBuilder(location.ConnectionString);
            var name = b.Database;
            NpgsqlConnection.ClearAllPools();
            b.Database = "postgres";
            await using var c = new NpgsqlConnection(b.ToString());
            await c.OpenAsync();
            // Not DROP … WITH (FORCE): a role without superuser may not terminate an autovacuum worker, and FORCE then
            // fails (42501) whenever autovacuum happens to be in the database. End our own role's sessions, then a plain
            // DROP, which stops autovacuum itself, and try again while another session is still leaving (55006).
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using (var end = new NpgsqlCommand(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
                        "WHERE datname = @name AND pid <> pg_backend_pid() AND usename = current_user", c))
                    {
                        end.Parameters.AddWithValue("name", name!);
                        await end.ExecuteNonQueryAsync();
                    }
                    // Dropping waits for a checkpoint, which on a busy server takes longer than the 30 s default.
                    await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\"", c) { CommandTimeout = 600 };
                    await cmd.ExecuteNonQueryAsync();
                    return;
                }
                catch (PostgresException e) when (attempt < 20 && e.SqlState is PostgresErrorCodes.ObjectInUse or PostgresErrorCodes.InsufficientPrivilege)
                {
                    await Task.Delay(250);
                }
            }
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var path = location.Describe();
            foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        }
    }
}
