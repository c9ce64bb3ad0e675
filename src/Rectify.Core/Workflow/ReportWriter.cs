using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

/// <summary>What a report submission got: the stored report, and whether it had been stored before (same key).</summary>
public sealed record ReportReceipt(ProgressReport Report, bool Existed);

/// <summary>
/// Group commit of weekly reports (周汇报) submitted through the API. Requests queue their submission (no database work
/// in the request); one writer per server takes up to <see cref="MaxBatch"/> of them and stores them in ONE
/// transaction: one audit-chain lock, one head read, the checks of <see cref="SubmitWeeklyReport"/> for each submission
/// against rows read inside that transaction (three queries for the whole batch), an audit event per row under the
/// submitter's own user, one commit (one fsync). Each request is answered after the commit that stored its report.
/// A submission refused inside the batch (measure gone or out of scope, not the caller's measure, key reused, bad
/// evidence) is refused alone with its own status; two submissions for one measure or with one idempotency key go to
/// consecutive batches, so the second sees the first. When the batch fails as a whole (e.g. a key stored at the same
/// moment by another server), each submission is retried alone.
/// </summary>
public sealed class ReportWriter : IAsyncDisposable
{
    public const int MaxBatch = 128;

    readonly DatabaseLocation _location;
    readonly TimeProvider _clock;
    readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task _loop;

    readonly ILogger _log;

    public ReportWriter(DatabaseLocation location, TimeProvider clock, ILogger<ReportWriter>? log = null)
    {
        _log = (ILogger?)log ?? NullLogger.Instance;
        _location = location;
        _clock = clock;
        _loop = Task.Run(RunAsync);
    }

    sealed record Item(long MeasureId, WeeklyReportInput Input, string? Key, CallerScope Caller, DateOnly Week, bool FutureWeek, DateTime Now)
    {
        public TaskCompletionSource<Outcome<ReportReceipt>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Queues one submission of <paramref name="caller"/>; completes after its commit, or with its refusal.</summary>
    public Task<Outcome<ReportReceipt>> SubmitAsync(long measureId, WeeklyReportInput input, CallerScope caller, WorkflowSettings settings, CancellationToken ct = default)
    {
        var now = _clock.GetUtcNow();
        var (week, future) = SubmitWeeklyReport.WeekOf(settings, input, now);
        var item = new Item(measureId, input, SubmitWeeklyReport.KeyOf(input), caller, week, future, now.UtcDateTime);
        if (!_queue.Writer.TryWrite(item)) throw new ObjectDisposedException(nameof(ReportWriter));
        // A client that goes away does not cancel the write (its key makes a resend safe); it only stops waiting.
        return item.Done.Task.WaitAsync(ct);
    }

    async Task RunAsync()
    {
        var carry = new List<Item>();
        while (carry.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            var batch = new List<Item>(carry);
            carry.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                await WriteAsync(batch, carry);
            }
            catch (Exception batchError)
            {
                _log.LogWarning(batchError, "A batch of {Count} weekly reports failed; each is retried alone.", batch.Count);
                // The batch as a whole failed and was rolled back: each submission alone, so one cannot fail the others.
                carry.Clear();
                foreach (var item in batch.Where(i => !i.Done.Task.IsCompleted))
                {
                    try { await WriteAsync([item], carry); }
                    catch (Exception e) { item.Done.TrySetException(e); }
                }
            }
        }
    }

    async Task WriteAsync(List<Item> batch, List<Item> carry)
    {
        // One submission per measure and per key in a batch: the next one waits for the next batch and sees this one.
        var take = new List<Item>(batch.Count);
        var measureIds = new HashSet<long>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in batch)
        {
            if (measureIds.Contains(item.MeasureId) || item.Key is not null && keys.Contains(item.Key)) { carry.Add(item); continue; }
            measureIds.Add(item.MeasureId);
            if (item.Key is not null) keys.Add(item.Key);
            take.Add(item);
        }

        await using var open = await BatchAsync(CancellationToken.None);
        var db = open.Db;

