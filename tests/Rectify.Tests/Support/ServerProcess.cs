using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Rectify.Tests.Support;

/// <summary>
/// `rectify serve` as a real child process on a free port: started, waited for until /health/ready answers, then
/// killed hard (SIGKILL) or stopped gently (SIGTERM). For drills that must survive what TestServer cannot simulate.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new();

    ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Starts the server and returns once it is ready; throws with its output if it exits or hangs.</summary>
    public static async Task<ServerProcess> StartAsync(string db, params string[] extra)
    {
        var server = Launch(db, extra);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited) throw new InvalidOperationException($"server exited with {server.ExitCode}: {server.Output}");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        server.Kill();
        throw new TimeoutException("server did not become ready: " + server.Output);
    }

    /// <summary>Starts the server without waiting (for a start that is expected to fail).</summary>
    public static ServerProcess Launch(string db, params string[] extra) => Launch(db, new Dictionary<string, string>(), extra);

    /// <summary>Starts the server without waiting, with these environment variables on top of the tests' defaults.</summary>
    public static ServerProcess Launch(string db, IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "rectify.dll"));
        foreach (var a in (string[])["serve", "--db", db, "--urls", $"http://127.0.0.1:{port}", .. extra]) psi.ArgumentList.Add(a);
        psi.Environment.Remove("RECTIFY_DB");
        // Drills write as fast as they can: the write rate limit would measure itself, not durability.
        psi.Environment["Rectify__RateLimit__WritesPerMinute"] = "0";
        // Ready at once: the drills measure the server, not its warm-up (WarmUpTests do).
        psi.Environment["Rectify__WarmUp__Seconds"] = "0";
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var p = Process.Start(psi)!;
        var server = new ServerProcess(p, new Uri($"http://127.0.0.1:{port}"));
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._output) server._output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs, like a power cut of the process.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: false);
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM: what systemd sends on stop; the host finishes in-flight requests, then exits.</summary>
    public void Terminate()
    {
        if (!_process.HasExited) _ = SendSignal(_process.Id, 15);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
