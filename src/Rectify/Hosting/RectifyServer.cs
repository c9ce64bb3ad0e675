using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Import;
using Rectify.Core.Workflow;
using Rectify.Ledger;
using Rectify.Organisations;
using Rectify.Workflow;
using Rectify.Supervision;
using Rectify.Components;
using Rectify.Documents;
using Rectify.Web;

namespace Rectify.Hosting;

/// <summary>What `rectify serve` was asked for.</summary>
public sealed record ServerSettings(DatabaseLocation Database)
{
    public string[] Urls { get; init; } = ["http://127.0.0.1:5080"];
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Largest accepted JSON body; uploads have their own limit.</summary>
    public long MaxJsonBody { get; init; } = 1024 * 1024;
    /// <summary>One JSON object per log line (for journald/ELK) instead of the readable single-line text.</summary>
    public bool JsonLogs { get; init; }
    /// <summary>How long a stopping server (SIGTERM, Ctrl+C) lets in-flight requests finish.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Reverse proxies whose X-Forwarded-For/-Proto are believed, besides loopback (RECTIFY_KNOWN_PROXIES).</summary>
    public System.Net.IPAddress[] KnownProxies { get; init; } = [];
    /// <summary>Seconds of <see cref="WarmUp"/> before /health/ready says ready (Rectify:WarmUp:Seconds overrides; 0: none).</summary>
    public int WarmUpSeconds { get; init; }
}

