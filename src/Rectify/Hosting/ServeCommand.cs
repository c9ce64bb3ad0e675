using System.CommandLine;
using Rectify.Cli;
using Rectify.Core.Audit;
using Rectify.Core.Data;
using Rectify.Core.Demo;

namespace Rectify.Hosting;

/// <summary>`rectify serve`: migrate, optionally load the demo, verify the audit chain, serve.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var db = CliOptions.Db();
        var urls = new Option<string?>("--urls") { Description = "监听地址，默认 http://127.0.0.1:5080（多个用分号分隔）" };
        var demo = new Option<bool>("--demo") { Description = "载入演示数据（种子通报、各角色演示用户，密码只打印一次）" };
        var allowBroken = new Option<bool>("--allow-broken-audit") { Description = "审计链校验未通过时仍然启动（仅供调查取证；默认拒绝启动）" };
        var logFormat = new Option<string?>("--log-format") { Description = "日志格式：text（默认）或 json（每行一个 JSON 对象，便于日志系统收集）。也可用环境变量 RECTIFY_LOG_FORMAT。" };
        var cmd = new Command("serve", "启动 Web 服务（API 与界面）") { urls, db, demo, allowBroken, logFormat };
        cmd.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var format = (p.GetValue(logFormat) ?? Environment.GetEnvironmentVariable("RECTIFY_LOG_FORMAT") ?? "text").Trim().ToLowerInvariant();
            if (format is not ("text" or "json"))
            {
                await Console.Error.WriteLineAsync($"参数错误：--log-format 只能是 text 或 json，收到“{format}”。");
                return ExitCodes.BadInput;
            }
            var proxies = new List<System.Net.IPAddress>();
            foreach (var text in (Environment.GetEnvironmentVariable("RECTIFY_KNOWN_PROXIES") ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!System.Net.IPAddress.TryParse(text, out var ip))
                {
                    await Console.Error.WriteLineAsync($"参数错误：RECTIFY_KNOWN_PROXIES 中的“{text}”不是 IP 地址。");
                    return ExitCodes.BadInput;
                }
                proxies.Add(ip);
            }
            var location = CliOptions.Location(p, db);
            await Database.MigrateAsync(location, ct);
            await using (var ctx = Database.Open(location))
            {
                if (p.GetValue(demo)) PrintDemo(await DemoData.SeedAsync(ctx, ct));
                var chain = await AuditChain.VerifyAsync(ctx, ct);
                if (!chain.Ok)
                {
                    if (!p.GetValue(allowBroken))
                    {
                        await Console.Error.WriteLineAsync($"拒绝启动：审计链校验未通过：{chain.Problem!.TrimEnd('。')}。请先用 rectify audit verify 调查并从可信备份恢复；仅为调查取证可加 --allow-broken-audit 启动。");
                        return ExitCodes.Failure;
                    }
                    await Console.Error.WriteLineAsync($"警告：审计链校验未通过，按 --allow-broken-audit 仍然启动：{chain.Problem}");
                }
            }
            var settings = new ServerSettings(location) { JsonLogs = format == "json", KnownProxies = [.. proxies], WarmUpSeconds = WarmUp.DefaultSeconds };
            if (p.GetValue(urls) is { Length: > 0 } u) settings = settings with { Urls = u.Split(';', StringSplitOptions.RemoveEmptyEntries) };
            var app = RectifyServer.Build(settings);
            Console.WriteLine($"Rectify 已启动：{string.Join(", ", settings.Urls)}（数据库 {location.Provider}：{location.Describe()}）");
            await app.RunAsync();
            return ExitCodes.Ok;
        }));
        return cmd;
    }

    static void PrintDemo(IReadOnlyList<DemoData.DemoUser>? users)
    {
        if (users is null)
        {
            Console.WriteLine("演示数据已存在（演示用户的密码只在首次创建时打印过）。");
            return;
        }
        Console.WriteLine("已载入演示数据。演示用户（密码只显示这一次）：");
        foreach (var u in users) Console.WriteLine($"  {u.UserName,-8} {Core.Access.User.RoleCode(u.Role),-11} {u.Password}  {u.Scope}");
    }
}
