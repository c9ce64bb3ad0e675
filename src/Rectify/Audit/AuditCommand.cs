using System.CommandLine;
using Rectify.Cli;
using Rectify.Core.Audit;
using Rectify.Core.Data;

namespace Rectify.Audit;

/// <summary>`rectify audit verify [--anchor SEQ:HASH]` walks the hash chain; `rectify audit anchor` prints its head.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var db = CliOptions.Db();
        var anchor = new Option<string?>("--anchor") { Description = "同时核对此前打印的锚点（序号:哈希），确认其前的历史未被改写" };
        var verify = new Command("verify", "校验审计链：逐条重算哈希，发现篡改时指出第一处断点并以非零状态退出") { db, anchor };
        verify.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            AuditAnchor? expected = null;
            if (p.GetValue(anchor) is { } text && (expected = AuditAnchor.TryParse(text)) is null)
            {
                await Console.Error.WriteLineAsync($"错误：锚点格式应为“序号:64位十六进制哈希”，例如 128:3f9a…，收到“{text}”。");
                return ExitCodes.BadInput;
            }
            var location = CliOptions.Location(p, db);
            await using var ctx = Database.Open(location);
            var result = await AuditChain.VerifyAsync(ctx, ct);
            if (!result.Ok)
            {
                await Console.Error.WriteLineAsync($"审计链断裂：{result.Problem}（此前 {result.EventsChecked} 条完好）");
                return ExitCodes.Failure;
            }
            if (expected is not null && await expected.CheckAsync(ctx, ct) is { } problem)
            {
                await Console.Error.WriteLineAsync($"锚点不符：{problem}");
                return ExitCodes.Failure;
            }
            Console.WriteLine($"审计链完好：共 {result.EventsChecked} 条记录，末条哈希 {result.HeadHash}");
            if (expected is not null) Console.WriteLine($"锚点 {expected} 仍在链中，未被改动。");
            return ExitCodes.Ok;
        }));

        var anchorDb = CliOptions.Db();
        var print = new Command("anchor", "打印审计链当前的锚点（序号:哈希），可印在公开通报上，日后用 audit verify --anchor 核对") { anchorDb };
        print.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            await using var ctx = Database.Open(CliOptions.Location(p, anchorDb));
            var result = await AuditChain.VerifyAsync(ctx, ct);
            if (!result.Ok)
            {
                await Console.Error.WriteLineAsync($"审计链断裂，不能给出锚点：{result.Problem}");
                return ExitCodes.Failure;
            }
            if (await AuditAnchor.HeadAsync(ctx, ct) is not { } head)
            {
                await Console.Error.WriteLineAsync("错误：审计链还没有任何记录，没有锚点可打印。");
                return ExitCodes.BadInput;
            }
            Console.WriteLine(head.ToString());
            await Console.Error.WriteLineAsync($"审计锚点：第 {head.Sequence} 条记录，哈希 {head.Hash}（核对：rectify audit verify --anchor {head}）");
            return ExitCodes.Ok;
        }));
        return new Command("audit", "审计记录") { verify, print };
    }
}
