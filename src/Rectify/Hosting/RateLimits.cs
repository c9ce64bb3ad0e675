using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Rectify.Hosting;

/// <summary>
/// The request rate limits besides the login limiter: API writes (POST/PUT/DELETE under /api) per user, or per address
/// for anonymous callers, in a fixed one-minute window. Generous by default: a person types far fewer, a script or a
/// runaway client is stopped. The answer is a 429 ProblemDetails in Chinese with Retry-After.
/// </summary>
public static class RateLimits
{
    public const int DefaultWritesPerMinute = 1200;

    /// <summary>The configured API writes per user (or address) and window; 0 or less: no limit.</summary>
    public static int WritesPerMinute(IConfiguration config) => config.GetValue("Rectify:RateLimit:WritesPerMinute", DefaultWritesPerMinute);

    public static PartitionedRateLimiter<HttpContext> Writes(int perWindow, TimeSpan window) => PartitionedRateLimiter.Create<HttpContext, string>(http =>
    {
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || !http.Request.Path.StartsWithSegments("/api"))
            return RateLimitPartition.GetNoLimiter("read");
        var key = http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user ? "user:" + user
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "local");
        return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perWindow, Window = window, QueueLimit = 0,
        });
    });

    public static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? (int)Math.Ceiling(retry.TotalSeconds) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = 429, Title = "请求过于频繁", Detail = $"操作过于频繁，请在 {seconds} 秒后再试。" },
        });
    }
}
