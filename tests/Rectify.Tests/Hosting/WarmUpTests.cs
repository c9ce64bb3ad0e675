using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Demo;
using Rectify.Core.Ledger;
using Rectify.Hosting;
using Rectify.Tests.Support;
using Xunit.Abstractions;

namespace Rectify.Tests.Hosting;

/// <summary>
/// `rectify serve` warms up before it calls itself ready: /health/ready says "warming" (503, in Chinese) meanwhile, the
/// warm-up's weekly reports all reach the report endpoint and are refused by the writer, its rehearsed batches are
/// rolled back, and nothing stays: no report, no audit event, no measure's status changed.
/// </summary>
public class WarmUpTests(ITestOutputHelper output)
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    const int WarmUpSeconds = 3;

    [Theory, MemberData(nameof(Providers))]
    public async Task Serve_WarmsUpBeforeReady_AndWritesNothing(string provider)
    {
        var location = await TestDatabases.CreateAsync(provider);
        try
        {
            long reports, events;
            string statuses;
            await using (var db = Database.Open(location))
            {
                await DemoData.SeedAsync(db);
                // The newest measures (those the warm-up uses) not started: a report kept would start them.
                foreach (var m in await db.Measures.OrderByDescending(m => m.Id).Take(8).ToListAsync()) m.Status = MeasureStatus.NotStarted;
                await db.SaveChangesAsync();
                (reports, events, statuses) = (await db.ProgressReports.CountAsync(), await db.AuditEvents.CountAsync(), await StatusesAsync(db));
            }

            await using var server = ServerProcess.Launch(location.ConnectionString, new Dictionary<string, string> { ["Rectify__WarmUp__Seconds"] = WarmUpSeconds.ToString(CultureInfo.InvariantCulture) });
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            string? warming = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                Assert.False(server.HasExited, server.Output);
                Assert.True(DateTime.UtcNow < deadline, "never ready: " + server.Output);
                HttpResponseMessage r;
                try { r = await http.GetAsync("/health/ready"); }
                catch (HttpRequestException) { await Task.Delay(50); continue; }
                var body = await r.Content.ReadAsStringAsync();
                if (r.StatusCode == HttpStatusCode.OK) break;
                Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode);
                Assert.Contains("\"status\":\"warming\"", body);
                warming = body;
                // Served meanwhile: the liveness check answers.
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
                await Task.Delay(100);
            }
            Assert.NotNull(warming);
            Assert.Contains("正在预热", warming);

            // The log line of the warm-up: every in-process report went the whole way to the writer and was refused there.
            var done = Regex.Match(server.Output, @"(\d+) requests to itself, (\d+) weekly reports in process refused by the writer, (\d+) answered otherwise, the last at ([\d.]+) s, (\d+) batches of reports stored and rolled back, the last at ([\d.]+) s, round figures of (\d+) scopes");
            Assert.True(done.Success, server.Output);
            output.WriteLine(done.Value);
            Assert.True(int.Parse(done.Groups[1].Value) > 0, done.Value);
            Assert.True(int.Parse(done.Groups[2].Value) > 0, done.Value);
            Assert.Equal("0", done.Groups[3].Value);
            Assert.True(int.Parse(done.Groups[5].Value) > 0, done.Value);
            Assert.True(int.Parse(done.Groups[7].Value) >= 2, done.Value); // the administrators and the demo's 巡察办
            // Spread over the warm-up's seconds, not done in its first one: code compiled for speed in stages needs calls
            // until the end, and the compiling needs cores (docs/benchmarks.md, "The warm-up's work spread over its seconds").
            Assert.True(int.Parse(done.Groups[1].Value) <= WarmUp.RequestsPerSecond * WarmUpSeconds + WarmUp.Parallel, done.Value);
            var seconds = double.Parse(done.Groups[4].Value, CultureInfo.InvariantCulture);
            Assert.True(seconds >= 0.8 * WarmUpSeconds, $"the last in-process report at {seconds} s of {WarmUpSeconds}: {done.Value}");
            seconds = double.Parse(done.Groups[6].Value, CultureInfo.InvariantCulture);
            Assert.True(seconds >= 0.8 * WarmUpSeconds, $"the last rehearsed batch at {seconds} s of {WarmUpSeconds}: {done.Value}");

            await using (var db = Database.Open(location))
            {
                Assert.Equal(reports, await db.ProgressReports.CountAsync());
                Assert.Equal(events, await db.AuditEvents.CountAsync());
                Assert.Equal(statuses, await StatusesAsync(db));
            }
        }
        finally { await TestDatabases.DropAsync(location); }
    }

    static async Task<string> StatusesAsync(RectifyDb db) =>
        string.Join(", ", (await db.Measures.OrderBy(m => m.Id).Select(m => new { m.Id, m.Status }).ToListAsync()).Select(m => $"{m.Id}:{m.Status}"));
}
