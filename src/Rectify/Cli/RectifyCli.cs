using System.CommandLine;
using System.Text;

namespace Rectify.Cli;

/// <summary>The one executable: every verb is registered here, each built by its feature's own class.</summary>
public static class RectifyCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        var root = new RootCommand("Rectify 整改台账：巡视巡察反馈问题整改的台账、督办、销号与通报。");
        foreach (var verb in Verbs()) root.Subcommands.Add(verb);

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var e in parse.Errors) await Console.Error.WriteLineAsync("参数错误：" + e.Message);
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync();
    }

    static IEnumerable<Command> Verbs() =>
    [
        Hosting.ServeCommand.Create(),
        Access.UserCommands.User(),
        Access.UserCommands.Token(),
        Audit.AuditCommand.Create(),
        Import.ImportCommand.Create(),
        Documents.RenderCommand.Build(),
        Documents.NoticeCommand.Build(),
        Operations.BackupCommands.Backup(),
        Operations.BackupCommands.Restore(),
        Operations.BackupCommands.MigrateDb(),
        GenerateCommand.Create(),
    ];
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    /// <summary>The input could not be used (unreadable file, bad argument, unknown id).</summary>
    public const int BadInput = 2;
}
