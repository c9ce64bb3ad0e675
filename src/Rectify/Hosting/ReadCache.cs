using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Rectify.Core.Access;
using Rectify.Core.Data;

namespace Rectify.Hosting;

/// <summary>
/// Computed read models (a unit's ledger, round-wide figures, search results, similar problems) kept with their serialised JSON until the data behind
/// them changes. Every write goes through <see cref="RectifyDb.SaveChangesAsync(bool, CancellationToken)"/> and appends
/// an audit event in the same transaction, so the newest audit sequence — of one unit for a ledger, of the whole
/// database for round figures — tells whether a cached copy is still current. The heads are kept in memory by
/// <see cref="AuditHeads"/>: current after every commit of this process, and at most Rectify:Perf:AuditHeadsMilliseconds
/// behind writes of other processes (CLI, other app servers on one PostgreSQL). Each copy carries an ETag (the head it
/// was computed at and a digest of its key) for conditional requests. Callers check
/// existence and roles with their own scope before asking, and the key always contains the caller's scope, so a copy
/// computed for one scope is never served to another. Concurrent misses of one key share one computation.
/// Setting <c>Rectify:Perf:ReadCache=false</c> turns it off (for measuring the uncached path).
/// </summary>
public sealed class ReadCache(IOptions<JsonOptions> json, IConfiguration config)
{
    /// <summary>Upper bound of a copy's life even when nothing changed (a restore rewinds the audit chain).</summary>
    static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    /// <summary>The JSON kept, at most; the compressed copies (about a tenth of what was asked for compressed) come on top.</summary>
    const long MaxBytes = 256L * 1024 * 1024;

    public sealed record Cached(object Value, byte[] Json, long Validator, long ExpiresAtTicks, string ETag)
    {
        // Made from the Json given to the constructor: a copy made with `with` shares it, so such a copy must keep the
        // same Json (only ExpiresAtTicks is ever changed).
        readonly Lazy<byte[]> _gzip = new(() => Compress(Json));

        /// <summary>The JSON compressed with gzip: made by the first request that accepts it, then kept with the copy
        /// (copies made with <c>with</c> share it: the same bytes).</summary>
        public byte[] Gzip => _gzip.Value;

        /// <summary>Whether the copy is large enough to be worth sending compressed.</summary>
        public bool Compressible => Json.Length >= CompressFrom;
    }

    /// <summary>
    /// Copies from this size up go compressed to clients that accept gzip (browsers, HttpClient with automatic
    /// decompression, curl --compressed): a province's round figures are about 600 KB of JSON and compress to about a
    /// tenth, compressed once per copy instead of once per response as a compression middleware would.
    /// </summary>
    public const int CompressFrom = 4096;

    static byte[] Compress(byte[] json)
    {
        using var buffer = new MemoryStream(json.Length / 4);
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(json);
        return buffer.ToArray();
    }

    readonly ConcurrentDictionary<string, Lazy<Task<Cached>>> _map = new(StringComparer.Ordinal);
    long _bytes;

    /// <summary>
    /// How the copies are serialised: the API's JSON options, and the round figures' unit rows written from the bytes
    /// kept with each row (<see cref="Supervision.UnitRowJson"/>; the same output). Not added to the API's own options,
    /// from which the OpenAPI document's schemas are made: a converter there would leave a unit row's schema empty.
    /// The kept bytes are not counted in <see cref="MaxBytes"/>; they live as long as the rows of a kept model.
    /// </summary>
    public JsonSerializerOptions BodyOptions { get; } = WithRows(json.Value.SerializerOptions);

    static JsonSerializerOptions WithRows(JsonSerializerOptions api)
    {
        var options = new JsonSerializerOptions(api);
        options.Converters.Add(new Supervision.UnitRowJson());
        options.MakeReadOnly();
        return options;
    }

    public bool Enabled { get; } = config.GetValue("Rectify:Perf:ReadCache", true);

    /// <summary>A key part naming the caller's scope exactly.</summary>
    public static string ScopeKey(CallerScope s) =>
        s.All ? "*" : string.Join(',', s.UnitIds.Order()) + "/" + string.Join(',', s.OfficeIds.Order());

    /// <summary>
    /// The cached model for <paramref name="key"/> if it was computed at <paramref name="validator"/>, else computes it
    /// (<paramref name="compute"/> returns the model and what to serialise). Null when the model does not exist.
    /// </summary>
    public async Task<Cached?> GetAsync<T>(string key, long validator, Func<Task<(T Value, object Body)?>> compute) where T : class
    {
        if (!Enabled) return await ComputeAsync(key, compute, validator);
        for (int attempt = 0; ; attempt++)
        {
            // Requests that read different heads at the same moment could keep replacing each other's copy: give up
            // caching for this request after a few tries.
            if (attempt == 3) return await ComputeAsync(key, compute, validator);
            var lazy = _map.GetOrAdd(key, _ => new Lazy<Task<Cached>>(() => ComputeOrThrowAsync(key, compute, validator)));
            Cached? c;
            try { c = await lazy.Value; }
            catch (MissingException)
            {
                _map.TryRemove(new KeyValuePair<string, Lazy<Task<Cached>>>(key, lazy));
                return null;
            }
            catch
            {
                _map.TryRemove(new KeyValuePair<string, Lazy<Task<Cached>>>(key, lazy));
                throw;
            }
            // Computed at exactly this head: current. Any other head (newer, or older after a restore rewound the
            // chain) means the copy may differ: drop it and compute again.
            if (c.Validator == validator && c.ExpiresAtTicks > Environment.TickCount64) return c;
            if (_map.TryRemove(new KeyValuePair<string, Lazy<Task<Cached>>>(key, lazy))) Interlocked.Add(ref _bytes, -c.Json.Length);
        }
    }

