using System.Diagnostics;
using System.Net.Http.Headers;

namespace Rectify.Load;

/// <summary>
/// A small closed-loop HTTP load client: C connections, each sending GET requests back to back for T seconds over a
/// list of URLs (round-robin), then prints count, errors, throughput and latency percentiles (one line, and a
/// Markdown table row with --markdown).
/// With --post BODY each request is a POST of that JSON body with a fresh Idempotency-Key (weekly report load); "{n}"
/// in the body becomes the request's number, so that every report carries a different text.
/// With --rate R the client is open-loop instead (as wrk2): it starts R requests per second on a fixed schedule, at
/// most C in flight (a request due while C are in flight waits for one to finish), and each latency runs from the
/// moment the request was due, not from when it could be sent — so a slow server is not hidden by the client sending
/// less (coordinated omission). req/s is then the completed rate, which stays at R while the server keeps up.
/// With --gzip it asks for compressed bodies (Accept-Encoding: gzip) and reads them without inflating them, as wrk does:
/// a browser inflates on its own machine, while this client shares the server's cores.
/// Usage: rectify-load --url U [--url U2 …] [--url-file FILE] [--connections 64] [--rate R] [--seconds 10] [--warmup 2] [--prime URL] [--token T] [--post JSON] [--name NAME] [--gzip] [--markdown] [--timeline]
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var urls = new List<string>();
        int connections = 64, seconds = 10, warmup = 2;
        double rate = 0;
        string? token = null, name = null, post = null, prime = null;
        bool markdown = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--url": urls.Add(args[++i]); break;
                case "--url-file": urls.AddRange(File.ReadAllLines(args[++i]).Where(l => l.Length > 0)); break;
                case "--post": post = args[++i]; break;
                case "--connections": connections = int.Parse(args[++i]); break;
                case "--rate": rate = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = int.Parse(args[++i]); break;
                case "--warmup": warmup = int.Parse(args[++i]); break;
                case "--token": token = args[++i]; break;
                case "--name": name = args[++i]; break;
                case "--markdown": markdown = true; break;
                case "--gzip": GzipAsked = true; break;
                case "--timeline": Timeline = true; break;
                case "--window": Window = int.Parse(args[++i]); break;
                case "--prime": prime = args[++i]; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (urls.Count == 0 || connections < 1 || seconds < 1) { Console.Error.WriteLine("usage: --url URL [--connections N] [--seconds T] [--token BEARER]"); return 2; }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (GzipAsked) http.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        Func<TimeSpan, Task<Result>> run = rate > 0
            ? d => RunAtRateAsync(http, urls, connections, rate, d, post)
            : d => RunAsync(http, urls, connections, d, post);
        if (prime is not null) await PrimeAsync(handler, prime, connections, post);
        if (warmup > 0) await run(TimeSpan.FromSeconds(warmup));
        var r = await run(TimeSpan.FromSeconds(seconds));
        var lat = r.Latencies;
        lat.Sort();
        double P(double q) => lat.Count == 0 ? double.NaN : lat[Math.Min(lat.Count - 1, (int)Math.Ceiling(q * lat.Count) - 1)];
        var rps = r.Count / r.Elapsed.TotalSeconds;
        name ??= urls[0];
        // Answers the server did not compress (too small, or not a cached copy) are not what a "gzip" row claims: say so.
        var plain = Interlocked.Read(ref uncompressed);
        if (GzipAsked && plain > 0) name += $" ({plain} answers not compressed)";
        if (markdown)
            Console.WriteLine($"| {name} | {connections} | {r.Count} | {r.Errors} | {rps:0} | {P(0.5):0.0} | {P(0.9):0.0} | {P(0.99):0.0} | {lat.LastOrDefault():0.0} |");
        else
            Console.WriteLine($"{name}: {r.Count} requests, {r.Errors} errors, {rps:0} req/s, p50 {P(0.5):0.0} ms, p90 {P(0.9):0.0} ms, p99 {P(0.99):0.0} ms, max {lat.LastOrDefault():0.0} ms ({connections} connections, {seconds} s)");
        if (r.FirstError is not null) Console.Error.WriteLine("first error: " + r.FirstError);
        return r.Errors == 0 ? 0 : 1;
    }

    sealed record Result(List<double> Latencies, long Count, long Errors, TimeSpan Elapsed, string? FirstError);

    static readonly string RunId = Guid.NewGuid().ToString("N")[..12];

    static async Task<Result> RunAsync(HttpClient http, List<string> urls, int connections, TimeSpan duration, string? post)
    {
        var all = new List<double>[connections];
        long errors = 0, next = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var mine = all[c] = new List<double>(1 << 14);
            var buffer = new byte[64 * 1024];
            while (clock.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref next);
                var url = urls[(int)(n % urls.Count)];
                var start = Stopwatch.GetTimestamp();
                // Idempotency keys are unique across the warm-up and the run (a repeated key would be a cheap replay).
                var error = await SendAsync(http, url, post, Interlocked.Increment(ref keySequence), buffer);
                if (error is not null)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                    continue;
                }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var latencies = all.SelectMany(l => l).ToList();
        return new Result(latencies, latencies.Count, errors, elapsed, firstError);
    }

    /// <summary>Open loop: request n is due at n / rate seconds; latency from that moment; at most <paramref name="connections"/> in flight.</summary>
    static async Task<Result> RunAtRateAsync(HttpClient http, List<string> urls, int connections, double rate, TimeSpan duration, string? post)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var timeline = new System.Collections.Concurrent.ConcurrentBag<(int Window, double Ms)>();
        var slots = new SemaphoreSlim(connections);
        var buffers = new System.Collections.Concurrent.ConcurrentBag<byte[]>();
        long errors = 0;
        string? firstError = null;
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var origin = Stopwatch.GetTimestamp();
        long n = 0;
        while (clock.Elapsed < duration)
        {
            // Start every request that is due by now (request n at n / rate s: n <= elapsed × rate), then sleep about a
            // millisecond. (Counting only n < elapsed × rate started each request one interval after its due time, and
            // that interval — 1.25 ms at 800/s, 200 ms at 5/s — was measured as latency.)
            var due = (long)(clock.Elapsed.TotalSeconds * rate) + 1;
            for (; n < due; n++)
            {
                var scheduled = origin + (long)(n / rate * Stopwatch.Frequency);
                var url = urls[(int)(n % urls.Count)];
                var key = Interlocked.Increment(ref keySequence);
                inFlight.Add(Task.Run(async () =>
                {
                    await slots.WaitAsync();
                    try
                    {
                        var buffer = buffers.TryTake(out var b) ? b : new byte[64 * 1024];
                        var error = await SendAsync(http, url, post, key, buffer);
                        buffers.Add(buffer);
                        if (error is null)
                        {
                            var ms = Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds;
                            latencies.Add(ms);
                            if (Timeline) timeline.Add(((int)((scheduled - origin) / (double)Stopwatch.Frequency / Window), ms));
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                            Interlocked.CompareExchange(ref firstError, error, null);
                        }
                    }
                    finally { slots.Release(); }
                }));
            }
            if (inFlight.Count > 4096) inFlight.RemoveAll(t => t.IsCompleted);
            await Task.Delay(1);
        }
        await Task.WhenAll(inFlight);
        var elapsed = clock.Elapsed;
        // --timeline: p50/p99 of the requests due in each window of --window seconds (5), on stderr (where a stall
        // begins and ends).
        foreach (var w in timeline.GroupBy(t => t.Window).OrderBy(g => g.Key))
        {
            var l = w.Select(t => t.Ms).Order().ToList();
            Console.Error.WriteLine($"  {w.Key * Window,4}-{w.Key * Window + Window} s: {l.Count} requests, p50 {l[l.Count / 2]:0.0} ms, p99 {l[Math.Min(l.Count - 1, (int)(l.Count * 0.99))]:0.0} ms");
        }
        var list = latencies.ToList();
        return new Result(list, list.Count, errors, elapsed, firstError);
    }

    /// <summary>
    /// --prime URL: the client's own start, done before anything is measured — its code for the kind of request it sends
    /// (GET, or POST with the body) compiled, and its connections open — by one second of such requests to URL on every
    /// connection, whatever they answer (the empty endpoint: a POST there is a quick 405). Without it the first seconds
    /// of a new client (its JIT, its connections opened all at once, on the cores it shares with the server) are measured
    /// as the server's: p99 149–152 ms in the first 5 s against a server long warm (docs/benchmarks.md).
    /// </summary>
    static async Task PrimeAsync(SocketsHttpHandler handler, string url, int connections, string? post)
    {
        // The same connections, without the token: the server's cache of it stays as cold as the rest of the server.
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (clock.Elapsed < TimeSpan.FromSeconds(1))
                await SendAsync(http, url, post, Interlocked.Increment(ref keySequence), buffer);
        })));
    }

    static long keySequence, uncompressed;
    static bool Timeline, GzipAsked;
    static int Window = 5;

    /// <summary>One request, its body read to the end; null when it succeeded, else what went wrong.</summary>
    static async Task<string?> SendAsync(HttpClient http, string url, string? post, long n, byte[] buffer)
    {
        try
        {
            using var request = new HttpRequestMessage(post is null ? HttpMethod.Get : HttpMethod.Post, url);
            if (post is not null)
            {
                request.Content = new StringContent(post.Replace("{n}", $"{RunId}-{n}"), System.Text.Encoding.UTF8, "application/json");
                request.Headers.Add("Idempotency-Key", $"load-{RunId}-{n}");
            }
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (GzipAsked && response.IsSuccessStatusCode && !response.Content.Headers.ContentEncoding.Contains("gzip")) Interlocked.Increment(ref uncompressed);
            await using var body = await response.Content.ReadAsStreamAsync();
            while (await body.ReadAsync(buffer) > 0) { }
            return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {url}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return $"{e.GetType().Name}: {e.Message} {url}";
        }
    }
}
