using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;

namespace Rectify.Core.Tests.Documents;

public class PlanDocxWriterTests
{
    static WordprocessingDocument Render(LedgerDocument doc)
    {
        var ms = new MemoryStream();
        new PlanDocxWriter().Write(doc, ms);
        ms.Position = 0;
        return WordprocessingDocument.Open(ms, false);
    }

    static LedgerDocument PlanLedger()
    {
        var doc = TestLedgers.SeedLike();
        var m = doc.Categories[1].Problems[2].Measures[0];
        m.Leader = "张三";
        m.LeadDepartment = "人事股";
        m.SupportingDepartments = ["办公室"];
        m.Owner = "李四";
        m.Deadline = new DateOnly(2022, 8, 31);
        doc.Categories[1].Problems[2].Goal = "借调人员全部清理到位";
        return doc;
    }

    static List<string> Row(TableRow r) => r.Elements<TableCell>().Select(c => c.InnerText).ToList();

    [Fact]
    public void Write_SeedLike_PassesOpenXmlValidator()
    {
        using var w = Render(PlanLedger());
        Assert.Empty(new OpenXmlValidator(FileFormatVersions.Office2019).Validate(w).Select(e => $"{e.Path?.XPath}: {e.Description}"));
    }

    [Fact]
    public void Write_SeedLike_HasThreeListsWithTheirHeaders()
    {
        using var w = Render(PlanLedger());
        var tables = w.MainDocumentPart!.Document.Body!.Elements<Table>().ToList();
        Assert.Equal(3, tables.Count);
        Assert.Equal(["序号", "问题类别", "具体问题"], Row(tables[0].Elements<TableRow>().First()));
        Assert.Equal(["序号", "问题", "整改措施", "整改目标", "整改时限"], Row(tables[1].Elements<TableRow>().First()));
        Assert.Equal(["序号", "整改措施", "责任领导", "责任部门", "责任人"], Row(tables[2].Elements<TableRow>().First()));
        foreach (var t in tables) Assert.NotNull(t.Elements<TableRow>().First().TableRowProperties!.GetFirstChild<TableHeader>());

        var doc = PlanLedger();
        Assert.Equal(1 + doc.AllProblems.Count(), tables[0].Elements<TableRow>().Count());
        var measures = doc.AllProblems.Sum(p => p.Measures.Count);
        Assert.Equal(1 + measures, tables[1].Elements<TableRow>().Count());
        Assert.Equal(1 + measures, tables[2].Elements<TableRow>().Count());
    }

    [Fact]
    public void Write_SeedLike_ListsMergeCategoryAndProblemCellsAndCarryResponsibility()
    {
        using var w = Render(PlanLedger());
        var tables = w.MainDocumentPart!.Document.Body!.Elements<Table>().ToList();
        var rows = tables[1].Elements<TableRow>().ToList();
        var first = rows.FindIndex(r => Row(r)[1] == "长期违规借调教师");
        Assert.Equal(MergedCellValues.Restart, rows[first].Elements<TableCell>().ElementAt(1).TableCellProperties!.VerticalMerge!.Val!.Value);
        Assert.Equal(MergedCellValues.Continue, rows[first + 1].Elements<TableCell>().ElementAt(1).TableCellProperties!.VerticalMerge!.Val!.Value);
        Assert.Equal("借调人员全部清理到位", Row(rows[first])[3]);
        Assert.Equal("2022年8月31日", Row(rows[first])[4]);

        var problemRows = tables[0].Elements<TableRow>().ToList();
        Assert.Equal("政治建设重视不够，意识形态工作存在不足", Row(problemRows[1])[1]);
        Assert.Equal(MergedCellValues.Restart, problemRows[1].Elements<TableCell>().ElementAt(1).TableCellProperties!.VerticalMerge!.Val!.Value);
        Assert.Equal(MergedCellValues.Continue, problemRows[2].Elements<TableCell>().ElementAt(1).TableCellProperties!.VerticalMerge!.Val!.Value);

        var duty = tables[2].Elements<TableRow>().Select(Row).Single(r => r[2] == "张三");
        Assert.Equal(["人事股（牵头）；办公室（配合）", "李四"], duty.Skip(3));
    }

    [Fact]
    public void DocxNoticeWriter_KindPlan_WritesThePlan()
    {
        var ms = new MemoryStream();
        new DocxNoticeWriter().Write(PlanLedger(), ms, new RenderOptions { Kind = DocumentKind.Plan });
        ms.Position = 0;
        using var w = WordprocessingDocument.Open(ms, false);
        Assert.Equal(3, w.MainDocumentPart!.Document.Body!.Elements<Table>().Count());
    }

    [Fact]
    public void Write_SeedLike_TitleAndPageFollowGb()
    {
        using var w = Render(PlanLedger());
        var body = w.MainDocumentPart!.Document.Body!;
        var title = body.Elements<Paragraph>().First();
        Assert.Equal("中共平顶山市石龙区教育体育局党组关于落实区委第一巡察组反馈意见的整改方案", title.InnerText);
        Assert.Equal(JustificationValues.Center, title.ParagraphProperties!.Justification!.Val!.Value);
        Assert.Equal(2098, body.Elements<SectionProperties>().Single().GetFirstChild<PageMargin>()!.Top!.Value);
    }
}
