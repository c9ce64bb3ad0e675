using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Rectify.Cli;
using Rectify.Core.Import;
using Rectify.Core.Ledger;

namespace Rectify.Tests.Documents;

/// <summary>`rectify render` end to end on the seed notice in samples/.</summary>
public sealed class RenderCommandTests : IDisposable
{
    readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("rectify-render-");
    static readonly string Seed = Path.Combine(AppContext.BaseDirectory, "samples", "seed-notice.txt");

    public void Dispose() => dir.Delete(recursive: true);

    string Out(string name) => Path.Combine(dir.FullName, name);

    static async Task<(int Code, string Error)> Run(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try { return (await RectifyCli.RunAsync(args), error.ToString()); }
        finally { Console.SetError(previous); }
    }

    string WriteLedger(Action<LedgerDocument> change)
    {
        LedgerDocument doc;
        using (var seed = File.OpenRead(Seed)) doc = DocumentImporter.Read(seed, "seed-notice.txt");
        change(doc);
        var path = Out("ledger.json");
        File.WriteAllText(path, JsonSerializer.Serialize(doc, LedgerDocument.Json));
        return path;
    }

    [Theory]
    [InlineData("docx", "notice")]
    [InlineData("docx", "report")]
    [InlineData("docx", "plan")]
    [InlineData("md", "notice")]
    [InlineData("html", "report")]
    [InlineData("xlsx", "notice")]
    [InlineData("json", "notice")]
    public async Task Render_SeedLedger_WritesTheFileAndExitsZero(string to, string kind)
    {
        var (code, error) = await Run("render", Seed, "--to", to, "--kind", kind, "--out", Out("out." + to));
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", error);
        Assert.True(new FileInfo(Out("out." + to)).Length > 500);
        Assert.False(File.Exists(Out("out." + to + ".part")));
    }

    [Fact]
    public async Task Render_ToDocx_TitleFromTheLedger()
    {
        await Run("render", Seed, "--to", "docx", "--out", Out("n.docx"));
        using var w = WordprocessingDocument.Open(Out("n.docx"), false);
        Assert.StartsWith("平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的通报", w.MainDocumentPart!.Document.Body!.InnerText);
    }

    [Fact]
    public async Task Render_ResultContradictsMeasures_ExitsTwoWithOneChineseLineAndWritesNothing()
    {
        var input = WriteLedger(ClaimDoneWhileMeasureOpen);
        var (code, error) = await Run("render", input, "--to", "docx", "--out", Out("n.docx"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("长期违规借调教师", error);
        Assert.StartsWith("文稿与台账不一致", error);
        Assert.False(File.Exists(Out("n.docx")));
        Assert.False(File.Exists(Out("n.docx.part")));
    }

    [Fact]
    public async Task Render_OverrideLint_WritesAndReportsTheReason()
    {
        var input = WriteLedger(ClaimDoneWhileMeasureOpen);
        var (code, error) = await Run("render", input, "--to", "md", "--out", Out("n.md"), "--override-lint", "经党组会研究同意");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("经党组会研究同意", error);
        // The document still states what the ledger shows.
        Assert.Contains("**整改结果：**整改推进中", File.ReadAllText(Out("n.md")));
    }

    /// <summary>长期违规借调教师: the ledger has its first measure in progress, the text claims 已整改.</summary>
    static void ClaimDoneWhileMeasureOpen(LedgerDocument d)
    {
        var p = d.Categories[1].Problems[2];
        foreach (var m in p.Measures) m.Status = MeasureStatus.Rectified;
        p.Measures[0].Status = MeasureStatus.InProgress;
        p.Result = "已整改";
    }

    [Fact]
    public async Task Render_CorruptDocument_ExitsTwoWithChineseMessage()
    {
        File.WriteAllBytes(Out("bad.docx"), [0x50, 0x4B, 0x03, 0x04, 9, 9, 9, 9, 9, 9, 9, 9]);
        var (code, error) = await Run("render", Out("bad.docx"), "--to", "docx", "--out", Out("n.docx"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("文件已损坏", error);
        Assert.False(File.Exists(Out("n.docx")));
    }

    [Fact]
    public async Task Render_MissingFile_ExitsTwo()
    {
        var (code, error) = await Run("render", Out("none.json"), "--to", "docx", "--out", Out("n.docx"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("找不到输入文件", error);
    }

    [Fact]
    public async Task Render_PlanAsMarkdown_ExitsTwo()
    {
        var (code, error) = await Run("render", Seed, "--to", "md", "--kind", "plan", "--out", Out("p.md"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("整改方案暂只能生成 DOCX 或 PDF", error);
    }

    [Fact]
    public async Task Render_UnknownFormat_ExitsTwo()
    {
        var (code, _) = await Run("render", Seed, "--to", "odt", "--out", Out("n.odt"));
        Assert.Equal(ExitCodes.BadInput, code);
    }
}
