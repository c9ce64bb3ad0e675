using System.Diagnostics;

namespace Rectify.Tests.Support;

/// <summary>Runs the real `rectify` executable (the build output next to the tests) as a child process.</summary>
public static class RectifyProcess
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static async Task<Result> RunAsync(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rectify.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("RECTIFY_DB");
        using var p = Process.Start(psi)!;
        if (stdin is not null) await p.StandardInput.WriteLineAsync(stdin);
        p.StandardInput.Close();
        var outTask = p.StandardOutput.ReadToEndAsync();
        var errTask = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(cts.Token);
        return new Result(p.ExitCode, await outTask, await errTask);
    }
}
