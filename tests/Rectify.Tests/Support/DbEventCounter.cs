using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Rectify.Tests.Support;

/// <summary>
/// Counts EF Core's diagnostic events of one kind on one database (other tests run in parallel on others): SQL commands
/// about to run (<see cref="Commands"/>), savepoints created (<see cref="Savepoints"/>).
/// </summary>
public sealed class DbEventCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    readonly string _event;
    readonly Func<object?, bool> _counts;
    readonly List<IDisposable> _subscriptions = [];
    int _count;
    public int Count => Volatile.Read(ref _count);

    DbEventCounter(EventId @event, Func<object?, bool> counts)
    {
        _event = @event.Name!;
        _counts = counts;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    /// <summary>The name of <paramref name="db"/>'s database as the counters compare it.</summary>
    public static string DatabaseOf(DbContext db) => Key(db.Database.GetDbConnection());

    static string Key(DbConnection c) => c.DataSource + "|" + c.Database;

    /// <summary>SQL commands run through EF on <paramref name="database"/>, except those <paramref name="ignore"/> names and the figure keeper's.</summary>
    public static DbEventCounter Commands(string database, Func<string, bool> ignore) =>
        new(RelationalEventId.CommandExecuting,
            e => e is CommandEventData d && d.Command.Connection is { } c && Key(c) == database && !ignore(d.Command.CommandText)
                 // The server's keeper of the round figures runs in the background, whatever the request.
                 && d.Context is not Core.Data.RectifyDb { Scope.UserName: Core.Supervision.KeptFigures.KeeperName });

    /// <summary>Who the caller is (cached per server for a few seconds, so re-read whenever the machine is slow), the
    /// periodic reload of stored settings and the refresh of the in-memory audit heads (every 250 ms, and after any
    /// commit in this process, i.e. by tests running in parallel) are not the reads a test counts: pass this as
    /// <c>ignore</c>.</summary>
    public static bool Housekeeping(string sql) =>
        sql.Contains("\"ApiTokens\"") || sql.Contains("FROM \"Users\"") || sql.Contains("\"Settings\"")
        || (sql.Contains("FROM \"AuditEvents\"") && !sql.Contains("\"Inspections\""));

    /// <summary>Savepoints EF creates on <paramref name="database"/> (each a round trip, and one more to release it).</summary>
    public static DbEventCounter Savepoints(string database) =>
        new(RelationalEventId.CreatingTransactionSavepoint,
            e => e is TransactionEventData d && d.Transaction.Connection is { } c && Key(c) == database);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name) lock (_subscriptions) _subscriptions.Add(listener.Subscribe(this));
    }

    public void OnNext(KeyValuePair<string, object?> e)
    {
        if (e.Key == _event && _counts(e.Value)) Interlocked.Increment(ref _count);
    }

    public void OnCompleted() { }
    public void OnError(Exception error) { }
    public void Dispose() { lock (_subscriptions) foreach (var s in _subscriptions) s.Dispose(); }
}
