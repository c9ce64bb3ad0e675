using Rectify.Core.Ledger;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>How notices and feedback documents written in the other usual ways are structured.</summary>
public class NoticeStructureTests
{
    [Fact]
    public void Read_FeedbackWithoutMeasures_KindFeedbackProblemsWithDescriptions()
    {
        var doc = ReadText("""
            区委第一巡察组关于巡察区教育局党组的反馈意见

            一、党的领导弱化方面

            1.学习贯彻党的教育方针不深入。党组理论中心组学习流于形式，全年仅学习3次。

            2.意识形态工作有短板。

            二、全面从严治党方面

            1.违规出借公共体育设施。
            """);
        Assert.Equal("feedback", doc.Kind);
        Assert.Equal(["党的领导弱化方面", "全面从严治党方面"], doc.Categories.Select(c => c.Title));
        var first = doc.Categories[0].Problems[0];
        Assert.Equal("学习贯彻党的教育方针不深入", first.Title);
        Assert.Equal("党组理论中心组学习流于形式，全年仅学习3次。", first.Description);
        Assert.Empty(first.Measures);
        Assert.Empty(doc.Warnings); // a feedback document has no results to miss
    }

    [Fact]
    public void Read_QuotedCategoryAndProblemHeadings_TitlesKeptAsWritten()
    {
        var doc = ReadText("""
            通报

            二、具体整改情况

            （一）在“政治建设”方面

            1.关于“学习贯彻不深入”问题的整改

            整改情况：已完成整改。

            （二）在“从严治党”方面

            （1）关于“违规出借设施”问题的整改

            整改进展：正在整改
            """);
        Assert.Equal(["在“政治建设”方面", "在“从严治党”方面"], doc.Categories.Select(c => c.Title));
        var p1 = Assert.Single(doc.Categories[0].Problems);
        Assert.Equal(("1", "关于“学习贯彻不深入”问题的整改", MeasureStatus.Rectified), (p1.Number, p1.Title, p1.Status));
        var p2 = Assert.Single(doc.Categories[1].Problems);
        Assert.Equal(("1", MeasureStatus.InProgress), (p2.Number, p2.Status));
    }

    [Fact]
    public void Read_ProblemWithoutResultLine_WarningWithLocation()
    {
        var doc = ReadText("通报\n\n（一）作风方面\n\n1. 考勤不严。\n\n整改措施：加强督查。\n\n2. 资产处置随意。\n\n整改措施：严格审批。\n\n整改结果：已整改");
        var w = Assert.Single(doc.Warnings);
        Assert.Equal("第5行", w.Where);
        Assert.Contains("考勤不严", w.Message);
        Assert.Contains("没有整改结果", w.Message);
    }

    [Fact]
    public void Read_NumberingSkips_Warning()
    {
        var doc = ReadText("通报\n\n（一）作风方面\n\n1. 考勤不严。\n\n3. 资产处置随意。\n\n（三）党建方面\n\n1. 党建薄弱。");
        Assert.Contains(doc.Warnings, w => w.Message.Contains("跳过：1 之后是 3") && w.Where == "第7行");
        Assert.Contains(doc.Warnings, w => w.Message.Contains("问题类别编号跳过"));
    }

    [Fact]
    public void Read_TextFittingNoLevel_UnassignedWithWarning()
    {
        var doc = ReadText("通报\n\n一、具体整改情况\n\n这段文字出现在任何类别之前。\n\n（一）作风方面\n\n1. 考勤不严。\n\n整改结果：已整改");
        Assert.Equal(["这段文字出现在任何类别之前。"], doc.Unassigned);
        Assert.Contains(doc.Warnings, w => w.Where == "第5行" && w.Message.Contains("无法归入"));
    }

    [Fact]
    public void Read_PartlyItemisedCategory_TextKeptOnCategory()
    {
        var doc = ReadText("通报\n\n二、具体整改情况\n\n（一）关于政治建设方面的问题\n\n针对学习不深入的问题，党组制定了学习计划，已整改到位。\n\n（二）关于作风建设方面的问题\n\n1. 考勤不严。\n\n整改结果：已整改");
        Assert.Equal("针对学习不深入的问题，党组制定了学习计划，已整改到位。", doc.Categories[0].Text);
        Assert.Empty(doc.Categories[0].Problems);
        Assert.Single(doc.Categories[1].Problems);
        Assert.Empty(doc.Unassigned);
    }

