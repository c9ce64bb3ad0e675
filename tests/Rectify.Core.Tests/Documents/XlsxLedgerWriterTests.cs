using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;

namespace Rectify.Core.Tests.Documents;

public class XlsxLedgerWriterTests
{
    static SpreadsheetDocument Render(LedgerDocument doc)
    {
        var ms = new MemoryStream();
        new XlsxLedgerWriter().Write(doc, ms);
        ms.Position = 0;
        return SpreadsheetDocument.Open(ms, false);
    }

    static Worksheet Sheet(SpreadsheetDocument x) => x.WorkbookPart!.WorksheetParts.Single().Worksheet;

    static Dictionary<string, Cell> Cells(SpreadsheetDocument x) =>
        Sheet(x).Descendants<Cell>().ToDictionary(c => c.CellReference!.Value!);

    static string Text(Dictionary<string, Cell> cells, string reference) =>
        cells.TryGetValue(reference, out var c) ? c.InlineString?.InnerText ?? "" : "";

    static LedgerDocument Ledger()
    {
        var doc = TestLedgers.SeedLike();
        var m = doc.Categories[1].Problems[2].Measures[0];
        m.Mode = RectificationMode.ByDeadline;
        m.Leader = "张三";
        m.LeadDepartment = "人事股";
        m.Owner = "李四";
        m.Deadline = new DateOnly(2022, 8, 31);
        m.Progress = "=HYPERLINK(\"http://x\")";
        m.Remarks = "@SUM(A1)";
        doc.Categories[0].Problems.Add(new LedgerProblem { Title = "尚未制定措施的问题", Status = MeasureStatus.NotStarted });
        doc.Statistics.Clear();
        return doc;
    }

    [Fact]
    public void Write_SeedLike_OpensAndPassesOpenXmlValidator()
    {
        using var x = Render(Ledger());
        Assert.Empty(new OpenXmlValidator(FileFormatVersions.Office2019).Validate(x).Select(e => $"{e.Path?.XPath}: {e.Description}"));
    }

    [Fact]
    public void Write_SeedLike_HeaderRowHasTheLedgerColumnsInOrder()
    {
        using var x = Render(Ledger());
        var header = Sheet(x).Descendants<Row>().First().Elements<Cell>().Select(c => c.InlineString!.InnerText);
        Assert.Equal(
            ["序号", "问题类别", "具体问题", "整改目标", "整改措施", "整改方式", "责任领导", "责任部门", "责任人", "整改时限",
             "整改进展", "整改状态", "整改成效", "建章立制", "佐证材料", "销号情况", "备注"], header);
    }

    [Fact]
    public void Write_SeedLike_OneRowPerMeasurePlusOneForAProblemWithout()
    {
        var doc = Ledger();
        using var x = Render(doc);
        var rows = Sheet(x).Descendants<Row>().Count();
        Assert.Equal(1 + doc.AllProblems.Sum(p => Math.Max(1, p.Measures.Count)), rows);
        var cells = Cells(x);
        // Category 一 has 3 + 2 measures, then the problem without measures in row 7.
        Assert.Equal("尚未制定措施的问题", Text(cells, "C7"));
        Assert.Equal("尚未启动", Text(cells, "L7"));
        Assert.Equal("3", Text(cells, "A7"));
    }

    [Fact]
    public void Write_SeedLike_CategoryAndProblemCellsMergedOverTheirMeasures()
    {
        using var x = Render(Ledger());
        var merges = Sheet(x).Descendants<MergeCell>().Select(m => m.Reference!.Value).ToHashSet();
        // Category 一: rows 2–7; its first problem has three measures (rows 2–4).
        Assert.Contains("B2:B7", merges);
        Assert.Contains("A2:A4", merges);
        Assert.Contains("C2:C4", merges);
        Assert.Contains("D2:D4", merges);
        Assert.DoesNotContain(merges, m => m!.StartsWith("C7", StringComparison.Ordinal));
        var cells = Cells(x);
        Assert.Equal("政治建设重视不够，意识形态工作存在不足", Text(cells, "B2"));
        Assert.Equal("学习贯彻党的教育体育方针政策不深入", Text(cells, "C2"));
        Assert.Equal("教体局党组列出政治理论学习年度计划，坚持每月一次党组理论中心组学习", Text(cells, "E2"));
        Assert.Equal("充分发挥党支部堡垒作用，发挥党员模范带头作用", Text(cells, "E3"));
    }

