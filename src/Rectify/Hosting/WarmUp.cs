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
using Rectify.Core.Workflow;
using Rectify.Supervision;

namespace Rectify.Hosting;

/// <summary>
/// A fresh server's first seconds, spent before it calls itself ready. Until then <c>/health/ready</c> answers 503
/// <c>warming</c> (requests are served as always; a load balancer simply sends them elsewhere). A server that has just
/// started compiles its request path under the first load: the code is compiled again, optimised, as it gets hot, and
/// each query is translated once. On two cores taking 800 weekly reports per second that made the first seconds' p99
/// reach hundreds of milliseconds (docs/benchmarks.md, "A warm-up before the server is ready"). For
/// <c>Rectify:WarmUp:Seconds</c> (<c>serve</c>: <see cref="DefaultSeconds"/>; 0: ready at once) it runs, with no
/// credentials and keeping nothing:
/// <list type="bullet">
/// <item>requests to itself over loopback: the health check (a database connection each), the API without a
/// credential (authentication, authorisation, the refusal's ProblemDetails) and a JSON body where none is taken (a 405:
/// the server's framing and draining of a request body on the socket);</item>
/// <item>weekly reports POSTed through the middleware pipeline in process by a 责任人 of no unit who exists only in
/// this process (<see cref="PostsAsync"/>): each reaches the report endpoint and is refused as not found inside the
/// group-commit writer's transaction (its lock, its reads, its answer), before anything is written;</item>
/// <item>the writer's storing, which those never reach: batches of reports with their audit events saved in a
/// transaction that is then rolled back (<see cref="ReportWriter.RehearseAsync"/>);</item>
/// <item>then the round figures of the newest round for the administrators and for each 巡察办's scope, which puts them
/// in the read cache: the first figures read no longer computes them while reports stream in.</item>
/// </list>
/// The requests, reports and batches are paced evenly over the seconds (<see cref="PacedAsync"/>). It ends after at most
/// <see cref="MostSecondsPerSecond"/> × Seconds even if a part is slow (a lock held by another server); a failed or
/// cut-short warm-up is logged and the server reports ready anyway: it only ever makes the first seconds slower.
/// </summary>
public sealed class WarmUp(IServer server, IHostApplicationLifetime life, ServerSettings settings, IHttpContextFactory contexts,
    IServiceScopeFactory scopes, ReportWriter writer, ReadCache cache, AuditHeads heads, AccessCache access, IConfiguration config, ILogger<WarmUp> log)
    : BackgroundService
{
    /// <summary>The warm-up of <c>rectify serve</c> unless configured otherwise.</summary>
    public const int DefaultSeconds = 20;

    /// <summary>The whole warm-up, figures included, ends after at most this many times <see cref="Seconds"/>.</summary>
    const int MostSecondsPerSecond = 3;

    /// <summary>How many requests or submissions of each kind are in flight at once during the warm-up.</summary>
    public const int Parallel = 8;

    /// <summary>The most reports of the warm-up: under the default write limit per user and minute (and under a lower
    /// configured one: <see cref="PostsAsync"/>), so that none is refused by the rate limiter before it reaches the writer.</summary>
    const int MostReports = RateLimits.DefaultWritesPerMinute - 200;

    /// <summary>The most rehearsed batches (<see cref="RehearseAsync"/>): enough for the code to be compiled for speed.</summary>
    const int MostBatches = 200;

    /// <summary>The requests to itself per second, all workers together: enough for the code to be compiled for speed,
    /// few enough to leave the cores to that compilation and to the rest of the warm-up.</summary>
    public const int RequestsPerSecond = 400;

    /// <summary>The body of the warm-up's weekly reports.</summary>
    static readonly byte[] ReportBody = Encoding.UTF8.GetBytes("""{"done":"预热","percent":0}""");

    /// <summary>The route of weekly reports: a warm-up report that answered from elsewhere did not warm it.</summary>
    const string ReportRoute = "/api" + Workflow.WorkflowApi.ReportsRoute;

    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    readonly DatabaseLocation location = settings.Database;

    public int Seconds { get; } = Math.Max(0, config.GetValue<int?>("Rectify:WarmUp:Seconds") ?? settings.WarmUpSeconds);

    /// <summary>True once the warm-up has ended (at once when it is off).</summary>
    public bool Done => Seconds == 0 || _done.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (Seconds == 0) return;
        try
        {
            await WhenStartedAsync(stopping);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            limit.CancelAfter(TimeSpan.FromSeconds(Seconds * MostSecondsPerSecond));
            var ct = limit.Token;
            var started = Stopwatch.GetTimestamp();
            var from = Environment.TickCount64;
            var until = from + Seconds * 1000L;
            var targets = await TargetsAsync(ct);
            var requests = RequestsAsync(targets.Inspection, from, until, ct);
            var posts = PostsAsync(targets.Measures, from, until, ct);
            var rehearsed = RehearseAsync(targets, from, until, ct);
            await Task.WhenAll(requests, posts, rehearsed);
            var rounds = cache.Enabled ? await FiguresAsync(targets.Offices, ct) : 0;
            var (refused, other, lastPost) = await posts;
            var (batches, lastBatch) = await rehearsed;
            log.LogInformation("Warm-up done in {Seconds:F1} s ({Requests} requests to itself, {Refused} weekly reports in process refused by the writer, {Other} answered otherwise, the last at {LastPost:F1} s, {Batches} batches of reports stored and rolled back, the last at {LastBatch:F1} s, round figures of {Rounds} scopes); ready",
                Stopwatch.GetElapsedTime(started).TotalSeconds, await requests, refused, other, Since(from, lastPost), batches, Since(from, lastBatch), rounds);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
        catch (Exception e)
        {
            log.LogWarning(e, "The warm-up failed or took too long; the server reports ready without it");
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

    /// <summary>
    /// What the warm-up works on, read once: an inspection for the API requests, the newest measures for the reports, a
    /// user to author the rehearsed ones (none: no rehearsal), and the 巡察办s whose figures it computes.
    /// </summary>
    sealed record Targets(long Inspection, long[] Measures, long? Author, List<long> Offices);

    async Task<Targets> TargetsAsync(CancellationToken ct)
    {
        await using var db = Database.Open(location, CallerScope.System);
        return new Targets(
            await db.Inspections.OrderByDescending(i => i.Id).Select(i => i.Id).FirstOrDefaultAsync(ct),
            await db.Measures.OrderByDescending(m => m.Id).Select(m => m.Id).Take(Parallel * 4).ToArrayAsync(ct),
            await db.Users.OrderBy(u => u.Id).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct),
            await db.Organisations.Where(o => o.Kind == OrganisationKind.Office).Select(o => o.Id).ToListAsync(ct));
    }

    /// <summary>
    /// Requests to the server's own plain-HTTP address (none under a test host, on a Unix socket or with HTTPS only:
    /// skipped), none with a credential and none that writes; the number answered.
    /// </summary>
    async Task<int> RequestsAsync(long inspection, long from, long until, CancellationToken ct)
    {
        if (OwnAddress() is not { } address) return 0;
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = Parallel })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var answered = 0;
        await PacedAsync(Parallel, int.MaxValue, RequestsPerSecond, from, until, async (_, worker) =>
        {
            // No credential: the API answers 401 after authentication and authorisation (an invalid bearer token
            // would log two lines per request). A body sent where no endpoint takes one (a 405 outside the API,
            // which the write limit does not count): the server frames it and drains it from the socket.
            using var request = (worker % 4) switch
            {
                0 => new HttpRequestMessage(HttpMethod.Get, "health"),
                1 => new HttpRequestMessage(HttpMethod.Post, "health") { Content = new ByteArrayContent(ReportBody) { Headers = { ContentType = new("application/json") } } },
                _ => new HttpRequestMessage(HttpMethod.Get, $"api/inspections/{inspection}/ledger"),
            };
            try
            {
                using var response = await http.SendAsync(request, ct);
                await response.Content.CopyToAsync(Stream.Null, ct);
                Interlocked.Increment(ref answered);
            }
            // Refused, or slower than the client's timeout: a pause, then on.
            catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                await Task.Delay(100, ct);
            }
        }, ct);
        return answered;
    }

    /// <summary>Seconds from <paramref name="from"/> to <paramref name="at"/> (ticks of <see cref="Environment.TickCount64"/>;
    /// 0 when nothing of that kind ran, as the log's counts then say).</summary>
    static double Since(long from, long at) => at == 0 ? 0 : (at - from) / 1000.0;

    /// <summary>
    /// Runs <paramref name="item"/> (its number from 1, the worker's from 0) on <paramref name="workers"/> workers until
    /// <paramref name="until"/> or <paramref name="most"/> items, the nth not before it is due at
    /// <paramref name="perSecond"/> from <paramref name="from"/>. Each kind of work is spread over the whole warm-up
    /// instead of done in its first seconds: the runtime compiles a hot method for speed in stages (first with counters of how it runs, then with
    /// what they counted), each after the method has been called some more; work that ends early leaves its code
    /// half-way, finished by the first real traffic (seen as 250–510 ms of compiling per second in the first 9 s of 800
    /// reports/s; docs/benchmarks.md, "The warm-up's work spread over its seconds").
    /// </summary>
    /// <returns>When the last item ended (ticks of <see cref="Environment.TickCount64"/>; 0: none ran).</returns>
    static async Task<long> PacedAsync(int workers, int most, double perSecond, long from, long until, Func<int, int, Task> item, CancellationToken ct)
    {
        int sent = 0;
        long last = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
        {
            int n;
            while (Environment.TickCount64 < until && !ct.IsCancellationRequested && (n = Interlocked.Increment(ref sent)) <= most)
            {
                var wait = from + (long)((n - 1) * 1000.0 / perSecond) - Environment.TickCount64;
                if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(wait), ct);
                await item(n, worker);
                Interlocked.Exchange(ref last, Environment.TickCount64);
            }
        }));
        return last;
    }

    /// <summary>The server's first plain-HTTP address, a wildcard one as loopback (IPv4 or IPv6 as it listens).</summary>
    Uri? OwnAddress()
    {
        foreach (var text in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var u) || u.Scheme != Uri.UriSchemeHttp || u.Host == "unix") continue;
            var host = u.Host switch { "0.0.0.0" => "127.0.0.1", "[::]" => "[::1]", var h => h };
            return new UriBuilder(u) { Host = host, Path = "/" }.Uri;
        }
        return null;
    }

    /// <summary>
    /// The rest of the middleware pipeline from its first middleware (<see cref="Capture"/>), for the in-process reports
    /// of <see cref="PostsAsync"/>.
    /// </summary>
    RequestDelegate? _pipeline;

    /// <summary>The first middleware: keeps the pipeline after it and adds nothing to a request. Routing must come
    /// right after it (RectifyServer), or the requests it starts would find no endpoint.</summary>
    public RequestDelegate Capture(RequestDelegate next) => _pipeline = next;

    /// <summary>
    /// Who the in-process reports come from: a 责任人 of no unit, known only inside this process (no credential names it:
    /// every principal from outside is built from a stored user, whose ids start at 1), so the writer refuses each report
    /// as not found, before any write. Its own rate-limit partition (user 0).
    /// </summary>
    static ClaimsPrincipal Nobody(Role role, long? office = null) =>
        Authentication.Principal(new User { Id = 0, UserName = "预热", Role = role, OfficeId = office, SecurityStamp = "" }, Authentication.Token);

    /// <summary>
    /// Weekly reports POSTed through the middleware pipeline in process (no socket: the rest of it runs as for a
    /// client's report — JSON body, rate limit, routing, authorisation, binding, the group-commit writer's transaction,
    /// the ProblemDetails answer), at most <see cref="MostReports"/> spread over the warm-up's seconds; how many the writer
    /// refused as not found (the report endpoint's 404 naming the measure), how many answered otherwise (none should), and
    /// when the last one was answered.
    /// </summary>
    async Task<(int Refused, int Other, long Last)> PostsAsync(long[] measures, long from, long until, CancellationToken ct)
    {
        if (_pipeline is not { } pipeline || measures.Length == 0) return (0, 0, 0);
        // Under the write limit per user and minute (lowered in configuration too), so that none is refused by it.
        var limit = RateLimits.WritesPerMinute(config);
        var most = limit > 0 ? Math.Min(MostReports, limit * 5 / 6) : MostReports;
        int refused = 0, other = 0;
        var last = await PacedAsync(Parallel, most, most / (double)Seconds, from, until, async (n, _) =>
        {
            var request = new HttpRequestFeature
            {
                Method = HttpMethods.Post, Scheme = "http", Protocol = "HTTP/1.1", Path = $"/api/measures/{measures[n % measures.Length]}/reports",
                Body = new MemoryStream(ReportBody, writable: false),
            };
            request.Headers.Host = "localhost";
            request.Headers.ContentType = "application/json";
            request.Headers.ContentLength = ReportBody.Length;
            using var answer = new MemoryStream();
            // The request's services from a scope of our own, disposed here (the host would dispose its own after the
            // response, through callbacks that a bare response feature never runs).
            await using var services = scopes.CreateAsyncScope();
            var features = new FeatureCollection();
            features.Set<IHttpRequestFeature>(request);
            features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
            features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = ct });
            features.Set<IHttpResponseFeature>(new HttpResponseFeature());
            features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(answer));
            features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = services.ServiceProvider });
            features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = IPAddress.Loopback, LocalIpAddress = IPAddress.Loopback });
            var http = contexts.Create(features);
            http.User = Nobody(Role.Owner);
            try
            {
                await pipeline(http);
                var byWriter = http.Response.StatusCode == StatusCodes.Status404NotFound
                               && (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText == ReportRoute
                               && Encoding.UTF8.GetString(answer.ToArray()).Contains("整改措施", StringComparison.Ordinal);
                Interlocked.Increment(ref byWriter ? ref refused : ref other);
            }
            finally { contexts.Dispose(http); }
        }, ct);
        return (refused, other, last);
    }

    sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    /// <summary>
    /// The writer's storing, which refused reports never reach (<see cref="ReportWriter.RehearseAsync"/>): batches of the
    /// newest measures saved and rolled back, one after another, spread over the warm-up's seconds until
    /// <paramref name="until"/> or <see cref="MostBatches"/>; the number rehearsed and when the last one ended. None
    /// without a user to be the author.
    /// </summary>
    async Task<(int Batches, long Last)> RehearseAsync(Targets targets, long from, long until, CancellationToken ct)
    {
        if (targets is not { Author: { } author, Measures: { Length: > 0 } measures }) return (0, 0);
        var batches = 0;
        var last = await PacedAsync(1, MostBatches, MostBatches / (double)Seconds, from, until, async (n, _) =>
        {
            // The measures in turn, Parallel at a time (fewer when there are fewer).
            long[] batch = [.. Enumerable.Range((n - 1) * Parallel, Math.Min(Parallel, measures.Length)).Select(i => measures[i % measures.Length])];
            await writer.RehearseAsync(batch, author, ct);
            batches++;
        }, ct);
        return (batches, last);
    }

    /// <summary>
    /// The newest round's figures for the administrators and for each 巡察办, into the read cache under the key their
    /// users' reads have (the scope of a principal of that role, as sign-in makes it); the number of scopes.
    /// </summary>
    async Task<int> FiguresAsync(List<long> offices, CancellationToken ct)
    {
        var principals = offices.Select(o => Nobody(Role.Office, o)).Prepend(Nobody(Role.Admin));
        var warmed = 0;
        foreach (var principal in principals)
        {
            ct.ThrowIfCancellationRequested();
            await using var db = Database.Open(location, Authentication.ScopeFor(principal, access));
            if (await db.Rounds.OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct) is not { } round) continue;
            await SupervisionApi.WarmFiguresAsync(db, cache, heads, round, ct);
            warmed++;
        }
        return warmed;
    }
}
