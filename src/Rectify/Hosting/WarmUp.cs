using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Organisations;
using Rectify.Supervision;

namespace Rectify.Hosting;

/// <summary>
/// A fresh server's first seconds, spent before it calls itself ready. Until then <c>/health/ready</c> answers 503
/// <c>warming</c> (requests are served as always; a load balancer simply sends them elsewhere). A server that has just
/// started compiles its request path under the first load: the code is compiled again, optimised, as it gets hot, and
/// each query is translated once. On two cores taking 800 weekly reports per second that made the first seconds' p99
/// reach hundreds of milliseconds (docs/benchmarks.md, "A warm-up before the server is ready"). For
/// <c>Rectify:WarmUp:Seconds</c> (<c>serve</c>: <see cref="DefaultSeconds"/>; 0: ready at once) it runs, with no
/// credentials and writing nothing:
/// <list type="bullet">
/// <item>requests to itself over loopback: the health check (a database connection each) and the API without a
/// credential (authentication, authorisation, the refusal's ProblemDetails);</item>
/// <item>weekly reports POSTed through the middleware pipeline in process by a 责任人 of no unit that exists only in
/// this process (<see cref="PostsAsync"/>): each is refused as not found inside the group-commit writer's transaction
/// (its lock, its reads, its answer), so nothing is stored and no audit event written;</item>
/// <item>then the round figures of the newest round for the administrators and for each 巡察办's scope, which puts them
/// in the read cache: the first figures read no longer computes them while reports stream in.</item>
/// </list>
/// A failed warm-up is logged and the server reports ready anyway: it only ever makes the first seconds slower.
/// </summary>
public sealed class WarmUp(IServer server, IHostApplicationLifetime life, ServerSettings settings, IHttpContextFactory contexts, ReadCache cache, AuditHeads heads, AccessCache access, IConfiguration config, ILogger<WarmUp> log)
    : BackgroundService
{
    /// <summary>The warm-up of <c>rectify serve</c> unless configured otherwise.</summary>
    public const int DefaultSeconds = 10;

    /// <summary>How many requests or submissions are in flight at once during the warm-up.</summary>
    const int Parallel = 16;

    /// <summary>The most reports of the warm-up: under the default write limit per user and minute, so that none is refused
    /// by the rate limiter before it reaches the writer.</summary>
    const int MostReports = RateLimits.DefaultWritesPerMinute - 200;

    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    readonly DatabaseLocation location = settings.Database;

    public int Seconds { get; } = Math.Max(0, config.GetValue<int?>("Rectify:WarmUp:Seconds") ?? settings.WarmUpSeconds);

    /// <summary>True once the warm-up has ended (at once when it is off).</summary>
    public bool Done => Seconds == 0 || _done.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (Seconds == 0) return;
        try
        {
            await WhenStartedAsync(ct);
            var started = Stopwatch.GetTimestamp();
            var until = DateTime.UtcNow.AddSeconds(Seconds);
            var (inspection, measures) = await TargetsAsync(ct);
            var requests = RequestsAsync(inspection, until, ct);
            var posts = PostsAsync(measures, until, MostReports, ct);
            await Task.WhenAll(requests, posts);
            var rounds = await FiguresAsync(ct);
            var (refused, other) = await posts;
            log.LogInformation("Warm-up done in {Seconds:F1} s ({Requests} requests to itself, {Refused} weekly reports in process refused as not found, {Other} answered otherwise, round figures of {Rounds} scopes); ready",
                Stopwatch.GetElapsedTime(started).TotalSeconds, await requests, refused, other, rounds);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "The warm-up failed; the server reports ready without it");
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    async Task WhenStartedAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = life.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(ct);
    }

    /// <summary>An inspection for the API requests, and the newest measures for the refused reports.</summary>
    async Task<(long Inspection, long[] Measures)> TargetsAsync(CancellationToken ct)
    {
        await using var db = Database.Open(location, CallerScope.System);
        var inspection = await db.Inspections.OrderByDescending(i => i.Id).Select(i => i.Id).FirstOrDefaultAsync(ct);
        var measures = await db.Measures.OrderByDescending(m => m.Id).Select(m => m.Id).Take(Parallel * 4).ToArrayAsync(ct);
        return (inspection, measures);
    }

    /// <summary>
    /// Requests to the server's own plain-HTTP address (none under a test host or with HTTPS only: skipped), none with
    /// a valid credential and none that writes; the number answered.
    /// </summary>
    async Task<int> RequestsAsync(long inspection, DateTime until, CancellationToken ct)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => Uri.TryCreate(a.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var u) ? u : null)
            .FirstOrDefault(u => u?.Scheme == Uri.UriSchemeHttp);
        if (address is null) return 0;
        var host = address.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : address.Host;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = Parallel })
        {
            BaseAddress = new UriBuilder(address) { Host = host, Path = "/" }.Uri,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var answered = 0;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async worker =>
        {
            while (DateTime.UtcNow < until && !ct.IsCancellationRequested)
            {
                // No credential: the API answers 401 after authentication and authorisation (an invalid bearer token
                // would log two lines per request).
                using var request = new HttpRequestMessage(HttpMethod.Get, worker % 4 == 0 ? "health" : $"api/inspections/{inspection}/ledger");
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.CopyToAsync(Stream.Null, ct);
                    Interlocked.Increment(ref answered);
                }
                catch (HttpRequestException) { await Task.Delay(100, ct); }
            }
        }));
        return answered;
    }

    /// <summary>
    /// The rest of the middleware pipeline from its first middleware (<see cref="Capture"/>), for the in-process reports
    /// of <see cref="PostsAsync"/>.
    /// </summary>
    RequestDelegate? _pipeline;

    /// <summary>The first middleware: keeps the pipeline after it and adds nothing to a request.</summary>
    public RequestDelegate Capture(RequestDelegate next) => _pipeline = next;

    /// <summary>
    /// Who the in-process reports come from: a 责任人 of no unit, known only inside this process (no credential names it,
    /// no request from outside can carry it), so the writer refuses each report as not found and stores nothing. Its own
    /// rate-limit partition (user 0).
    /// </summary>
    static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, "0"), new Claim(ClaimTypes.Name, "预热"), new Claim(ClaimTypes.Role, User.RoleCode(Role.Owner))],
        Authentication.Token, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>
    /// Weekly reports POSTed through the whole middleware pipeline in process (no socket: the rest of it runs as for a
    /// client's report — JSON body, rate limit, authorisation, binding, the group-commit writer's transaction, the
    /// ProblemDetails answer), at most <paramref name="most"/>; how many were refused as not found (by the writer), and
    /// how many answered otherwise (none should).
    /// </summary>
    async Task<(int Refused, int Other)> PostsAsync(long[] measures, DateTime until, int most, CancellationToken ct)
    {
        if (_pipeline is not { } pipeline || measures.Length == 0) return (0, 0);
        var body = Encoding.UTF8.GetBytes("""{"done":"预热","percent":0}""");
        int sent = 0, refused = 0, other = 0;
        await Task.WhenAll(Enumerable.Range(0, Parallel).Select(async _ =>
        {
            int n;
            while (DateTime.UtcNow < until && !ct.IsCancellationRequested && (n = Interlocked.Increment(ref sent)) <= most)
            {
                var request = new HttpRequestFeature
                {
                    Method = HttpMethods.Post, Scheme = "http", Protocol = "HTTP/1.1", Path = $"/api/measures/{measures[n % measures.Length]}/reports",
                    Body = new MemoryStream(body, writable: false),
                };
                request.Headers.Host = "localhost";
                request.Headers.ContentType = "application/json";
                request.Headers.ContentLength = body.Length;
                var features = new FeatureCollection();
                features.Set<IHttpRequestFeature>(request);
                features.Set<IHttpResponseFeature>(new HttpResponseFeature());
                features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
                features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = IPAddress.Loopback, LocalIpAddress = IPAddress.Loopback });
                var http = contexts.Create(features);
                http.User = Nobody;
                try
                {
                    await pipeline(http);
                    Interlocked.Increment(ref http.Response.StatusCode == StatusCodes.Status404NotFound ? ref refused : ref other);
                }
                finally { contexts.Dispose(http); }
            }
        }));
        return (refused, other);
    }

    /// <summary>The newest round's figures for every administrator (one scope) and each 巡察办's scope, into the read cache.</summary>
    async Task<int> FiguresAsync(CancellationToken ct)
    {
        await using var all = Database.Open(location, CallerScope.System);
        var offices = await all.Organisations.Where(o => o.Kind == OrganisationKind.Office).Select(o => o.Id).ToListAsync(ct);
        var scopes = new List<CallerScope> { CallerScope.System };
        scopes.AddRange(offices.Select(o => new CallerScope(false, [.. access.UnitsOfOffice(o).Distinct()], [o], null, "预热", Role.Office)));
        var warmed = 0;
        foreach (var scope in scopes)
        {
            await using var db = Database.Open(location, scope);
            if (await db.Rounds.OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct) is not { } round) continue;
            await SupervisionApi.WarmFiguresAsync(db, cache, heads, round, ct);
            warmed++;
        }
        return warmed;
    }
}