    [Fact]
    public void Write_SeedLike_MeasureColumnsAndStatusColours()
    {
        using var x = Render(Ledger());
        var cells = Cells(x);
        var row = Sheet(x).Descendants<Cell>().First(c => c.InlineString?.InnerText == "张三").CellReference!.Value![1..];
        Assert.Equal("限期整改", Text(cells, "F" + row));
        Assert.Equal("人事股", Text(cells, "H" + row));
        Assert.Equal("李四", Text(cells, "I" + row));
        Assert.Equal("2022年8月31日", Text(cells, "J" + row));
        Assert.Equal("已整改", Text(cells, "L" + row));
        var next = (int.Parse(row) + 1).ToString();
        Assert.Equal("整改推进中", Text(cells, "L" + next));

        var fills = x.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        string FillOf(string reference) => x.WorkbookPart.WorkbookStylesPart.Stylesheet.Fills!.Elements<Fill>()
            .ElementAt((int)fills[(int)cells[reference].StyleIndex!.Value].FillId!.Value).PatternFill!.ForegroundColor?.Rgb?.Value ?? "";
        Assert.Equal("FFC6EFCE", FillOf("L" + row));   // completed: green
        Assert.Equal("FFFFEB9C", FillOf("L" + next));  // in progress: yellow
        Assert.Equal("FFFFC7CE", FillOf("L7"));        // not started: red
    }

    [Fact]
    public void Write_TextStartingWithFormulaCharacters_IsNeutralised()
    {
        using var x = Render(Ledger());
        var texts = Sheet(x).Descendants<Cell>().Select(c => c.InlineString?.InnerText).ToList();
        Assert.Contains("'=HYPERLINK(\"http://x\")", texts);
        Assert.Contains("'@SUM(A1)", texts);
        Assert.Empty(Sheet(x).Descendants<CellFormula>());
        Assert.Equal("'-1", XlsxLedgerWriter.Neutralise("-1"));
        Assert.Equal("'+86", XlsxLedgerWriter.Neutralise("+86"));
        Assert.Equal("一是", XlsxLedgerWriter.Neutralise("一是"));
    }

    [Fact]
    public void Write_SeedLike_FrozenHeaderAndA4LandscapePrintSetupRepeatingTheHeader()
    {
        using var x = Render(Ledger());
        var ws = Sheet(x);
        var pane = ws.Descendants<Pane>().Single();
        Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
        Assert.Equal(1d, pane.VerticalSplit!.Value);
        Assert.Equal("A2", pane.TopLeftCell!.Value);

        var setup = ws.GetFirstChild<PageSetup>()!;
        Assert.Equal(OrientationValues.Landscape, setup.Orientation!.Value);
        Assert.Equal(9u, setup.PaperSize!.Value); // A4
        Assert.Equal(1u, setup.FitToWidth!.Value);
        Assert.Equal(0u, setup.FitToHeight!.Value);
        Assert.True(ws.GetFirstChild<SheetProperties>()!.PageSetupProperties!.FitToPage!.Value);

        var titles = x.WorkbookPart!.Workbook.DefinedNames!.Elements<DefinedName>().Single();
        Assert.Equal("_xlnm.Print_Titles", titles.Name!.Value);
        Assert.Equal(0u, titles.LocalSheetId!.Value);
        Assert.Equal("'整改台账'!$1:$1", titles.Text);
        Assert.Equal("整改台账", x.WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single().Name!.Value);
    }

    [Fact]
    public void Write_NonSeekableOutput_Streams()
    {
        using var sink = new ForwardOnlyStream();
        new XlsxLedgerWriter().Write(Ledger(), sink);
        Assert.True(sink.Written > 1000);
    }

    sealed class ForwardOnlyStream : Stream
    {
        public long Written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Written; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Written += count;
    }
}
