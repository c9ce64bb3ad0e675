using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Organisations;

/// <summary>
/// The settings row as a configuration source, added last so a stored value overrides appsettings and environment.
/// <see cref="Set"/> raises the configuration's reload token: IOptionsMonitor follows at once, IOptionsSnapshot from
/// the next request or scope. No restart.
/// </summary>
public sealed class StoredSettingsConfiguration(WorkflowSettings configuredWorkflow, DeadlineSettings configuredDeadlines) : ConfigurationProvider, IConfigurationSource
{
    /// <summary>The values from configuration alone (read at start), which a null stored value falls back to.</summary>
    public SettingValues Configured { get; } = SettingValues.Of(configuredWorkflow, configuredDeadlines);

    /// <summary>The values that would be in force with these stored ones.</summary>
    public SettingValues WouldBe(SettingValues stored) => new(
        stored.ReportDueWeekday ?? Configured.ReportDueWeekday, stored.ReportDueTime ?? Configured.ReportDueTime,
        stored.GreenDays ?? Configured.GreenDays, stored.YellowDays ?? Configured.YellowDays,
        stored.YellowForMissedReport ?? Configured.YellowForMissedReport, stored.ImmediateDeadlineDays ?? Configured.ImmediateDeadlineDays,
        stored.LongTermRecheckMonths ?? Configured.LongTermRecheckMonths, stored.MaxEvidenceMegabytes ?? Configured.MaxEvidenceMegabytes,
        stored.PlanMonths ?? Configured.PlanMonths, stored.ReportMonths ?? Configured.ReportMonths,
        stored.FocusedRectificationMonths ?? Configured.FocusedRectificationMonths, stored.DisclosureMonths ?? Configured.DisclosureMonths);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    // Serialises a periodic read-and-apply with the apply after a save, so a read taken before the save commits
    // cannot be applied after the saved values.
    readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Applies a row just saved (null: none stored); reloads the options when the values changed.</summary>
    public void Set(StoredSettings? row)
    {
        _gate.Wait();
        try { Apply(row); }
        finally { _gate.Release(); }
    }

    /// <summary>Reads the row (it belongs to no unit) and applies it.</summary>
    public async Task LoadAsync(RectifyDb db, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try { Apply(await db.StoredSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Id == StoredSettings.RowId, ct)); }
        finally { _gate.Release(); }
    }

    void Apply(StoredSettings? row)
    {
        var next = row?.ToConfiguration() ?? new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (next.Count == Data.Count && next.All(kv => Data.TryGetValue(kv.Key, out var v) && v == kv.Value)) return;
        Data = next;
        OnReload();
    }
}

/// <summary>
/// Loads the stored settings at start and again every <see cref="Interval"/>, so another app server on the same
/// database follows an administrator's change within that interval (the server that saved it follows at once).
/// A database not migrated yet (or unreachable) leaves the configured values in force until the next attempt.
/// </summary>
public sealed class StoredSettingsLoader(StoredSettingsConfiguration settings, DatabaseLocation location, TimeProvider clock, ILogger<StoredSettingsLoader> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken ct)
    {
        await TryLoadAsync(ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        // Real time on purpose: the tests' fake clock must not stop other servers from following.
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(ct)) await TryLoadAsync(ct);
    }

    async Task TryLoadAsync(CancellationToken ct)
    {
        try
        {
            await using var db = Database.Open(location, Core.Access.CallerScope.System, clock);
            await settings.LoadAsync(db, ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            log.LogDebug(e, "Stored settings not read; the configured values stay in force.");
        }
    }
}
