using Rectify.Core.Ledger;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>An .xlsx ledger with merged category and problem cells over several measure rows.</summary>
public class LedgerTableImportTests
{
    static readonly LedgerDocument Ledger = Read(LedgerXlsx(), "台账.xlsx");

    [Fact]
    public void Read_XlsxWithMergedCells_CategoriesProblemsAndMeasuresGrouped()
    {
        Assert.Equal("ledger", Ledger.Kind);
        Assert.Equal([("一", "政治建设方面"), ("二", "履职尽责方面")], Ledger.Categories.Select(c => (c.Number, c.Title)));
        Assert.Equal([2, 1], Ledger.Categories.Select(c => c.Problems.Count));
        Assert.Equal([2, 2, 1], Ledger.AllProblems.Select(p => p.Measures.Count));
        Assert.Equal(["学习贯彻党的教育方针不深入", "意识形态工作有短板", "长期违规借调教师"], Ledger.AllProblems.Select(p => p.Title));
        Assert.Equal(["1", "2", "3"], Ledger.AllProblems.Select(p => p.Number));
        Assert.Empty(Ledger.Warnings);
    }

    [Fact]
    public void Read_XlsxStatuses_MeasureStatusesAndDerivedProblemStatus()
    {
        var first = Ledger.Categories[0].Problems[0];
        Assert.Equal([MeasureStatus.RectifiedOngoing, MeasureStatus.Rectified], first.Measures.Select(m => m.Status!.Value));
        Assert.Equal(MeasureStatus.RectifiedOngoing, first.Status);
        Assert.Equal(MeasureStatus.InProgress, Ledger.Categories[0].Problems[1].Status); // one measure still 整改推进中
        Assert.Equal(MeasureStatus.InProgress, Ledger.Categories[1].Problems[0].Status); // 未完成
    }

    [Fact]
    public void Read_XlsxResponsibilityColumns_ReadIntoMeasures()
    {
        var m = Ledger.Categories[0].Problems[0].Measures[0];
        Assert.Equal("每月一次理论中心组学习", m.Text);
        Assert.Equal(RectificationMode.LongTerm, m.Mode);
        Assert.Equal("张三", m.Leader);
        Assert.Equal("办公室", m.LeadDepartment);
        Assert.Equal(["人事股", "教育股"], m.SupportingDepartments);
        Assert.Equal("李四", m.Owner);
        Assert.Equal(new DateOnly(2022, 12, 31), m.Deadline);
        var byMonth = Ledger.Categories[0].Problems[1].Measures[0];
        Assert.Equal((RectificationMode.Immediate, new DateOnly(2022, 10, 31)), (byMonth.Mode!.Value, byMonth.Deadline!.Value));
    }

    [Fact]
    public void Read_XlsxWithTwoHeaderRows_SecondRowColumnsUsed()
    {
        var xlsx = Xlsx(
            [
                ["序号", "问题类别", "具体问题", "整改措施", "责任落实", "", "", "整改状态"],
                ["", "", "", "", "责任领导", "责任部门", "责任人", ""],
                ["1", "作风方面", "考勤不严", "每周督查考勤", "张三", "办公室", "李四", "已整改"],
            ],
            "A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:G1", "H1:H2");
        var doc = Read(xlsx, "两行表头.xlsx");
        var m = Assert.Single(Assert.Single(doc.AllProblems).Measures);
        Assert.Equal(("张三", "办公室", "李四", MeasureStatus.Rectified), (m.Leader!, m.LeadDepartment!, m.Owner!, m.Status!.Value));
        Assert.Empty(doc.Warnings);
    }

    [Fact]
    public void Read_XlsxWithoutLedgerHeader_ReadAsTextWithWarning()
    {
        var doc = Read(Xlsx([["会议纪要"], ["一、具体整改情况"], ["（一）作风方面"], ["1. 考勤不严。"], ["整改结果：已整改"]]), "纪要.xlsx");
        Assert.Contains(doc.Warnings, w => w.Message.Contains("没有可识别的台账表头") && w.Where.Contains("第1行"));
        Assert.Equal("考勤不严", Assert.Single(doc.AllProblems).Title);
    }

    [Fact]
    public void Read_DocxWithLedgerTable_VerticallyMergedCellsFilledDown()
    {
        var docx = DocxTable(["问题类别", "具体问题", "整改措施", "责任人", "整改状态"],
            ["政治建设方面", "学习不深入", "每月学习", "李四", "已整改"],
            [null, null, "专题党课", "王五", "整改推进中"],
            [null, "意识形态有短板", "明确专人", "赵六", "已整改"]);
        var doc = Read(docx, "台账.docx");
        Assert.Equal("ledger", doc.Kind);
        var category = Assert.Single(doc.Categories);
        Assert.Equal("政治建设方面", category.Title);
        Assert.Equal([2, 1], category.Problems.Select(p => p.Measures.Count));
        Assert.Equal(["李四", "王五"], category.Problems[0].Measures.Select(m => m.Owner!));
        Assert.Equal(MeasureStatus.InProgress, category.Problems[0].Status);
        Assert.Equal("整改台账", doc.Title);
    }
}
