using Rectify.Core.Documents;
using Rectify.Core.Ledger;

namespace Rectify.Core.Tests.Documents;

public class NoticeLintTests
{
    [Fact]
    public void Check_SeedLike_NoIssues()
    {
        Assert.Empty(NoticeLint.Check(TestLedgers.SeedLike()));
    }

    [Fact]
    public void Check_ResultSaysRectifiedButMeasureInProgress_NamesTheProblemAndMeasure()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[1].Result = "已整改";

        var issue = Assert.Single(NoticeLint.Check(doc));
        Assert.Contains("长期违规借调教师", issue.Where);
        Assert.Contains("第2个问题", issue.Where);
        Assert.Contains("整改结果写作“已整改”", issue.Message);
        Assert.Contains("措施二整改推进中", issue.Message);
    }

    [Fact]
    public void Check_ProblemStatusRectifiedButMeasureInProgress_ReportsIt()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[1].Status = MeasureStatus.RectifiedOngoing;

        var issue = Assert.Single(NoticeLint.Check(doc));
        Assert.Contains("问题状态为“已整改，长期坚持”", issue.Message);
    }

    [Fact]
    public void Check_ResultRectifiedWithoutLongTermButMeasuresLongTerm_NoIssue()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[0].Result = "已整改";
        Assert.Empty(NoticeLint.Check(doc));
    }

    [Fact]
    public void Check_ResultUnderstatesFinishedMeasures_ReportsIt()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[0].Result = "整改推进中";
        Assert.Single(NoticeLint.Check(doc));
    }

    [Theory]
    [InlineData("problems", 26, "反馈问题数")]
    [InlineData("rectified", 25, "已完成整改问题数")]
    [InlineData("completion_rate", 100, "整改完成率")]
    [InlineData("funds_yuan", 2000, "追缴清退资金")]
    public void Check_StatedFigureDiffersFromLedger_ReportsStatedAndComputed(string kind, int stated, string name)
    {
        var doc = TestLedgers.SeedLike();
        doc.Statistics.Single(f => f.Kind == kind).Value = stated;

        var issue = Assert.Single(NoticeLint.Check(doc));
        Assert.Contains(name, issue.Message);
        Assert.Contains($"为{stated}", issue.Message);
    }

    [Fact]
    public void Check_RateWithTwoDecimals_MatchesRoundedLedgerRate()
    {
        var doc = TestLedgers.SeedLike();
        // 24 of 26 problems completed: 92.31%.
        doc.Categories[0].Problems.Add(TestLedgers.Problem("新增问题", ("新增措施", MeasureStatus.InProgress)));
        doc.Statistics = [new StatedFigure { Kind = "completion_rate", Value = 92.31m, Unit = "%" }, new StatedFigure { Kind = "completion_rate", Value = 92.3m, Unit = "%" }];
        Assert.Empty(NoticeLint.Check(doc));
        doc.Statistics = [new StatedFigure { Kind = "completion_rate", Value = 92.32m, Unit = "%" }];
        Assert.Single(NoticeLint.Check(doc));
    }

    [Fact]
    public void Check_FigureTheLedgerDoesNotHold_ReportsUnverifiable()
    {
        var doc = TestLedgers.SeedLike();
        doc.Statistics.Add(new StatedFigure { Kind = "rules", Value = 12, Unit = "项", Text = "制定完善制度12项" });

        var issue = Assert.Single(NoticeLint.Check(doc));
        Assert.Equal("“制定完善制度12项”", issue.Where);
        Assert.Contains("没有可核对", issue.Message);
    }

    [Fact]
    public void Enforce_IssuesWithoutReason_ThrowsListingThem()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[1].Result = "已整改";
        var ex = Assert.Throws<DocumentLintException>(() => NoticeLint.Enforce(doc, null));
        Assert.StartsWith("文稿与台账不一致，已拒绝生成（共1处）", ex.Message);
        Assert.Contains("长期违规借调教师", ex.Message);
    }

    [Fact]
    public void Enforce_IssuesWithReason_ReturnsIssuesAndReasonForTheAuditTrail()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[1].Result = "已整改";
        var outcome = NoticeLint.Enforce(doc, "  经党组会研究同意  ");
        Assert.True(outcome.Overridden);
        Assert.Equal("经党组会研究同意", outcome.OverrideReason);
        Assert.Single(outcome.Issues);
    }

    [Fact]
    public void Enforce_NoIssues_ReturnsNoReason()
    {
        var outcome = NoticeLint.Enforce(TestLedgers.SeedLike(), "无需理由");
        Assert.False(outcome.Overridden);
        Assert.Null(outcome.OverrideReason);
    }
}