    [Fact]
    public void Read_MeasuresAsNumberedLinesWithResponsibility_SplitAndAssigned()
    {
        var doc = ReadText("""
            通报

            （一）作风方面

            1. 考勤不严。

            整改措施：

            （1）建立考勤制度；

            （2）每月通报考勤情况。

            责任单位：办公室牵头，配合：人事股、各学校

            整改时限：2022年12月31日

            整改结果：已完成整改
            """);
        var p = Assert.Single(doc.AllProblems);
        Assert.Equal(["建立考勤制度；", "每月通报考勤情况。"], p.Measures.Select(m => m.Text));
        Assert.All(p.Measures, m => Assert.Equal("办公室", m.LeadDepartment));
        Assert.Equal(["人事股", "各学校"], p.Measures[0].SupportingDepartments);
        Assert.Equal(new DateOnly(2022, 12, 31), p.Measures[1].Deadline);
        Assert.Equal(MeasureStatus.Rectified, p.Status);
    }

    [Fact]
    public void Read_StrayLaterMarkerWithoutFirst_NotSplit()
    {
        var doc = ReadText("通报\n\n（一）作风方面\n\n1. 考勤不严。\n\n整改措施：统筹安排，三是指第三种情况。\n\n整改结果：已整改");
        var m = Assert.Single(Assert.Single(doc.AllProblems).Measures);
        Assert.Equal("统筹安排，三是指第三种情况。", m.Text);
    }

    [Fact]
    public void Read_BracketedHeadingsWithLabelsRightUnder_AreProblems()
    {
        var doc = ReadText("""
            通报

            二、具体整改情况

            （一）关于学习不深入的问题

            整改措施：一是制定学习计划；二是每月集中学习。

            整改结果：已整改

            （二）关于资产处置随意的问题

            整改情况：正在整改
            """);
        var category = Assert.Single(doc.Categories);
        Assert.Equal("", category.Number);
        Assert.Equal([("一", "关于学习不深入的问题", 2), ("二", "关于资产处置随意的问题", 0)], category.Problems.Select(p => (p.Number, p.Title, p.Measures.Count)));
        Assert.Equal([MeasureStatus.Rectified, MeasureStatus.InProgress], category.Problems.Select(p => p.Status!.Value));
        Assert.Equal(["二、具体整改情况"], doc.Parts);
    }

    [Fact]
    public void Read_PartHeadingsOverBracketedProblems_PartsBecomeCategories()
    {
        var doc = ReadText("""
            反馈意见整改情况

            一、党的领导方面

            （一）学习贯彻不深入。

            整改措施：建立学习制度。

            整改结果：已整改，长期坚持

            （二）意识形态有短板。

            整改措施：明确专人负责。

            整改结果：已整改

            二、从严治党方面

            （一）违规出借设施。

            整改措施：收回场馆。

            整改结果：整改推进中
            """);
        Assert.Equal([("一", "党的领导方面", 2), ("二", "从严治党方面", 1)], doc.Categories.Select(c => (c.Number, c.Title, c.Problems.Count)));
        Assert.Equal("学习贯彻不深入", doc.Categories[0].Problems[0].Title);
        Assert.Equal(MeasureStatus.InProgress, doc.Categories[1].Problems[0].Status);
        Assert.Empty(doc.Parts);
        Assert.Empty(doc.Warnings);
    }

    [Fact]
    public void Read_ResponsibilityLinesWithoutMeasures_KeptInDescription()
    {
        var doc = ReadText("通报\n\n（一）作风方面\n\n1. 考勤不严。\n\n责任领导：张三\n\n整改结果：已整改");
        var p = Assert.Single(doc.AllProblems);
        Assert.Empty(p.Measures);
        Assert.Equal("责任领导：张三", p.Description);
    }

