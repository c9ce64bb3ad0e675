using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Rectify.Core.Data;

/// <summary>
/// One consistent snapshot for several reads: a repeatable-read transaction on PostgreSQL, a deferred read transaction
/// on SQLite (in WAL mode it blocks no writer; EF's own <c>BeginTransaction</c> on SQLite takes the write lock at once).
/// </summary>
public static class ReadSnapshot
{
    /// <summary>Begins the snapshot; null (nothing to end) when the context is already in a transaction, whose snapshot the reads share.</summary>
    public static async Task<IAsyncDisposable?> BeginAsync(RectifyDb db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return null;
        if (db.Database.GetDbConnection() is not SqliteConnection sqlite)
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await db.Database.OpenConnectionAsync(ct);
        SqliteTransaction? tx = null;
        try
        {
            tx = sqlite.BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(tx, ct);
            return new SqliteRead(db, tx);
        }
        catch
        {
            if (tx is not null) await tx.DisposeAsync();
            await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    sealed class SqliteRead(RectifyDb db, SqliteTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try { await db.Database.UseTransactionAsync(null); }
            finally
            {
                try { await tx.DisposeAsync(); }
                finally { await db.Database.CloseConnectionAsync(); }
            }
        }
    }
}
