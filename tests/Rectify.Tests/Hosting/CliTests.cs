using Rectify.Tests.Support;

namespace Rectify.Tests.Hosting;

public class CliTests
{
    [Fact]
    public async Task Help_ListsEveryVerbWithDescription()
    {
        var r = await RectifyProcess.RunAsync(null, "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var verb in new[] { "serve", "user", "token", "audit", "import", "render" })
            Assert.Matches($@"(?m)^\s+{verb}\b.*\S.*[\u4e00-\u9fff]", r.Out);
    }

    [Fact]
    public async Task UserAdd_WeakPassword_Exit2WithChineseMessage()
    {
        var db = Path.Combine(Path.GetTempPath(), "rectify-tests", Guid.NewGuid().ToString("N") + ".db");
        var r = await RectifyProcess.RunAsync("short", "user", "add", "zhang", "--role", "admin", "--password-stdin", "--db", db);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("密码至少需要 8 个字符", r.Err);
        Assert.DoesNotContain("Exception", r.Err);
    }

    [Fact]
    public async Task UserAddThenTokenCreate_PrintsTokenOnce()
    {
        var db = Path.Combine(Path.GetTempPath(), "rectify-tests", Guid.NewGuid().ToString("N") + ".db");
        var add = await RectifyProcess.RunAsync("Str0ng-password", "user", "add", "zhang", "--role", "admin", "--password-stdin", "--db", db);
        Assert.True(add.ExitCode == 0, add.Err);
        var token = await RectifyProcess.RunAsync(null, "token", "create", "zhang", "--db", db);
        Assert.Equal(0, token.ExitCode);
        Assert.StartsWith("rt_", token.Out.Trim());
        var missing = await RectifyProcess.RunAsync(null, "token", "create", "nobody", "--db", db);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("找不到用户", missing.Err);
    }

    [Fact]
    public async Task UnknownVerb_Exit2()
    {
        var r = await RectifyProcess.RunAsync(null, "frobnicate");
        Assert.Equal(2, r.ExitCode);
    }
}
