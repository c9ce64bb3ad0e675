using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Core.Access;

namespace Rectify.Core.Data;

/// <summary>Opening, registering and migrating the database, for the server, the CLI and the tests alike.</summary>
public static class Database
{
    /// <summary>Registers RectifyDb for the location's provider; the CallerScope and TimeProvider come from DI.</summary>
    public static IServiceCollection AddRectifyDb(this IServiceCollection services, DatabaseLocation location)
    {
        services.AddSingleton(location);
        if (location.IsPostgres)
        {
            services.AddDbContext<PostgresRectifyDb>(o => Configure(o, location));
            services.AddScoped<RectifyDb>(sp => sp.GetRequiredService<PostgresRectifyDb>());
        }
        else
        {
            services.AddDbContext<SqliteRectifyDb>(o => Configure(o, location));
            services.AddScoped<RectifyDb>(sp => sp.GetRequiredService<SqliteRectifyDb>());
        }
        // Group commit of the API's weekly reports: one writer per server and database.
        services.AddSingleton(sp => new Workflow.ReportWriter(location, sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<Microsoft.Extensions.Logging.ILogger<Workflow.ReportWriter>>()));
        return services;
    }

    /// <summary>Opens a context outside DI (CLI verbs, tests).</summary>
    public static RectifyDb Open(DatabaseLocation location, CallerScope? scope = null, TimeProvider? clock = null)
    {
        scope ??= CallerScope.System;
        clock ??= TimeProvider.System;
        if (location.IsPostgres)
        {
            var b = new DbContextOptionsBuilder<PostgresRectifyDb>();
            Configure(b, location);
            return new PostgresRectifyDb(b.Options, scope, clock);
        }
        var s = new DbContextOptionsBuilder<SqliteRectifyDb>();
        Configure(s, location);
        return new SqliteRectifyDb(s.Options, scope, clock);
    }

    static void Configure(DbContextOptionsBuilder o, DatabaseLocation location)
    {
        if (location.IsPostgres)
            o.UseNpgsql(location.ContextConnectionString, n => n.MigrationsHistoryTable("__ef_migrations").UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        else
        {
            // A list of ids (e.g. every measure of a province for the lights) goes as one array parameter, not one
            // parameter per element: SQLite refuses more than 32 766 variables, and PostgreSQL plans `= ANY(@p)` once.
            o.UseSqlite(location.ConnectionString, s => s.MigrationsHistoryTable("__ef_migrations").UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
            o.AddInterceptors(SqlitePragmas.Instance);
        }
        o.AddInterceptors(AccessChangeInterceptor.Instance);
        o.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
    }

    /// <summary>Creates the database if needed and applies pending migrations. Safe to call from every process at start.</summary>
    public static async Task MigrateAsync(DatabaseLocation location, CancellationToken ct = default)
    {
        if (!location.IsPostgres)
        {
            var path = new SqliteConnectionStringBuilder(location.ConnectionString).DataSource;
            var dir = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        await using var db = Open(location);
        // A migration may build an index over millions of rows (SearchShort: minutes at province size), far beyond the
        // usual command timeout.
        db.Database.SetCommandTimeout(TimeSpan.FromHours(2));
        if (location.IsPostgres)
        {
            // Several app servers may start at once: one migrates, the others wait on the lock.
            var creator = db.GetService<IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync(ct))
            {
                try { await creator.CreateAsync(ct); }
                catch (Npgsql.PostgresException e) when (e.SqlState == "42P04") { /* another server created it first */ }
            }
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7170918)", ct);
                await MigrateAndForgetKeptFiguresAsync(db, ct);
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7170918)", ct);
            }
            finally { await db.Database.CloseConnectionAsync(); }
        }
        else
        {
            await MigrateAndForgetKeptFiguresAsync(db, ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    /// <summary>
    /// Applies the pending migrations; when there were any, the kept round figures are computed again from the data
    /// (a migration can change rows without audit events, which the keeper follows; <see cref="Supervision.KeptFigures"/>).
    /// </summary>
    static async Task MigrateAndForgetKeptFiguresAsync(RectifyDb db, CancellationToken ct)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Any();
        await db.Database.MigrateAsync(ct);
        if (pending) await db.Database.ExecuteSqlRawAsync(Supervision.KeptFigures.ForgetSql, ct);
    }

    /// <summary>Per-connection SQLite settings: foreign keys on, full sync (an acknowledged write survives a crash), busy wait.</summary>
    sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();
        const string Sql = "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = Sql;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = Sql;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}

/// <summary>
/// Moves <see cref="Audit.AuditCommits"/> after every commit, and bumps <see cref="AccessVersion"/> when a transaction
/// that changed users, tokens or organisations commits.
/// </summary>
sealed class AccessChangeInterceptor : DbTransactionInterceptor
{
    public static readonly AccessChangeInterceptor Instance = new();

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Bump(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Bump(eventData.Context);
        return Task.CompletedTask;
    }

    static void Bump(DbContext? context)
    {
        // Every commit (a save's own transaction or a caller's) may have appended audit events: in-memory audit heads
        // of this process read them before their next answer.
        Audit.AuditCommits.Bump();
        if (context is RectifyDb { AccessChangedInTransaction: true } db)
        {
            db.AccessChangedInTransaction = false;
            AccessVersion.Bump();
        }
    }
}

/// <summary>Design-time factories so `dotnet ef migrations add` builds one migration set per provider.</summary>
public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteRectifyDb>
{
    public SqliteRectifyDb CreateDbContext(string[] args) => (SqliteRectifyDb)Database.Open(DatabaseLocation.Parse("design.db"));
}

public sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresRectifyDb>
{
    public PostgresRectifyDb CreateDbContext(string[] args) =>
        (PostgresRectifyDb)Database.Open(DatabaseLocation.Parse("Host=localhost;Database=rectify_design;Username=postgres"));
}
