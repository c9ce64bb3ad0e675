using System.Text.Json;
using Rectify.Cli;
using Rectify.Core.Ledger;
using Rectify.Import;

namespace Rectify.Tests.Import;

/// <summary><c>rectify import FILE [--json]</c> on the seed and on files it cannot read.</summary>
public class ImportCommandTests
{
    static FileInfo Sample(string name) => new(Path.Combine(AppContext.BaseDirectory, "samples", name));

    static (int Code, string Out, string Err) Run(FileInfo file, bool json)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var code = ImportCommand.Run(file, json, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Run_SeedWithJson_PrintsLedgerJsonAndExitsZero()
    {
        var (code, output, error) = Run(Sample("seed-notice.txt"), json: true);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", error);
        var doc = JsonSerializer.Deserialize<LedgerDocument>(output, LedgerDocument.Json)!;
        Assert.Equal(23, doc.AllProblems.Count());
        Assert.Contains("\"status\": \"in_progress\"", output);
        Assert.Contains("\"date\": \"2022-09-30\"", output);
    }

    [Fact]
    public void Run_SeedWithoutJson_PrintsChineseTreeWithCountsAndWarnings()
    {
        var (code, output, _) = Run(Sample("seed-notice.pdf"), json: false);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("（三）基层学校监督管理不到位  [5 个问题]", output);
        Assert.Contains("长期违规借调教师  [3 项措施｜整改推进中]", output);
        Assert.Contains("合计：4 个类别，23 个问题", output);
        Assert.Contains("已完成 22 个，完成率 95.65%", output);
        Assert.Contains("警告 1 条", output);
    }

    [Fact]
    public void Run_UnreadableFile_ExitsTwoWithOneChineseLineOnStderr()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rectify-{Guid.NewGuid():N}.docx");
        File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3]);
        try
        {
            var (code, output, error) = Run(new FileInfo(path), json: true);
            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Equal("", output);
            Assert.StartsWith("无法导入：", error);
            Assert.Single(error.TrimEnd().Split('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_MissingFile_ExitsTwo()
    {
        var (code, _, error) = Run(new FileInfo("/nonexistent/notice.docx"), json: false);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("无法打开文件", error);
    }
}