        var ids = measureIds.ToList();
        var measures = await db.Measures.Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id);
        var keyList = keys.ToList();
        var earlier = keyList.Count == 0 ? []
            : await db.ProgressReports.AsNoTracking().Where(r => r.IdempotencyKey != null && keyList.Contains(r.IdempotencyKey))
                .ToDictionaryAsync(r => r.IdempotencyKey!, StringComparer.Ordinal);
        var userIds = take.Select(i => i.Caller.UserId ?? 0).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id);
        var evidenceIds = take.SelectMany(i => i.Input.EvidenceIds ?? []).Distinct().ToList();
        var evidence = evidenceIds.Count == 0 ? [] : await db.EvidenceFiles.Where(f => evidenceIds.Contains(f.Id)).ToListAsync();

        db.Actors = new Dictionary<object, CallerScope>(ReferenceEqualityComparer.Instance);
        var answers = new List<(Item Item, Outcome<ReportReceipt> Outcome)>();
        var refusals = new List<(Item Item, Measure Measure, Refusal Refusal)>();
        var stored = new List<(Item Item, ProgressReport Report, List<EvidenceFile> Files)>();
        foreach (var item in take)
        {
            if (!measures.TryGetValue(item.MeasureId, out var m) || !item.Caller.CanSeeUnit(m.UnitId))
            {
                answers.Add((item, WorkflowAccess.NotFound("整改措施")));
                continue;
            }
            if (item.Key is not null && earlier.TryGetValue(item.Key, out var first))
            {
                var same = SubmitWeeklyReport.Same(first, m, item.Caller.UserId);
                answers.Add((item, same.Refused is { } reused ? reused : new ReportReceipt(first, Existed: true)));
                continue;
            }
            var user = item.Caller.UserId is { } uid ? users.GetValueOrDefault(uid) : null;
            var wanted = item.Input.EvidenceIds ?? [];
            var files = evidence.Where(f => wanted.Contains(f.Id) && f.MeasureId == m.Id).ToList();
            var refusal = SubmitWeeklyReport.Check(user, m, item.FutureWeek, item.Input)
                ?? (SubmitWeeklyReport.AllEvidenceFound(files, item.Input) ? null : SubmitWeeklyReport.BadEvidence);
            if (refusal is not null)
            {
                refusals.Add((item, m, refusal));
                continue;
            }

            var report = SubmitWeeklyReport.Add(db, m, user!.Id, item.Week, item.Input, item.Key, item.Now);
            db.Actors[report] = item.Caller;
            db.Actors[m] = item.Caller;
            foreach (var f in files) db.Actors[f] = item.Caller;
            stored.Add((item, report, files));
        }

        if (stored.Count > 0)
        {
            await db.SaveChangesAsync(CancellationToken.None);
            // Evidence is linked once the reports have their ids.
            var linked = false;
            foreach (var (_, report, files) in stored)
                foreach (var f in files) { f.ProgressReportId = report.Id; linked = true; }
            if (linked) await db.SaveChangesAsync(CancellationToken.None);
        }
        // Refused submissions are recorded in the audit trail like SubmitWeeklyReport's, under their own users.
        foreach (var (item, m, refusal) in refusals)
            await WorkflowAccess.RecordRefusalAsync(db, nameof(Measure), m.Id, m.UnitId, "report", refusal, item.Caller, CancellationToken.None);
        await open.Transaction.CommitAsync(CancellationToken.None);

        // Answered only now: every report is durable.
        foreach (var (item, outcome) in answers) item.Done.TrySetResult(outcome);
        foreach (var (item, _, refusal) in refusals) item.Done.TrySetResult(refusal);
        foreach (var (item, report, _) in stored) item.Done.TrySetResult(new ReportReceipt(report, Existed: false));
    }

    /// <summary>
    /// A batch's storing rehearsed and undone (a server's warm-up): a report for each of these measures, with its audit
    /// events and the status change of a measure not started, saved in one transaction as <see cref="WriteAsync"/> saves
    /// a batch, which is then rolled back. Nothing is answered, nothing stays (ids drawn from PostgreSQL's sequences
    /// stay drawn, as after any rolled-back write); no cache of this process notices (they follow commits). The
    /// author is the user of <paramref name="authorUserId"/> (any user: the row is never kept).
    /// </summary>
    public async Task RehearseAsync(IReadOnlyCollection<long> measureIds, long authorUserId, CancellationToken ct)
    {
        await using var open = await BatchAsync(ct);
        var db = open.Db;
        var now = _clock.GetUtcNow().UtcDateTime;
        var input = new WeeklyReportInput("预热", 0, null, null, null, null);
        foreach (var m in await db.Measures.Where(m => measureIds.Contains(m.Id)).ToListAsync(ct))
            SubmitWeeklyReport.Add(db, m, authorUserId, DateOnly.FromDateTime(now), input, null, now);
        await db.SaveChangesAsync(ct);
        await open.Transaction.RollbackAsync(CancellationToken.None);
    }

    /// <summary>
    /// A batch's context and transaction, as <see cref="WriteAsync"/> and <see cref="RehearseAsync"/> both open them: this
    /// process's write gate, one transaction without savepoints (a failed save fails the whole batch, which is then
    /// retried submission by submission in new transactions), the audit chain locked once for every save in it.
    /// </summary>
    async Task<Batch> BatchAsync(CancellationToken ct)
    {
        var open = new Batch(Database.Open(_location, CallerScope.System, _clock));
        try
        {
            await open.BeginAsync(ct);
            return open;
        }
        catch
        {
            await open.DisposeAsync();
            throw;
        }
    }

    /// <summary>What <see cref="BatchAsync"/> opens, disposed in the reverse order.</summary>
    sealed class Batch(RectifyDb db) : IAsyncDisposable
    {
        IDisposable? _gate, _savepoints;
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? _transaction;

        public RectifyDb Db => db;
        public Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction Transaction => _transaction!;

        public async Task BeginAsync(CancellationToken ct)
        {
            _gate = await db.EnterWriteAsync(ct);
            _transaction = await db.Database.BeginTransactionAsync(ct);
            _savepoints = new RectifyDb.SavepointsOff(db.Database);
            await db.LockAuditChainAsync(ct);
            db.ChainLocked = true;
        }

        public async ValueTask DisposeAsync()
        {
            _savepoints?.Dispose();
            if (_transaction is not null) await _transaction.DisposeAsync();
            _gate?.Dispose();
            await db.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
