using System.Threading.RateLimiting;

namespace Rectify.Supervision;

/// <summary>
/// How many full-text searches are computed at once; the others wait their turn, first come first served. A search is a
/// few milliseconds of the server's and the database's CPU. Sixty-four computed at once on two cores take as long in
/// all, but each one is stretched across the whole time by the switching between them, and a slow one holds its
/// connection and its share of the cores while the quick ones behind it could have finished: the p99 was 2.5–2.8× the
/// median. In a queue each waits for the searches before it and then runs nearly alone (docs/benchmarks.md, "Search in
/// turn"). Answers from the read cache do not queue. <c>Rectify:Search:Concurrency</c> (default: twice the cores) and
/// <c>Rectify:Search:QueueLimit</c> (default 1 000; beyond it a search is refused with 503).
/// </summary>
public sealed class SearchGate(IConfiguration config) : IDisposable
{
    readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = Math.Max(1, config.GetValue("Rectify:Search:Concurrency", Environment.ProcessorCount * 2)),
        QueueLimit = Math.Max(0, config.GetValue("Rectify:Search:QueueLimit", 1000)),
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>
    /// Runs <paramref name="work"/> when its turn comes; false (nothing run) when the queue is full. The wait is not
    /// cancellable: the work may be a computation shared by several requests (the read cache's).
    /// </summary>
    public async Task<(bool Ran, T? Value)> RunAsync<T>(Func<Task<T>> work)
    {
        using var lease = await _limiter.AcquireAsync(1);
        if (!lease.IsAcquired) return (false, default);
        return (true, await work());
    }

    public void Dispose() => _limiter.Dispose();
}