    [Fact]
    public void Read_TextAfterClosingDate_UnassignedWithWarning()
    {
        var doc = ReadText("通报\n\n正文。\n\n某局党组\n\n2022年9月30日\n\n（此件公开发布）");
        Assert.Equal(["（此件公开发布）"], doc.Unassigned);
        Assert.Contains(doc.Warnings, w => w.Where == "第9行" && w.Message.Contains("落款日期之后"));
    }

    [Fact]
    public void Read_ProvincialStyleReport_NarrativePartInOverviewProblemsItemised()
    {
        var doc = ReadText("""
            中共某县委关于省委第三巡视组反馈意见整改进展情况的通报

            根据省委统一部署，2021年4月6日至5月31日，省委第三巡视组对某县进行了常规巡视。2021年7月16日，省委巡视组向某县县委反馈了巡视意见。

            一、提高政治站位，坚决扛起巡视整改政治责任

            （一）加强组织领导。县委成立整改工作领导小组，书记任组长。

            （二）压实整改责任。建立问题、任务、责任三张清单。

            二、聚焦反馈意见，逐项推进整改落实

            （一）关于“贯彻落实党的路线方针政策有差距”方面

            1.关于“学习贯彻不够深入”问题的整改

            （1）修订完善县委理论学习中心组学习制度；

            （2）开展专题读书班3期。

            整改进展：已完成整改。

            2.关于“意识形态责任制落实不到位”问题的整改

            整改进展：正在整改。

            中共某县委

            2021年10月20日
            """);
        Assert.Equal(["一、提高政治站位，坚决扛起巡视整改政治责任"], doc.Parts.Take(1));
        Assert.Equal(["（一）加强组织领导。县委成立整改工作领导小组，书记任组长。", "（二）压实整改责任。建立问题、任务、责任三张清单。"], doc.Overview);
        var category = Assert.Single(doc.Categories);
        Assert.Equal("关于“贯彻落实党的路线方针政策有差距”方面", category.Title);
        Assert.Equal(2, category.Problems.Count);
        Assert.Equal(["修订完善县委理论学习中心组学习制度；", "开展专题读书班3期。"], category.Problems[0].Measures.Select(m => m.Text));
        Assert.Equal([MeasureStatus.Rectified, MeasureStatus.InProgress], category.Problems.Select(p => p.Status!.Value));
        Assert.Equal(("省委第三巡视组", new DateOnly(2021, 4, 6), new DateOnly(2021, 5, 31), new DateOnly(2021, 7, 16)),
            (doc.Inspection!.Team!, doc.Inspection.Start!.Value, doc.Inspection.End!.Value, doc.Inspection.FeedbackDate!.Value));
        Assert.Equal(("中共某县委", new DateOnly(2021, 10, 20)), (doc.Issuer!, doc.Date!.Value));
        Assert.Empty(doc.Unassigned);
        Assert.Empty(doc.Warnings);
    }

    [Fact]
    public void Read_FeedbackProblemWithNumberedManifestations_KeptInDescription()
    {
        var doc = ReadText("反馈意见\n\n一、党的建设方面\n\n1.基层党建薄弱。\n\n（1）支部活动不规范；\n\n（2）党费收缴不及时。");
        var p = Assert.Single(doc.AllProblems);
        Assert.Empty(p.Measures);
        Assert.Equal("（1）支部活动不规范；\n（2）党费收缴不及时。", p.Description);
        Assert.Equal("feedback", doc.Kind);
    }

    [Fact]
    public void Read_TextWithoutAnyProblem_WarnedForTheWholeText()
    {
        var w = Assert.Single(ReadText("会议通知\n\n请各单位准时参加。").Warnings);
        Assert.Equal("全文", w.Where);
        Assert.Contains("没有识别出任何问题", w.Message);
    }

    [Fact]
    public void Read_SignatureWithChineseNumeralDate_IssuerAndDateFound()
    {
        var doc = ReadText("通报\n\n正文内容。\n\n中共某县教育局党组\n\n二〇二二年九月三十日");
        Assert.Equal("中共某县教育局党组", doc.Issuer);
        Assert.Equal(new DateOnly(2022, 9, 30), doc.Date);
        Assert.Equal(["正文内容。"], doc.Opening);
    }
}
