using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;
using Rectify.Core.Data;

namespace Rectify.Core.Workflow;

/// <summary>
/// An in-app reminder (站内提醒) of one user: a weekly report due, an approval waiting, an item turning yellow or red.
/// <see cref="Key"/> (user, kind, subject, period) is unique, so however many app servers run the job, each
/// reminder exists once; <see cref="SentAt"/> is claimed with one conditional UPDATE, so it is sent once.
/// Not audited: reminders are notices about the ledger, not changes of it.
/// </summary>
public sealed class Reminder : Entity
{
    public long UserId { get; set; }
    /// <summary>report_due, approval_waiting, light_yellow, light_red.</summary>
    public required string Kind { get; set; }
    /// <summary>What it is about, e.g. "measure:12" or "request:5".</summary>
    public required string Subject { get; set; }
    /// <summary>Which occurrence: the week, the request step, the deadline.</summary>
    public required string Period { get; set; }
    public required string Key { get; set; }
    public required string Title { get; set; }
    public long? UnitId { get; set; }
    public long? MeasureId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
    public DateTime? SentAt { get; set; }

    public static string KeyOf(long userId, string kind, string subject, string period) => $"{userId}|{kind}|{subject}|{period}";
}

/// <summary>Settings of the reminder job and its outbox, bound under "Rectify:Reminders". E-mail is off by default.</summary>
public sealed record ReminderSettings
{
    /// <summary>Whether the background job runs in this process.</summary>
    public bool Enabled { get; init; } = true;
    public int IntervalMinutes { get; init; } = 15;
    /// <summary>Remind of the week's report this many hours before it is due.</summary>
    public int ReportDueHours { get; init; } = 24;
    /// <summary>File sink: append one JSON line per reminder sent (for intranets without a gateway). Null: the log.</summary>
    public string? OutboxFile { get; init; }
    public SmtpSettings Smtp { get; init; } = new();
}

public sealed record SmtpSettings
{
    public bool Enabled { get; init; }
    public string Host { get; init; } = "";
    public int Port { get; init; } = 587;
    /// <summary>none, starttls or ssl.</summary>
    public string Security { get; init; } = "starttls";
    public string? UserName { get; init; }
    public string? Password { get; init; }
    public string From { get; init; } = "rectify@localhost";
}

/// <summary>One message to deliver.</summary>
public sealed record ReminderMessage(string Key, string UserName, string? Email, string Title);

/// <summary>The outbox gateway: e-mail, SMS, 政务微信, 钉钉… Implementations: SMTP, and a file/log sink.</summary>
public interface IReminderSender
{
    Task SendAsync(ReminderMessage message, CancellationToken ct);
}

/// <summary>Writes reminders to a file (one JSON line each) or, without a file, to the log.</summary>
public sealed class LogReminderSender(ILogger<LogReminderSender> log, string? file) : IReminderSender
{
    static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task SendAsync(ReminderMessage message, CancellationToken ct)
    {
        if (file is null)
        {
            log.LogInformation("Reminder to {User}: {Title}", message.UserName, message.Title);
            return;
        }
        await Gate.WaitAsync(ct);
        try { await File.AppendAllTextAsync(file, JsonSerializer.Serialize(message) + "\n", ct); }
        finally { Gate.Release(); }
    }
}

/// <summary>Sends reminders by e-mail through an SMTP server (MailKit). Users without an address are skipped.</summary>
public sealed class SmtpReminderSender(SmtpSettings settings) : IReminderSender
{
    public async Task SendAsync(ReminderMessage message, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(message.Email)) return;
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(settings.From));
        mail.To.Add(new MailboxAddress(message.UserName, message.Email));
        mail.Subject = "【整改提醒】" + message.Title;
        mail.Body = new TextPart("plain") { Text = message.Title + "\n\n请登录整改台账系统查看。" };
        using var client = new SmtpClient();
        var security = settings.Security switch { "ssl" => SecureSocketOptions.SslOnConnect, "none" => SecureSocketOptions.None, _ => SecureSocketOptions.StartTls };
        await client.ConnectAsync(settings.Host, settings.Port, security, ct);
        if (!string.IsNullOrEmpty(settings.UserName)) await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        await client.SendAsync(mail, ct);
        await client.DisconnectAsync(true, ct);
    }
}
