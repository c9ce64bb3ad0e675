using System.CommandLine;
using Rectify.Cli;
using Rectify.Core.Audit;
using Rectify.Core.Data;

namespace Rectify.Audit;

/// <summary>`rectify audit verify`: walks the hash chain and names the first broken link.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var db = CliOptions.Db();
        var verify = new Command("verify", "校验审计链：逐条重算哈希，发现篡改时指出第一处断点并以非零状态退出") { db };
        verify.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var location = CliOptions.Location(p, db);
            await using var ctx = Database.Open(location);
            var result = await AuditChain.VerifyAsync(ctx, ct);
            if (result.Ok)
            {
                Console.WriteLine($"审计链完好：共 {result.EventsChecked} 条记录，末条哈希 {result.HeadHash}");
                return ExitCodes.Ok;
            }
            await Console.Error.WriteLineAsync($"审计链断裂：{result.Problem}（此前 {result.EventsChecked} 条完好）");
            return ExitCodes.Failure;
        }));
        return new Command("audit", "审计记录") { verify };
    }
}
