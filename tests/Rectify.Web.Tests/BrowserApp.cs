using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using Rectify.Core.Data;
using Rectify.Core.Demo;
using Rectify.Hosting;

namespace Rectify.Web.Tests;

/// <summary>A fact that needs Debian's Chromium: skipped (saying why) where it is missing, unless CI requires it.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium) && Environment.GetEnvironmentVariable("RECTIFY_REQUIRE_BROWSER") != "1")
            Skip = "未安装 Chromium（/usr/bin/chromium），跳过浏览器测试。";
    }
}

/// <summary>
/// The real server on Kestrel at a free local port, on a fresh SQLite database with the demo data, and one headless
/// Chromium for the whole test class. Pages log in through the login form like a user.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    public WebApplication App { get; private set; } = null!;
    public DatabaseLocation Db { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public Dictionary<string, string> Passwords { get; } = [];
    IPlaywright? _playwright;
    IBrowser? _browser;
    string _dir = "";

    public static string Screenshots
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Rectify.slnx"))) dir = dir.Parent;
            var path = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(BrowserFactAttribute.Chromium) && Environment.GetEnvironmentVariable("RECTIFY_REQUIRE_BROWSER") != "1") return;
        _dir = Path.Combine(Path.GetTempPath(), "rectify-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        Db = DatabaseLocation.Parse(Path.Combine(_dir, "rectify.db"));
        await RectifyServer.PrepareDatabaseAsync(Db);
        await using (var db = Database.Open(Db))
            foreach (var u in (await DemoData.SeedAsync(db))!) Passwords[u.UserName] = u.Password;

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        BaseUrl = $"http://127.0.0.1:{port}";
        // Tests run from the build output: static web assets of packages are found through the runtime manifest.
        App = RectifyServer.Build(new ServerSettings(Db) { Urls = [BaseUrl] }, b => b.WebHost.UseStaticWebAssets());
        await App.StartAsync();

        // Two shared cores: give assertions the same patience as actions.
        Assertions.SetDefaultExpectTimeout(30000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser context (own cookies) at 1366×768, logged in as the demo user.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 }, Locale = "zh-CN", AcceptDownloads = true, BaseURL = BaseUrl,
        });
        // Generous: a CI machine may be two slow cores busy with the server, the browser and the test at once.
        context.SetDefaultTimeout(60000);
        context.SetDefaultNavigationTimeout(60000);
        return context;
    }

    public async Task<IPage> LoginAsync(string user)
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var log = Path.Combine(Screenshots, "browser-console.log");
        page.Console += (_, m) => { lock (Passwords) File.AppendAllText(log, $"[{user}] {m.Type}: {m.Text}\n"); };
        page.PageError += (_, e) => { lock (Passwords) File.AppendAllText(log, $"[{user}] pageerror: {e}\n"); };
        await page.GotoAsync("/login");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码").FillAsync(Passwords[user]);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/login"));
        return page;
    }

    /// <summary>Waits until the interactive circuit is up (Blazor attached its handlers).</summary>
    public static async Task WaitInteractiveAsync(IPage page)
    {
        try
        {
            await page.WaitForFunctionAsync("() => document.body.getAttribute('data-interactive') === '1' && document.querySelector('.ant-table, .ant-result, .ant-card, .ant-empty') !== null");
            // Best effort: the page is interactive and drawn (above); what follows asserts its content with its own
            // timeouts. A CI run once waited the whole 60 s here on a fully drawn ledger page (screenshot).
            try { await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 10_000 }); }
            catch (TimeoutException) { }
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync(page, "failed-" + DateTime.UtcNow.Ticks);
            throw;
        }
    }

    /// <summary>
    /// Chooses files in a FilePicker as a user would: once the input is wired to the circuit (data-ready), and
    /// waits until the page lists every chosen file, so a submit that follows sends them.
    /// </summary>
    public static async Task ChooseFilesAsync(IPage page, string inputId, params FilePayload[] files)
    {
        await page.Locator($"#{inputId}[data-ready]").SetInputFilesAsync(files);
        foreach (var f in files)
            await Assertions.Expect(page.GetByTestId($"{inputId}-chosen")).ToContainTextAsync(f.Name);
    }

    /// <summary>
    /// Opens a dialog again as quick as a hand going on at once, without the round trips between the test and the
    /// browser: clicks <paramref name="target"/> in the first animation frame in which no <paramref name="hidden"/> is
    /// shown, waits for <paramref name="shown"/>, then watches it for <paramref name="watchMs"/> in every frame.
    /// Returns null when it appeared and stayed, else what went wrong (for the assertion message).
    /// </summary>
    public static Task<string?> ReopenAndWatchAsync(IPage page, string hidden, string target, string shown, int watchMs) =>
        page.EvaluateAsync<string?>("""
            async ([hidden, target, shown, watchMs]) => {
                const frame = () => new Promise(r => requestAnimationFrame(r));
                const visible = s => [...document.querySelectorAll(s)].some(e => e.checkVisibility());
                let deadline = performance.now() + 10000;
                while (visible(hidden)) {
                    if (performance.now() > deadline) return `${hidden} still shown after 10 s`;
                    await frame();
                }
                document.querySelector(target).click();
                deadline = performance.now() + 10000;
                while (!visible(shown)) {
                    if (performance.now() > deadline) return `${shown} not shown within 10 s of the click`;
                    await frame();
                }
                const from = performance.now();
                while (performance.now() - from < watchMs) {
                    if (!visible(shown)) return `${shown} vanished ${Math.round(performance.now() - from)} ms after it was shown`;
                    await frame();
                }
                return null;
            }
            """, new object[] { hidden, target, shown, watchMs });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = false });

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null) { await App.StopAsync(); await App.DisposeAsync(); }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { if (_dir.Length > 0) Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
