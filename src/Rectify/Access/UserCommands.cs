using System.CommandLine;
using Rectify.Cli;
using Rectify.Core.Access;
using Rectify.Core.Data;

namespace Rectify.Access;

/// <summary>`rectify user add …` and `rectify token create …`.</summary>
public static class UserCommands
{
    public static Command User()
    {
        var db = CliOptions.Db();
        var name = new Argument<string>("name") { Description = "用户名" };
        var role = new Option<string>("--role") { Description = "角色：admin、office、unit_admin、leader、owner、viewer", Required = true };
        role.AcceptOnlyFromAmong("admin", "office", "unit_admin", "leader", "owner", "viewer");
        var unit = new Option<string?>("--unit") { Description = "所属单位或巡察办（编号或全称）" };
        var display = new Option<string?>("--display-name") { Description = "显示姓名" };
        var stdin = new Option<bool>("--password-stdin") { Description = "从标准输入读取密码（一行）", Required = true };
        var add = new Command("add", "新增用户（密码从标准输入读取）") { name, role, unit, display, stdin, db };
        add.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var password = (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') ?? "";
            var location = CliOptions.Location(p, db);
            await Database.MigrateAsync(location, ct);
            await using var ctx = Database.Open(location);
            var (unitId, officeId) = await Users.ResolveOrganisationAsync(ctx, p.GetValue(unit), ct);
            var u = await Users.AddAsync(ctx, p.GetValue(name)!, Core.Access.User.ParseRole(p.GetValue(role))!.Value, password, unitId, officeId, p.GetValue(display), ct);
            Console.WriteLine($"已新增用户 {u.UserName}（{p.GetValue(role)}），编号 {u.Id}。");
            return ExitCodes.Ok;
        }));
        return new Command("user", "管理用户") { add };
    }

    public static Command Token()
    {
        var db = CliOptions.Db();
        var name = new Argument<string>("name") { Description = "令牌所属用户名" };
        var label = new Option<string?>("--label") { Description = "令牌用途说明" };
        var create = new Command("create", "为用户创建 API 令牌（只显示一次）") { name, label, db };
        create.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var location = CliOptions.Location(p, db);
            await Database.MigrateAsync(location, ct);
            await using var ctx = Database.Open(location);
            var userName = p.GetValue(name)!;
            var user = ctx.Users.FirstOrDefault(u => u.UserName == userName) ?? throw new DomainRuleException($"找不到用户“{userName}”。", "name");
            var token = Authentication.NewToken();
            ctx.ApiTokens.Add(new ApiToken { UserId = user.Id, Name = p.GetValue(label) ?? "cli", TokenHash = Authentication.HashToken(token), CreatedAt = DateTime.UtcNow });
            await ctx.SaveChangesAsync(ct);
            Console.WriteLine(token);
            await Console.Error.WriteLineAsync("请妥善保存：此令牌只显示这一次。调用 API 时使用请求头 Authorization: Bearer <令牌>。");
            return ExitCodes.Ok;
        }));
        return new Command("token", "管理 API 令牌") { create };
    }
}
