using System.Diagnostics;
using System.Net.Http.Headers;

namespace Rectify.Load;

/// <summary>
/// A small closed-loop HTTP load client: C connections, each sending GET requests back to back for T seconds over a
/// list of URLs (round-robin), then prints count, errors, throughput and latency percentiles (one line, and a
/// Markdown table row with --markdown).
/// With --post BODY each request is a POST of that JSON body with a fresh Idempotency-Key (weekly report load).
/// Usage: rectify-load --url U [--url U2 …] [--url-file FILE] [--connections 64] [--seconds 10] [--warmup 2] [--token T] [--post JSON] [--name NAME] [--markdown]
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var urls = new List<string>();
        int connections = 64, seconds = 10, warmup = 2;
        string? token = null, name = null, post = null;
        bool markdown = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--url": urls.Add(args[++i]); break;
                case "--url-file": urls.AddRange(File.ReadAllLines(args[++i]).Where(l => l.Length > 0)); break;
                case "--post": post = args[++i]; break;
                case "--connections": connections = int.Parse(args[++i]); break;
                case "--seconds": seconds = int.Parse(args[++i]); break;
                case "--warmup": warmup = int.Parse(args[++i]); break;
                case "--token": token = args[++i]; break;
                case "--name": name = args[++i]; break;
                case "--markdown": markdown = true; break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
            }
        }
        if (urls.Count == 0 || connections < 1 || seconds < 1) { Console.Error.WriteLine("usage: --url URL [--connections N] [--seconds T] [--token BEARER]"); return 2; }

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        if (warmup > 0) await RunAsync(http, urls, connections, TimeSpan.FromSeconds(warmup), post);
        var r = await RunAsync(http, urls, connections, TimeSpan.FromSeconds(seconds), post);
        var lat = r.Latencies;
        lat.Sort();
        double P(double q) => lat.Count == 0 ? double.NaN : lat[Math.Min(lat.Count - 1, (int)Math.Ceiling(q * lat.Count) - 1)];
        var rps = r.Count / r.Elapsed.TotalSeconds;
        name ??= urls[0];
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
                try
                {
                    using var request = new HttpRequestMessage(post is null ? HttpMethod.Get : HttpMethod.Post, url);
                    if (post is not null)
                    {
                        request.Content = new StringContent(post, System.Text.Encoding.UTF8, "application/json");
                        request.Headers.Add("Idempotency-Key", $"load-{RunId}-{n}");
                    }
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    await using var body = await response.Content.ReadAsStreamAsync();
                    while (await body.ReadAsync(buffer) > 0) { }
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode} {url}", null);
                        continue;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message} {url}", null);
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
}
