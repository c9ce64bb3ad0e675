using Rectify.Core.Ledger;
using static Rectify.Core.Ledger.MeasureStatus;

namespace Rectify.Core.Tests.Ledger;

public class StatusRulesTests
{
    public static TheoryData<MeasureStatus, MeasureStatus, bool> Transitions => new()
    {
        { NotStarted, InProgress, true },
        { InProgress, PendingClosure, true },
        { PendingClosure, Closed, true },
        { PendingClosure, InProgress, true },      // returned request
        { InProgress, ExtensionRequested, true },
        { ExtensionRequested, InProgress, true },
        { ExtensionRequested, Closed, false },
        { InProgress, Closed, false },             // nothing is struck off without review
        { NotStarted, Closed, false },
        { Rectified, Closed, true },
        { RectifiedOngoing, Closed, true },
        { Closed, InProgress, true },              // reopened in 回头看
        { Closed, Rectified, false },
        { Closed, NotStarted, false },
        { BasicallyRectified, Rectified, true },
        { Closed, Closed, true },
    };

    [Theory, MemberData(nameof(Transitions))]
    public void CanTransition_Table_MatchesRules(MeasureStatus from, MeasureStatus to, bool allowed) =>
        Assert.Equal(allowed, StatusRules.CanTransition(from, to));

    [Fact]
    public void CanTransition_EveryStatus_CanStayAndGoBackToWork()
    {
        foreach (var s in Enum.GetValues<MeasureStatus>())
        {
            Assert.True(StatusRules.CanTransition(s, s));
            Assert.True(StatusRules.CanTransition(s, InProgress), $"{s} has no way back to work");
        }
    }

    public static TheoryData<MeasureStatus[], MeasureStatus> Derivations => new()
    {
        { [], NotStarted },                                          // a problem with no measures
        { [NotStarted, NotStarted], NotStarted },
        { [NotStarted, Rectified], InProgress },                     // started, not all done
        { [InProgress, Closed], InProgress },
        { [ExtensionRequested, Rectified], ExtensionRequested },
        { [BasicallyRectified, Rectified], BasicallyRectified },
        { [PendingClosure, Closed], PendingClosure },
        { [Rectified, Rectified], Rectified },
        { [Rectified, RectifiedOngoing], RectifiedOngoing },
        { [RectifiedOngoing, RectifiedOngoing], RectifiedOngoing },   // all measures 长期坚持
        { [Closed, Rectified], Rectified },
        { [Closed, Closed], Closed },
        { [Closed, InProgress], InProgress },                        // one measure reopened
    };

    [Theory, MemberData(nameof(Derivations))]
    public void DeriveProblemStatus_Measures_GivesLeastAdvanced(MeasureStatus[] measures, MeasureStatus expected) =>
        Assert.Equal(expected, StatusRules.DeriveProblemStatus(measures));

    [Theory]
    [InlineData(Rectified, true)]
    [InlineData(RectifiedOngoing, true)]
    [InlineData(Closed, true)]
    [InlineData(BasicallyRectified, false)]
    [InlineData(PendingClosure, false)]
    [InlineData(InProgress, false)]
    [InlineData(ExtensionRequested, false)]
    [InlineData(NotStarted, false)]
    public void IsCompleted_Status_CountsOnlyRectifiedAndClosed(MeasureStatus s, bool completed) =>
        Assert.Equal(completed, StatusRules.IsCompleted(s));

    [Theory]
    [InlineData(688, 697, "98.71%")]
    [InlineData(19, 25, "76%")]
    [InlineData(22, 23, "95.65%")]
    [InlineData(0, 0, "0%")]
    [InlineData(3, 3, "100%")]
    [InlineData(1, 3, "33.33%")]
    public void CompletionRate_PublishedExamples_MatchNotices(int completed, int total, string text) =>
        Assert.Equal(text, StatusRules.FormatRate(StatusRules.CompletionRate(completed, total)));

    [Fact]
    public void Count_BasicallyCompleted_IsNotCompleted()
    {
        var statuses = Enumerable.Repeat(Rectified, 688).Concat(Enumerable.Repeat(BasicallyRectified, 4)).Concat(Enumerable.Repeat(InProgress, 5));
        var f = StatusRules.Count(statuses);
        Assert.Equal((697, 688, 4, 5), (f.Problems, f.Completed, f.BasicallyCompleted, f.Unfinished));
        Assert.Equal("98.71%", f.RateText);
    }

    [Theory]
    [InlineData("已整改，长期坚持", RectifiedOngoing)]
    [InlineData("已整改,长期坚持", RectifiedOngoing)]
    [InlineData("已完成整改", Rectified)]
    [InlineData("已整改", Rectified)]
    [InlineData("整改推进中", InProgress)]
    [InlineData("正在整改", InProgress)]
    [InlineData("未完成", InProgress)]
    [InlineData("基本完成", BasicallyRectified)]
    [InlineData("取得阶段性成果并持续整改", BasicallyRectified)]
    [InlineData("已整改销号", Closed)]
    [InlineData("申请延期", ExtensionRequested)]
    public void ParseWording_NoticeWordings_MapToStatus(string text, MeasureStatus expected) =>
        Assert.Equal(expected, StatusRules.ParseWording(text));

    [Fact]
    public void ParseWording_Unrelated_IsNull() => Assert.Null(StatusRules.ParseWording("详见附件"));

    [Fact]
    public void Wording_EveryStatus_ParsesBackToItself()
    {
        foreach (var s in Enum.GetValues<MeasureStatus>())
            Assert.Equal(s, StatusRules.ParseWording(StatusRules.Wording(s)));
    }

    [Fact]
    public void Deadlines_FromFeedbackDate_UseDefaultOffsets()
    {
        var d = InspectionDeadlines.From(new DateOnly(2022, 6, 27), new DeadlineSettings())!;
        Assert.Equal(new DateOnly(2022, 7, 27), d.PlanDue);
        Assert.Equal(new DateOnly(2022, 8, 27), d.ReportDue);
        Assert.Equal(new DateOnly(2022, 9, 27), d.FocusedRectificationEnd);
        Assert.Null(InspectionDeadlines.From(null, new DeadlineSettings()));
    }

    [Theory]
    [InlineData(1, "一")] [InlineData(10, "十")] [InlineData(12, "十二")] [InlineData(20, "二十")] [InlineData(23, "二十三")]
    public void ChineseNumber_FormatAndParse_RoundTrip(int n, string text)
    {
        Assert.Equal(text, ChineseNumber.Format(n));
        Assert.Equal(n, ChineseNumber.Parse(text));
    }
}
