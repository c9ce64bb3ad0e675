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
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var path = location.Describe();
            foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        }
    }
}
