using System.Diagnostics;
using Rectify.Core.Data;
using Rectify.Core.Supervision;

namespace Rectify.Hosting;

/// <summary>
/// Keeps the round figures of every inspection current in the database (<see cref="KeptFigures.CatchUpAsync"/>): at
/// start (every row, on a database that has none yet) and then every <c>Rectify:Perf:KeptFiguresMilliseconds</c>
/// (default 1 000; 0 switches the keeper off). Readers never depend on it being current: the units changed since its
/// last pass are computed from the base tables (<see cref="KeptFigures.ReadAsync"/>).
/// </summary>
public sealed class FigureKeeper(DatabaseLocation location, IConfiguration config, ILogger<FigureKeeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var interval = config.GetValue("Rectify:Perf:KeptFiguresMilliseconds", 1_000);
        if (interval <= 0) return;
        // Off the start-up path: the host's start does not wait for the first pass.
        await Task.Yield();
        // Real time, not the application's clock (which tests hold still): this is housekeeping, not a deadline.
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(interval));
        do
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                await using var db = Database.Open(location, KeptFigures.Scope);
                var rows = await KeptFigures.CatchUpAsync(db, ct);
                if (rows > 100)
                    log.LogInformation("Kept round figures: computed the rows of {Rows} inspections in {Ms:F0} ms", rows, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e) when (!ct.IsCancellationRequested) { log.LogWarning(e, "Keeping the round figures failed; readers compute them"); }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }
}
