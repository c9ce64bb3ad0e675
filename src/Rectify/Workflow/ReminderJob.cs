using Microsoft.Extensions.Options;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Workflow;

namespace Rectify.Workflow;

/// <summary>
/// The reminder job: every interval (on the injected TimeProvider) creates the due reminders and sends the unsent ones.
/// Safe with several app servers on one database: reminder keys are unique and sending is claimed row by row.
/// </summary>
public sealed class ReminderJob(DatabaseLocation location, TimeProvider clock, IOptionsMonitor<WorkflowSettings> workflow, IOptions<ReminderSettings> settings,
    IReminderSender sender, ILogger<ReminderJob> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!settings.Value.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, settings.Value.IntervalMinutes)), clock);
        do
        {
            try { await RunOnceAsync(ct); }
            catch (Exception e) when (!ct.IsCancellationRequested) { log.LogError(e, "Reminder job failed"); }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    /// <summary>One run: create what is due, send what is unsent. Returns (created, sent).</summary>
    public async Task<(int Created, int Sent)> RunOnceAsync(CancellationToken ct = default)
    {
        await using var db = Database.Open(location, CallerScope.System, clock);
        var created = await new ProduceReminders(db, clock, workflow.CurrentValue, settings.Value).RunAsync(ct);
        var sent = await new SendReminders(db, clock, sender).RunAsync(ct);
        return (created, sent);
    }

    /// <summary>Registers the settings, the outbox sender (SMTP when enabled, else the file/log sink) and the job.</summary>
    public static void Register(IServiceCollection services, IConfiguration config)
    {
        services.Configure<ReminderSettings>(config.GetSection("Rectify:Reminders"));
        services.AddSingleton<IReminderSender>(sp =>
        {
            var s = sp.GetRequiredService<IOptions<ReminderSettings>>().Value;
            return s.Smtp.Enabled ? new SmtpReminderSender(s.Smtp) : new LogReminderSender(sp.GetRequiredService<ILogger<LogReminderSender>>(), s.OutboxFile);
        });
        services.AddSingleton<ReminderJob>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderJob>());
    }
}
