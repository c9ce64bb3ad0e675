using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Tests.Support;
using Xunit.Abstractions;

namespace Rectify.Tests.Reliability;

/// <summary>
/// Many clients edit the same measure at once, each reading its version and writing with it: every answer is 200,
/// 409 or 400, never 500; nothing is lost (the final row is the last successful write and its version counts every
/// success); the audit chain holds one event per success and stays valid.
/// </summary>
public class ConcurrencyDrillTests(ITestOutputHelper output)
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task SameMeasure_ManyEditorsAtOnce_NoLostUpdateNo500(string provider)
    {
        const int clients = 8, rounds = 12;
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var url = $"/api/measures/{w.A.MeasureId}";
        var editors = new List<HttpClient>();
        for (int i = 0; i < clients; i++) editors.Add(await app.ClientFor("unit_admin-a")); // each its own session (token)

        var statuses = new ConcurrentBag<int>();
        var successes = new ConcurrentBag<(int Version, string Remarks)>();
        var unexpected = new ConcurrentBag<string>();
        using var start = new SemaphoreSlim(0);
        var tasks = editors.Select((c, k) => Task.Run(async () =>
        {
            await start.WaitAsync();
            for (int n = 0; n < rounds; n++)
            {
                var read = JsonDocument.Parse(await c.GetStringAsync(url)).RootElement;
                var version = read.GetProperty("version").GetInt32();
                var remarks = $"客户端{k}第{n}次";
                // Every fifth write is invalid on purpose (remarks too long): it must be a 400 that changes nothing.
                object body = n % 5 == 4 ? new { remarks = new string('长', 5001), version } : new { remarks, deadline = $"2022-{7 + k % 5:00}-{1 + n:00}", version };
                var r = await c.PutJson(url, body);
                statuses.Add((int)r.StatusCode);
                var text = await r.Content.ReadAsStringAsync();
                if (r.StatusCode == HttpStatusCode.OK) successes.Add((JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt32(), remarks));
                else if (r.StatusCode is not (HttpStatusCode.Conflict or HttpStatusCode.BadRequest)) unexpected.Add($"{(int)r.StatusCode}: {text}");
                else if (r.StatusCode == HttpStatusCode.BadRequest && n % 5 != 4) unexpected.Add("400 for a valid body: " + text);
            }
        })).ToList();
        start.Release(editors.Count);
        await Task.WhenAll(tasks);

        var byStatus = statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}");
        output.WriteLine($"concurrency {provider}: {editors.Count} clients × {rounds} edits of one measure — {string.Join(", ", byStatus)}");
        Assert.Empty(unexpected);
        Assert.NotEmpty(successes);
        Assert.Contains(409, statuses);

        await using var db = app.Open();
        var m = await db.Measures.AsNoTracking().SingleAsync(x => x.Id == w.A.MeasureId);
        // No lost update: versions of successes are 2, 3, … without gaps or repeats, and the row is the last of them.
        Assert.Equal(Enumerable.Range(2, successes.Count), successes.Select(s => s.Version).Order());
        Assert.Equal(1 + successes.Count, m.Version);
        Assert.Equal(successes.MaxBy(s => s.Version).Remarks, m.Remarks);
        var events = await db.AuditEvents.CountAsync(e => e.EntityType == "Measure" && e.EntityId == w.A.MeasureId && e.Action == "updated");
        Assert.Equal(successes.Count, events);
        var chain = await AuditChain.VerifyAsync(db);
        Assert.True(chain.Ok, chain.Problem);
    }
}
