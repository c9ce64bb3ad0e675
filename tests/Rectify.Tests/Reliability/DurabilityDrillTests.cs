using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Audit;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Tests.Support;
using Xunit.Abstractions;

namespace Rectify.Tests.Reliability;

/// <summary>
/// The durability drill on the real executable: sustained writes, SIGKILL in the middle, restart, count. The CI
/// version runs a few seconds with one kill; bench/drills/durability.sh runs it longer with more kills
/// (RECTIFY_DRILL_SECONDS, RECTIFY_DRILL_KILLS) and appends the result line to RECTIFY_DRILL_REPORT.
/// </summary>
public class DurabilityDrillTests(ITestOutputHelper output)
{
    public static TheoryData<string> Providers => TestDatabases.Providers;
    const int Writers = 4, MinAcks = 25;

    [Theory, MemberData(nameof(Providers))]
    public async Task Sigkill_DuringSustainedWrites_EveryAcknowledgedWriteStoredExactlyOnce(string provider)
    {
        var seconds = double.Parse(Environment.GetEnvironmentVariable("RECTIFY_DRILL_SECONDS") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var kills = int.Parse(Environment.GetEnvironmentVariable("RECTIFY_DRILL_KILLS") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        var location = await TestDatabases.CreateAsync(provider);
        try
        {
            var (inspectionId, token) = await SeedAsync(location);
            var acknowledged = new ConcurrentBag<string>();
            var attempted = new ConcurrentBag<string>();
            var refused = new ConcurrentBag<string>();
            long unanswered = 0;

            for (int cycle = 0; cycle < kills; cycle++)
            {
                await using var server = await ServerProcess.StartAsync(location.ConnectionString);
                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var stop = new CancellationTokenSource();
                var c = cycle;
                var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
                {
                    for (int n = 0; !stop.IsCancellationRequested; n++)
                    {
                        var title = $"drill-{c}-{writer}-{n}";
                        attempted.Add(title);
                        try
                        {
                            var r = await http.PostJson($"/api/inspections/{inspectionId}/categories", new { title });
                            if (r.StatusCode == HttpStatusCode.Created) acknowledged.Add(title);
                            else refused.Add($"{title}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                        {
                            // The server died under this request: no answer, so no promise was made.
                            Interlocked.Increment(ref unanswered);
                            return;
                        }
                    }
                })).ToList();
                // Run for the drill's time and until this cycle has at least MinAcks answers (a loaded CI machine is
                // slow), then SIGKILL while the writers are mid-request.
                var before = acknowledged.Count;
                var began = Stopwatch.StartNew();
                while (began.Elapsed < TimeSpan.FromSeconds(seconds) || (acknowledged.Count - before < MinAcks && began.Elapsed < TimeSpan.FromSeconds(120)))
                    await Task.Delay(50);
                server.Kill();
                stop.Cancel();
                await Task.WhenAll(writers);
            }

            // Restart: `serve` verifies the audit chain and refuses to start on a broken one.
            await using (var again = await ServerProcess.StartAsync(location.ConnectionString))
            {
                using var http = new HttpClient { BaseAddress = again.BaseAddress };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                Assert.Equal(HttpStatusCode.Created, (await http.PostJson($"/api/inspections/{inspectionId}/categories", new { title = "drill-after" })).StatusCode);
                again.Terminate();
                Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            await using var db = Database.Open(location);
            var stored = await db.Categories.Where(x => x.InspectionId == inspectionId && x.Title.StartsWith("drill-") && x.Title != "drill-after")
                .Select(x => x.Title).ToListAsync();
            var storedSet = stored.ToHashSet();
            var lost = acknowledged.Where(t => !storedSet.Contains(t)).ToList();
            var twice = stored.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            var audit = await AuditChain.VerifyAsync(db);
            var line = $"durability {provider}: {kills} SIGKILL(s) over {kills * seconds:0.#} s, {Writers} writers — attempted {attempted.Count}, " +
                       $"acknowledged {acknowledged.Count}, stored {stored.Count} (acknowledged and stored {acknowledged.Count - lost.Count}, " +
                       $"stored without answer {stored.Count - (acknowledged.Count - lost.Count)}, unanswered {unanswered}), lost {lost.Count}, " +
                       $"stored twice {twice.Count}, refused {refused.Count}, audit chain {(audit.Ok ? "valid" : "BROKEN")} ({audit.EventsChecked} events)";
            output.WriteLine(line);
            if (Environment.GetEnvironmentVariable("RECTIFY_DRILL_REPORT") is { Length: > 0 } report)
                await File.AppendAllTextAsync(report, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm}Z {line}\n");

            Assert.True(acknowledged.Count >= MinAcks * kills, line);
            Assert.Empty(lost);
            Assert.Empty(twice);
            Assert.Empty(refused);
            Assert.True(stored.All(attempted.Contains), "a stored row nobody sent");
            Assert.True(audit.Ok, audit.Problem);
        }
        finally { await TestDatabases.DropAsync(location); }
    }

    /// <summary>
    /// Weekly reports with idempotency keys: several clients submit back to back, each with a fresh key per report; the
    /// server is SIGKILLed mid-stream; after the restart every client resends its unanswered report with the same key
    /// (what the web page and API clients do). Then every report a client sent is stored exactly once, and every answer
    /// the clients got (201 first time, 200 for a resend that had been stored) names a stored report.
    /// </summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task Sigkill_DuringReportSubmissionsWithIdempotencyKeys_ResentAfterRestart_EachStoredOnce(string provider)
    {
        var seconds = double.Parse(Environment.GetEnvironmentVariable("RECTIFY_DRILL_SECONDS") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
        var kills = int.Parse(Environment.GetEnvironmentVariable("RECTIFY_DRILL_KILLS") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        var location = await TestDatabases.CreateAsync(provider);
        try
        {
            var (inspectionId, token) = await SeedAsync(location);
            var measures = await SeedMeasuresAsync(location, inspectionId, Writers);
            var acknowledged = new ConcurrentDictionary<string, long>(); // key → report id in the answer
            var attempted = new ConcurrentDictionary<string, int>();
            var refused = new ConcurrentBag<string>();
            var pending = new string?[Writers]; // the report each client sent without getting an answer
            int resent = 0, resentStoredBefore = 0, cutOff = 0;

            async Task<bool> SendAsync(HttpClient http, int writer, string key)
            {
                attempted.AddOrUpdate(key, 1, (_, n) => n + 1);
                var request = new HttpRequestMessage(HttpMethod.Post, $"/api/measures/{measures[writer]}/reports")
                {
                    Content = new StringContent($"{{\"done\":\"演练汇报 {key}\",\"percent\":50}}", Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("Idempotency-Key", key);
                try
                {
                    var r = await http.SendAsync(request);
                    var body = await r.Content.ReadAsStringAsync();
                    if (r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        var id = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
                        if (acknowledged.TryGetValue(key, out var earlier) && earlier != id) refused.Add($"{key}: two answers name reports {earlier} and {id}");
                        acknowledged[key] = id;
                        if (r.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref resentStoredBefore);
                        pending[writer] = null;
                    }
                    else { refused.Add($"{key}: {(int)r.StatusCode} {body}"); pending[writer] = null; }
                    return true;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    pending[writer] = key; // no answer: resend the same key after the restart
                    Interlocked.Increment(ref cutOff);
                    return false;
                }
            }

            for (int cycle = 0; cycle <= kills; cycle++)
            {
                await using var server = await ServerProcess.StartAsync(location.ConnectionString);
                using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                // First the resends of what the last kill cut off.
                for (int writer = 0; writer < Writers; writer++)
                    if (pending[writer] is { } key) { Interlocked.Increment(ref resent); Assert.True(await SendAsync(http, writer, key), "resend after restart got no answer"); }
                if (cycle == kills) { server.Terminate(); Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30))); break; }

                using var stop = new CancellationTokenSource();
                var c = cycle;
                var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
                {
                    for (int n = 0; !stop.IsCancellationRequested; n++)
                        if (!await SendAsync(http, writer, $"r{c}-{writer}-{n}")) return;
                })).ToList();
                var before = acknowledged.Count;
                var began = Stopwatch.StartNew();
                while (began.Elapsed < TimeSpan.FromSeconds(seconds) || (acknowledged.Count - before < MinAcks && began.Elapsed < TimeSpan.FromSeconds(120)))
                    await Task.Delay(50);
                server.Kill();
                stop.Cancel();
                await Task.WhenAll(writers);
            }

            await using var db = Database.Open(location);
            var stored = await db.ProgressReports.Where(r => r.IdempotencyKey != null && r.IdempotencyKey.StartsWith("r"))
                .Select(r => new { r.Id, r.IdempotencyKey, r.Done }).ToListAsync();
            var byKey = stored.GroupBy(r => r.IdempotencyKey!).ToDictionary(g => g.Key, g => g.ToList());
            var lost = acknowledged.Where(a => !byKey.TryGetValue(a.Key, out var rows) || rows.All(r => r.Id != a.Value)).Select(a => a.Key).ToList();
            var twice = byKey.Where(g => g.Value.Count > 1).Select(g => g.Key).ToList();
            var unsent = stored.Where(r => !attempted.ContainsKey(r.IdempotencyKey!)).ToList();
            var wrongText = stored.Where(r => r.Done != $"演练汇报 {r.IdempotencyKey}").ToList();
            var audit = await AuditChain.VerifyAsync(db);
            var line = $"report durability {provider}: {kills} SIGKILL(s) over {kills * seconds:0.#} s, {Writers} clients with idempotency keys — " +
                       $"sent {attempted.Count} reports ({attempted.Values.Sum()} requests), acknowledged {acknowledged.Count}, stored {stored.Count}, " +
                       $"cut off by a kill {cutOff}, resent after restart {resent} (of which already stored {resentStoredBefore}), lost {lost.Count}, " +
                       $"stored twice {twice.Count}, refused {refused.Count}, audit chain {(audit.Ok ? "valid" : "BROKEN")} ({audit.EventsChecked} events)";
            output.WriteLine(line);
            if (Environment.GetEnvironmentVariable("RECTIFY_DRILL_REPORT") is { Length: > 0 } report)
                await File.AppendAllTextAsync(report, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm}Z {line}\n");

            Assert.True(acknowledged.Count >= MinAcks * kills, line);
            Assert.Empty(refused);
            Assert.Empty(lost);
            Assert.Empty(twice);
            Assert.Empty(unsent);
            Assert.Empty(wrongText);
            // Every report sent was answered in the end (resends included), so acknowledged == stored, key by key.
            Assert.Equal(attempted.Keys.Order(), acknowledged.Keys.Order());
            Assert.Equal(acknowledged.Keys.Order(), byKey.Keys.Order());
            Assert.True(audit.Ok, audit.Problem);
        }
        finally { await TestDatabases.DropAsync(location); }
    }

    /// <summary>One measure per client (reports of one measure update it, so parallel reports on one measure would conflict).</summary>
    static async Task<long[]> SeedMeasuresAsync(DatabaseLocation location, long inspectionId, int count)
    {
        await using var db = Database.Open(location);
        var inspection = await db.Inspections.SingleAsync(i => i.Id == inspectionId);
        var category = new Category { InspectionId = inspectionId, UnitId = inspection.UnitId, Ordinal = 1, Title = "政治建设重视不够" };
        var problem = new Problem { InspectionId = inspectionId, UnitId = inspection.UnitId, Ordinal = 1, Title = "学习贯彻不深入" };
        var measures = Enumerable.Range(1, count).Select(i => new Measure
        {
            InspectionId = inspectionId, UnitId = inspection.UnitId, Ordinal = i, Text = $"措施{i}", Status = MeasureStatus.InProgress,
        }).ToList();
        problem.Measures.AddRange(measures);
        category.Problems.Add(problem);
        db.Categories.Add(category);
        await db.SaveChangesAsync();
        return [.. measures.Select(m => m.Id)];
    }

    /// <summary>SIGTERM (systemd stop) while a request is still being uploaded: the request completes, then the process exits 0.</summary>
    [Fact]
    public async Task Sigterm_DuringSlowRequest_RequestFinishesThenCleanExit()
    {
        var location = await TestDatabases.CreateAsync("sqlite");
        try
        {
            var (inspectionId, token) = await SeedAsync(location);
            await using var server = await ServerProcess.StartAsync(location.ConnectionString, "--log-format", "json");
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var release = new TaskCompletionSource();
            var body = new SlowContent("{\"title\":\"", "停机时仍在上传的类别\"}", release.Task);
            var request = http.PostAsync($"/api/inspections/{inspectionId}/categories", body);
            await body.FirstPartSent;
            await Task.Delay(500);

            var watch = Stopwatch.StartNew();
            server.Terminate();
            await Task.Delay(3500); // longer than System.CommandLine's default 2 s termination grace

            Assert.False(server.HasExited, "the server quit with a request in flight: " + server.Output);
            release.SetResult();

            var response = await request;
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            output.WriteLine($"graceful shutdown: in-flight request answered {(int)response.StatusCode}, exit 0 after {watch.ElapsedMilliseconds} ms");
            // Structured logs: one JSON object per line.
            Assert.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\"", server.Output);
            await using var db = Database.Open(location);
            Assert.True(await db.Categories.AnyAsync(c => c.Title == "停机时仍在上传的类别"));
        }
        finally { await TestDatabases.DropAsync(location); }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Ready_MigratedDatabase_Ready(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var r = await app.Anonymous().GetAsync("/health/ready");
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("\"status\":\"ready\"", body);
        await using var db = app.Open();
        Assert.Contains(db.Database.GetMigrations().Last(), body); // the newest migration is applied
    }

    /// <summary>A unit with one inspection and a unit_admin with a bearer token, written straight into the database.</summary>
    internal static async Task<(long InspectionId, string Token)> SeedAsync(DatabaseLocation location)
    {
        await using var db = Database.Open(location);
        var office = new Organisation { Kind = OrganisationKind.Office, Name = "区委巡察办" };
        db.Organisations.Add(office);
        await db.SaveChangesAsync();
        var unit = new Organisation { Kind = OrganisationKind.Unit, Name = "区教育体育局", ParentId = office.Id };
        db.Organisations.Add(unit);
        await db.SaveChangesAsync();
        var inspection = new Inspection { UnitId = unit.Id, Team = "区委第一巡察组" };
        db.Inspections.Add(inspection);
        await db.SaveChangesAsync();
        var user = await Users.AddAsync(db, "drill", Role.UnitAdmin, TestApp.Password, unit.Id, null);
        var token = Authentication.NewToken();
        db.ApiTokens.Add(new ApiToken { UserId = user.Id, Name = "drill", TokenHash = Authentication.HashToken(token), CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return (inspection.Id, token);
    }

    /// <summary>A chunked JSON body whose second half is sent only when released.</summary>
    sealed class SlowContent : HttpContent
    {
        readonly string _first, _rest;
        readonly Task _released;

        public SlowContent(string first, string rest, Task released)
        {
            (_first, _rest, _released) = (first, rest, released);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Task FirstPartSent => _sent.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(_first));
            await stream.FlushAsync();
            _sent.SetResult();
            await _released;
            await stream.WriteAsync(Encoding.UTF8.GetBytes(_rest));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