    /// <summary>
    /// The copy of <paramref name="key"/> if one is computed and not expired (or <paramref name="evenExpired"/>), without
    /// validating it: the caller compares <see cref="Cached.Validator"/> with a head it knows to be current, or brings an
    /// older copy up to date itself.
    /// </summary>
    public Cached? Peek(string key, bool evenExpired = false) =>
        Enabled && _map.TryGetValue(key, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully
        && lazy.Value.Result is { } c && (evenExpired || c.ExpiresAtTicks > Environment.TickCount64) ? c : null;

    async Task<Cached?> ComputeAsync<T>(string key, Func<Task<(T Value, object Body)?>> compute, long validator) where T : class =>
        await compute() is { } r
            ? new Cached(r.Value, JsonSerializer.SerializeToUtf8Bytes(r.Body, r.Body.GetType(), BodyOptions), validator, 0, ETagOf(key, validator))
            : null;

    /// <summary>
    /// The head the copy was computed at and a digest of the key (query and caller's scope): the same on every app
    /// server, different for another scope or another head.
    /// </summary>
    static string ETagOf(string key, long validator) =>
        $"\"{validator}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)), 0, 8)}\"";

    async Task<Cached> ComputeOrThrowAsync<T>(string key, Func<Task<(T Value, object Body)?>> compute, long validator) where T : class
    {
        var c = await ComputeAsync(key, compute, validator) ?? throw new MissingException();
        c = c with { ExpiresAtTicks = Environment.TickCount64 + (long)MaxAge.TotalMilliseconds };
        if (Interlocked.Add(ref _bytes, c.Json.Length) > MaxBytes)
        {
            _map.Clear();
            Interlocked.Exchange(ref _bytes, c.Json.Length);
        }
        return c;
    }

    /// <summary>
    /// Writes the cached JSON as the response body: compressed (<c>Content-Encoding: gzip</c>) when the copy is
    /// <see cref="Cached.Compressible"/> and the request accepts gzip, as is otherwise.
    /// </summary>
    public static IResult Json(HttpContext http, Cached c) => Body(http, c, Gzipped(http.Request, c));

    static IResult Body(HttpContext http, Cached c, bool gzip)
    {
        Vary(http);
        if (!gzip) return TypedResults.Bytes(c.Json, "application/json; charset=utf-8");
        http.Response.Headers.ContentEncoding = "gzip";
        return TypedResults.Bytes(c.Gzip, "application/json; charset=utf-8");
    }

    /// <summary>Every answer of these endpoints, small or large: a shared cache must not hand the compressed body to a
    /// client that did not ask for it, or the reverse.</summary>
    static void Vary(HttpContext http) => http.Response.Headers.Append(Microsoft.Net.Http.Headers.HeaderNames.Vary, "Accept-Encoding");

    /// <summary>
    /// Whether the copy goes compressed: large enough, and gzip accepted with a quality above 0 — by its own entry when
    /// the request names gzip, else by <c>*</c> (RFC 9110 12.5.3: "gzip;q=0, *" refuses gzip).
    /// </summary>
    static bool Gzipped(HttpRequest request, Cached c)
    {
        if (!c.Compressible) return false;
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        var entry = accepted.FirstOrDefault(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase))
                    ?? accepted.FirstOrDefault(e => e.Value == "*");
        return entry is not null && entry.Quality is not 0;
    }

    /// <summary>The compressed body's ETag: another representation of the same copy (RFC 9110 8.8.3), so another tag.</summary>
    static string GzipETag(string etag) => etag[..^1] + "-gzip\"";

    /// <summary>
    /// The cached JSON with its ETag, or 304 Not Modified when the client already holds this copy in the encoding it
    /// gets now (If-None-Match; a client that changed what it accepts gets the body again). <c>private, no-cache</c>: a
    /// browser keeps it for this user only and asks again every time.
    /// </summary>
    public static IResult Conditional(HttpContext http, Cached c)
    {
        var gzip = Gzipped(http.Request, c);
        var etag = gzip ? GzipETag(c.ETag) : c.ETag;
        var headers = http.Response.Headers;
        headers.ETag = etag;
        headers.CacheControl = "private, no-cache";
        foreach (var tag in http.Request.Headers.IfNoneMatch)
            if (tag is not null && (tag == "*" || tag.Split(',').Select(t => t.Trim()).Any(t => t == etag || t == "W/" + etag)))
            {
                Vary(http);
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }
        return Body(http, c, gzip);
    }

    sealed class MissingException : Exception;
}