/// <summary>Builds the one web application: API, health, OpenAPI, the web pages. Reads like a table of contents.</summary>
public static class RectifyServer
{
    public static WebApplication Build(ServerSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(RectifyServer).Assembly.GetName().Name, ContentRootPath = AppContext.BaseDirectory, WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot") });
        builder.WebHost.UseUrls(settings.Urls);
        builder.WebHost.ConfigureKestrel(k => { k.AddServerHeader = false; k.Limits.MaxRequestBodySize = 64 * 1024 * 1024; });
        if (settings.JsonLogs)
            builder.Logging.AddJsonConsole(o => { o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; });
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Keys live in the database (shared by every app server), unencrypted at rest by design: say so once in the docs, not on every start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        var services = builder.Services;
        services.AddSingleton(settings.Clock);
        services.Configure<DeadlineSettings>(builder.Configuration.GetSection("Rectify:Deadlines"));
        services.Configure<WorkflowSettings>(builder.Configuration.GetSection("Rectify:Workflow"));
        ReminderJob.Register(services, builder.Configuration);
        services.AddHttpContextAccessor();
        // Behind nginx the client's address (login rate limit, logs) and scheme (secure cookies) come from the proxy's
        // headers, believed only from loopback and the listed proxies.
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var ip in settings.KnownProxies) o.KnownProxies.Add(ip);
        });
        services.AddRectifyDb(settings.Database);
        services.AddDataProtection().SetApplicationName("Rectify").PersistKeysToDbContext<RectifyDb>();
        services.AddRectifyAuthentication();
        services.AddSingleton<ReadCache>();
        services.AddSingleton<SearchGate>();
        services.AddSingleton<OfficeSearch>();
        services.AddSingleton<AuditHeads>();
        services.AddHostedService<FigureKeeper>();
        services.AddSingleton(settings);
        services.AddSingleton<WarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<WarmUp>());
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ErrorHandler.Customize);
        services.AddExceptionHandler<ErrorHandler>();
        services.AddValidation();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });
        // Writes to the API per signed-in user (or per address when anonymous) in a one-minute window; 0 switches it off
        // (Rectify:RateLimit:WritesPerMinute, env Rectify__RateLimit__WritesPerMinute; WindowSeconds for tests). Reads are not limited.
        var configuration = builder.Configuration;
        services.AddRateLimiter(o =>
        {
            var writesPerMinute = RateLimits.WritesPerMinute(configuration);
            var window = TimeSpan.FromSeconds(configuration.GetValue("Rectify:RateLimit:WindowSeconds", 60));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RateLimits.RejectAsync;
            o.AddPolicy("login", http => RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) }));
            if (writesPerMinute > 0) o.GlobalLimiter = RateLimits.Writes(writesPerMinute, window);
        });
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Rectify 整改台账 API";
            doc.Info.Description = "巡视巡察整改台账的 REST 接口。错误以 ProblemDetails 返回，title/detail 为中文。";
            return Task.CompletedTask;
        }));
        services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = false);
        services.AddCascadingAuthenticationState();
        services.AddAntDesign();
        // Pages are Chinese: write CJK as UTF-8, not as &#x…; entities (the seed's prerendered ledger page: 211 → 167 KB).
        // '<', '>', '&' and quotes are still encoded.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddScoped<WebSession>();
        AntDesign.LocaleProvider.DefaultLanguage = "zh-CN";
        configure?.Invoke(builder);
        // Last source: a value the administrator stored (/admin, PUT /api/settings) overrides configuration.
        var stored = new StoredSettingsConfiguration(
            builder.Configuration.GetSection("Rectify:Workflow").Get<WorkflowSettings>() ?? new(),
            builder.Configuration.GetSection("Rectify:Deadlines").Get<DeadlineSettings>() ?? new());
        ((IConfigurationBuilder)builder.Configuration).Add(stored);
        services.AddSingleton(stored);
        services.AddHostedService<StoredSettingsLoader>();

        var app = builder.Build();
        app.Use(app.Services.GetRequiredService<WarmUp>().Capture);
        // Where WebApplication would put routing itself (first), but after the warm-up's capture, whose requests need it.
        app.UseRouting();
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSecurityHeaders();
        app.UseJsonBodyLimit(settings.MaxJsonBody);
        // Chinese unless the user chose English (cookie only: a browser's Accept-Language does not switch the language).
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(Ui.Chinese).AddSupportedCultures(Ui.Chinese).AddSupportedUICultures(Ui.Languages);
            o.RequestCultureProviders = [new Microsoft.AspNetCore.Localization.CookieRequestCultureProvider()];
        });
        app.UseStaticFiles();
        app.UseAuthentication();
        // After authentication, so that writes are counted per user rather than per address.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseApiAntiforgery();
        app.UseAntiforgery();

        app.MapGet("/health", Health).AllowAnonymous().WithTags("运维").WithSummary("健康检查：服务与数据库");
        app.MapGet("/health/ready", Ready).AllowAnonymous().WithTags("运维").WithSummary("就绪检查：启动预热已完成，数据库可连接且结构已迁移到本版本");
        // The framework's ceiling for the load benchmark (bench/run-all.sh): no database, no auth; off unless asked for.
        if (app.Configuration.GetValue<bool>("Rectify:Bench:EmptyEndpoint"))
            app.MapGet("/bench/empty", () => TypedResults.Ok(new { ok = true })).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/api-docs", () => Results.Redirect("/api-docs.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapAuthApi();
        app.MapOrganisationsApi();
        app.MapInspectionsApi();
        app.MapLedgerApi();
        app.MapImportApi();
        app.MapWorkflowApi();
        app.MapSupervisionApi();
        app.MapDocumentsApi();
        app.MapExportApi();
        app.MapSettingsApi();
        app.MapFallback("/api/{**path}", () => Guard.NotFound("接口")).ExcludeFromDescription();
        app.MapAccountEndpoints();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null); // our CSP already says frame-ancestors 'none'
        return app;
    }

    static async Task<IResult> Health(RectifyDb db, CancellationToken ct)
    {
        var ok = await db.Database.CanConnectAsync(ct);
        return ok ? TypedResults.Ok(new HealthStatus("ok", db.ProviderName))
                  : TypedResults.Json(new HealthStatus("unavailable", db.ProviderName), statusCode: 503);
    }

    sealed record HealthStatus(string Status, string Database);

    /// <summary>Ready = warmed up (<see cref="WarmUp"/>), and the database answers and has every migration this version
    /// needs (load balancers route on it).</summary>
    static async Task<IResult> Ready(RectifyDb db, WarmUp warmUp, CancellationToken ct)
    {
        try
        {
            if (!warmUp.Done)
                return TypedResults.Json(new ReadyStatus("warming", db.ProviderName, null, $"服务刚启动，正在预热（约 {warmUp.Seconds} 秒），预热完成后再接收流量。"), statusCode: 503);
            if (!await db.Database.CanConnectAsync(ct))
                return TypedResults.Json(new ReadyStatus("unavailable", db.ProviderName, null, "无法连接数据库。"), statusCode: 503);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            var applied = (await db.Database.GetAppliedMigrationsAsync(ct)).LastOrDefault();
            return pending.Count == 0
                ? TypedResults.Ok(new ReadyStatus("ready", db.ProviderName, applied, null))
                : TypedResults.Json(new ReadyStatus("migrating", db.ProviderName, applied, $"数据库结构尚未迁移到本版本（还差 {pending.Count} 个迁移）。"), statusCode: 503);
        }
        catch (Exception e) when (e is System.Data.Common.DbException)
        {
            return TypedResults.Json(new ReadyStatus("unavailable", db.ProviderName, null, "无法读取数据库。"), statusCode: 503);
        }
    }

    sealed record ReadyStatus(string Status, string Database, string? Migration, string? Detail);

    static void UseSecurityHeaders(this WebApplication app) => app.Use(async (http, next) =>
    {
        var h = http.Response.Headers;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        // AntDesign renders two fixed inline handlers (ondrop/onclick: "event.preventDefault();", "event.stopPropagation()"):
        // allowed by their hashes only; no 'unsafe-inline' and no 'unsafe-eval' for scripts (charts are bound without eval).
        h.ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-hashes' 'sha256-3TGu3MXeXy11eUrHvptBo1UVsvdEkIojBrR41fi1sqM=' 'sha256-jHF5hTIlMDyGZRAsNK0HO/WFYrwPvI2I1q0o1xKKB6I='; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
        await next();
    });

    /// <summary>JSON bodies are small; a larger one is refused before it is read (413).</summary>
    static void UseJsonBodyLimit(this WebApplication app, long limit) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (http.Request.ContentLength > limit) throw new BadHttpRequestException("body too large", StatusCodes.Status413PayloadTooLarge);
            // A chunked body has no length up front: count while it is read.
            if (http.Request.ContentLength is null) http.Request.Body = new LimitedStream(http.Request.Body, limit);
        }
        await next();
    });

    /// <summary>Cookie sessions must send the antiforgery token on every write; bearer-token clients need not.</summary>
    static void UseApiAntiforgery(this WebApplication app) => app.Use(async (http, next) =>
    {
        var write = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !HttpMethods.IsOptions(http.Request.Method);
        if (write && http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/api/auth/login")
            && http.User.Identity is { IsAuthenticated: true, AuthenticationType: not Authentication.Token })
        {
            var xsrf = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await xsrf.IsRequestValidAsync(http))
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = 400, Title = "防伪令牌无效", Detail = $"浏览器会话的写操作必须带有效的 {Authentication.XsrfHeader} 请求头，请刷新页面后重试。" },
                });
                return;
            }
        }
        await next();
    });

    /// <summary>Migrates the database; every process may call it at start.</summary>
    public static Task PrepareDatabaseAsync(DatabaseLocation location, CancellationToken ct = default) => Database.MigrateAsync(location, ct);
}
