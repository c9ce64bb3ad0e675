using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Rectify.Core.Workflow;
using Rectify.Hosting;
using Rectify.Tests.Support;
using Rectify.Workflow;

namespace Rectify.Tests.Workflow;

public class ReminderTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>Counts what reached the outbox, by reminder key, across every app instance.</summary>
    sealed class CountingSender : IReminderSender
    {
        public readonly ConcurrentDictionary<string, int> Sent = new();
        public Task SendAsync(ReminderMessage message, CancellationToken ct)
        {
            Sent.AddOrUpdate(message.Key, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    static async Task<WebApplication> SecondInstanceAsync(TestApp first, FakeTimeProvider clock, IReminderSender sender)
    {
        var app = RectifyServer.Build(new ServerSettings(first.Db) { Clock = clock }, b =>
        {
            b.WebHost.UseTestServer();
            b.Configuration["Rectify:Reminders:Enabled"] = "false";
            b.Services.AddSingleton(sender);
        });
        await app.StartAsync();
        return app;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task ReminderJob_TwoAppInstancesOnOneDatabase_EachReminderCreatedAndSentOnce(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var s = await WorkflowScenarioTests.SetUpAsync(app);
        var owner = await app.ClientFor("owner-a");
        var evidence = await WorkflowScenarioTests.UploadAsync(owner, s.M0, WorkflowScenarioTests.Pdf, "报告.pdf");
        await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{s.M0}/closure", new { statement = "已完成", evidenceIds = new[] { evidence } }));
        // Thursday 2022-06-30 21:00 China time: the week's report is due within a day; M1 (deadline 07-25) is green.
        app.Clock.Advance(TimeSpan.FromDays(3.5));

        var sender = new CountingSender();
        var clock = app.Clock;
        await using var one = await SecondInstanceAsync(app, clock, sender);
        await using var two = await SecondInstanceAsync(app, clock, sender);
        var jobs = new[] { one.Services.GetRequiredService<ReminderJob>(), two.Services.GetRequiredService<ReminderJob>() };
        for (int round = 0; round < 3; round++)
            await Task.WhenAll(jobs.Select(j => Task.Run(() => j.RunOnceAsync())));

        await using var db = app.Open();
        var reminders = await db.Reminders.ToListAsync();
        Assert.NotEmpty(reminders);
        Assert.All(reminders, r => Assert.NotNull(r.SentAt));
        Assert.Equal(reminders.Select(r => r.Key).Order(), sender.Sent.Keys.Order());
        Assert.All(sender.Sent, kv => Assert.Equal(1, kv.Value));
        var ownerId = (await db.Users.SingleAsync(u => u.UserName == "owner-a")).Id;
        var leaderId = (await db.Users.SingleAsync(u => u.UserName == "leader-a")).Id;
        Assert.Contains(reminders, r => r.UserId == ownerId && r.Kind == "report_due" && r.MeasureId == s.M1);
        Assert.Contains(reminders, r => r.UserId == leaderId && r.Kind == "approval_waiting" && r.MeasureId == s.M0);
        Assert.DoesNotContain(reminders, r => r.UserId == ownerId && r.Kind == "approval_waiting");

        // In-app inbox: the owner sees their own; marking read; another user's reminder is not found.
        var inbox = await HttpAssert.Ok<JsonElement>(await owner.GetAsync("/api/inbox"));
        Assert.All(inbox.EnumerateArray(), r => Assert.Contains(r.GetProperty("kind").GetString(), new[] { "report_due", "light_yellow", "light_red" }));
        var mine = inbox.EnumerateArray().First().GetProperty("id").GetInt64();
        Assert.Equal(204, (int)(await owner.PostAsync($"/api/inbox/{mine}/read", null)).StatusCode);
        var leaders = reminders.First(r => r.UserId == leaderId).Id;
        await HttpAssert.Problem(await owner.PostAsync($"/api/inbox/{leaders}/read", null), 404);

        // Later: M1 turns yellow (≤ 10 days to 07-25) and then red; each light reminded once more, not every run.
        clock.Advance(TimeSpan.FromDays(16.5)); // 2022-07-17
        await Task.WhenAll(jobs.Select(j => Task.Run(() => j.RunOnceAsync())));
        clock.Advance(TimeSpan.FromDays(10)); // 2022-07-27: overdue
        await Task.WhenAll(jobs.Select(j => Task.Run(() => j.RunOnceAsync())));
        await Task.WhenAll(jobs.Select(j => Task.Run(() => j.RunOnceAsync())));
        await using var db2 = app.Open();
        var all = await db2.Reminders.ToListAsync();
        Assert.Contains(all, r => r.UserId == ownerId && r.Kind == "light_yellow" && r.MeasureId == s.M1);
        Assert.Contains(all, r => r.UserId == ownerId && r.Kind == "light_red" && r.MeasureId == s.M1);
        Assert.Single(all, r => r.UserId == ownerId && r.Kind == "light_red" && r.MeasureId == s.M1);
        Assert.All(sender.Sent, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(all.Count, sender.Sent.Count);

        // A 长期坚持 measure struck off earlier is due for its quarterly re-check: the unit office is reminded once.
        await using (var db3 = app.Open())
        {
            var lt = await db3.Measures.SingleAsync(m => m.Id == s.LongTerm);
            lt.NextRecheck = new DateOnly(2022, 7, 27);
            await db3.SaveChangesAsync();
        }
        await Task.WhenAll(jobs.Select(j => Task.Run(() => j.RunOnceAsync())));
        await Task.WhenAll(jobs.Select(j => Task.Run(() => j.RunOnceAsync())));
        await using var db4 = app.Open();
        var adminId = (await db4.Users.SingleAsync(u => u.UserName == "unit_admin-a")).Id;
        var recheck = Assert.Single(await db4.Reminders.Where(r => r.Kind == "recheck_due").ToListAsync());
        Assert.Equal(adminId, recheck.UserId);
        Assert.Equal(1, sender.Sent[recheck.Key]);
    }
}
