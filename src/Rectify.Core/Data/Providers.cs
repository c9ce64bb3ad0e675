using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Rectify.Core.Access;

namespace Rectify.Core.Data;

public sealed class SqliteRectifyDb(DbContextOptions<SqliteRectifyDb> options, CallerScope scope, TimeProvider clock)
    : RectifyDb(options, scope, clock)
{
    public override string ProviderName => "sqlite";

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>One in-process queue of writers per database file.</summary>
    protected internal override async Task<IDisposable?> EnterWriteAsync(CancellationToken ct)
    {
        var gate = Gates.GetOrAdd(Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release(); }
    }
}

public sealed class PostgresRectifyDb(DbContextOptions<PostgresRectifyDb> options, CallerScope scope, TimeProvider clock)
    : RectifyDb(options, scope, clock)
{
    public override string ProviderName => "postgresql";

    /// <summary>Transaction-scoped advisory lock: one audit-chain writer at a time across all app servers.</summary>
    protected internal override Task LockAuditChainAsync(CancellationToken ct) =>
        Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7170917)", ct);
}

/// <summary>Times are stored in UTC; SQLite forgets the kind, so it is put back on read.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

/// <summary>Where the data lives: a SQLite file (default ./data/rectify.db) or a PostgreSQL connection string.</summary>
public sealed record DatabaseLocation(string Provider, string ConnectionString)
{
    public const string DefaultSqlitePath = "data/rectify.db";

    public bool IsPostgres => Provider == "postgresql";

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Pooled = new(StringComparer.Ordinal);

    /// <summary>What the DbContexts connect with: for PostgreSQL the connection string with a bounded pool (<see cref="WithPoolLimit"/>).</summary>
    public string ContextConnectionString => IsPostgres ? Pooled.GetOrAdd(ConnectionString, WithPoolLimit) : ConnectionString;

    /// <summary>
    /// Reads a --db / RECTIFY_DB value: "Host=…" or "postgres://…" is PostgreSQL; anything else is a SQLite file path
    /// (or a "Data Source=…" string). Empty means the default SQLite file.
    /// </summary>
    public static DatabaseLocation Parse(string? value)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value)) value = DefaultSqlitePath;
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Host.Length > 0
                ? new("postgresql", FromUri(uri))
                : throw new DomainRuleException("数据库地址无效：应形如 postgres://用户名:密码@主机:端口/库名。", "db");
        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase) || value.Contains("Server=", StringComparison.OrdinalIgnoreCase))
            return new("postgresql", CheckedPostgres(value));
        var path = value.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)
            ? new SqliteConnectionStringBuilder(value).DataSource : value;
        var full = Path.GetFullPath(path);
        return new("sqlite", new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString());
    }

    /// <summary>
    /// A PostgreSQL connection string every keyword of which Npgsql accepts; otherwise a message that names the keyword
    /// (never the value: it may be the password).
    /// </summary>
    static string CheckedPostgres(string value)
    {
        const string Shape = "PostgreSQL 连接串应形如 Host=主机;Port=5432;Username=用户名;Password=密码;Database=库名。";
        var given = new System.Data.Common.DbConnectionStringBuilder();
        try { given.ConnectionString = value; }
        catch (ArgumentException) { throw new DomainRuleException("数据库连接串格式错误（键=值，以分号分隔）。" + Shape, "db"); }
        var b = new Npgsql.NpgsqlConnectionStringBuilder();
        foreach (string key in given.Keys)
        {
            try { b[key] = given[key]; }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                throw new DomainRuleException($"数据库连接串中的“{key}”无法识别或取值无效。" + Shape, "db");
            }
        }
        return value;
    }

    /// <summary>Connections one app server opens at most when the connection string does not say (Maximum Pool Size).</summary>
    public const int DefaultMaxPoolSize = 32;

    /// <summary>
    /// Npgsql's own default (100 per server) equals PostgreSQL's default max_connections: a burst of requests on one
    /// server, or two servers, would take every slot and further connections fail ("remaining connection slots are
    /// reserved"). With a smaller pool a burst waits for a free connection instead. An explicit setting is kept.
    /// </summary>
    static string WithPoolLimit(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("maxpoolsize", StringComparison.OrdinalIgnoreCase)
                   || k.Replace(" ", "", StringComparison.Ordinal).Equals("maximumpoolsize", StringComparison.OrdinalIgnoreCase));
        return given ? connectionString : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultMaxPoolSize }.ConnectionString;
    }

    static string FromUri(Uri uri)
    {
        var userInfo = uri.UserInfo.Split(':', 2);
        var b = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = uri.Host, Port = uri.Port > 0 ? uri.Port : 5432, Database = uri.AbsolutePath.Trim('/'),
            Username = Uri.UnescapeDataString(userInfo[0]),
        };
        if (userInfo.Length > 1) b.Password = Uri.UnescapeDataString(userInfo[1]);
        return b.ToString();
    }

    /// <summary>Shown in logs and /health: the connection without its password.</summary>
    public string Describe() => IsPostgres
        ? new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ToString()
        : new SqliteConnectionStringBuilder(ConnectionString).DataSource;
}
