using Rectify.Core.Documents;
using Rectify.Core.Ledger;

namespace Rectify.Core.Tests.Documents;

public class DocumentTextTests
{
    [Theory]
    [InlineData(1, "一")]
    [InlineData(10, "十")]
    [InlineData(12, "十二")]
    [InlineData(20, "二十")]
    [InlineData(99, "九十九")]
    public void ChineseNumeral_Number_Written(int n, string expected) => Assert.Equal(expected, DocumentText.ChineseNumeral(n));

    [Fact]
    public void Date_SingleDigitMonthAndDay_NotZeroPadded() =>
        Assert.Equal("2022年9月3日", DocumentText.Date(new DateOnly(2022, 9, 3)));

    [Theory]
    [InlineData("见平龙巡[2022]29号文", "见平龙巡〔2022〕29号文")]
    [InlineData("平龙巡【2022】029号", "平龙巡〔2022〕29号")]
    [InlineData("平龙教体(2022)第58号", "平龙教体〔2022〕58号")]
    [InlineData("平龙巡〔2022〕28号", "平龙巡〔2022〕28号")]
    [InlineData("（2022年）工作", "（2022年）工作")]
    public void NormalizeReferences_Variants_WrittenWithHexagonalBrackets(string input, string expected) =>
        Assert.Equal(expected, DocumentText.NormalizeReferences(input));

    [Fact]
    public void TitleLines_LongTitle_BrokenAtAWordBoundaryIntoBalancedLines()
    {
        var lines = DocumentText.TitleLines("平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的通报", 20);
        Assert.Equal(["平顶山市石龙区教育局关于区委第一巡察组", "反馈意见整改落实情况的通报"], lines);
    }

    [Fact]
    public void TitleLines_ShortTitle_OneLine() =>
        Assert.Single(DocumentText.TitleLines("关于整改情况的通报", 20));

    [Fact]
    public void StatusOf_MeasuresWithStatuses_DerivedFromThemNotFromTheResultText()
    {
        var p = new LedgerProblem
        {
            Result = "已整改",
            Measures = [new() { Status = MeasureStatus.Rectified }, new() { Status = MeasureStatus.BasicallyRectified }],
        };
        Assert.Equal(MeasureStatus.BasicallyRectified, DocumentText.StatusOf(p));
    }

    [Fact]
    public void StatusOf_NoMeasureStatuses_FromProblemStatusThenResultText()
    {
        Assert.Equal(MeasureStatus.InProgress, DocumentText.StatusOf(new LedgerProblem { Status = MeasureStatus.InProgress, Result = "已整改" }));
        Assert.Equal(MeasureStatus.RectifiedOngoing, DocumentText.StatusOf(new LedgerProblem { Result = "已整改，长期坚持" }));
        Assert.Equal(MeasureStatus.NotStarted, DocumentText.StatusOf(new LedgerProblem()));
    }

    [Fact]
    public void MeasuresText_SingleMeasureWithoutPreamble_NotNumbered()
    {
        var p = new LedgerProblem { Measures = [new() { Text = "严格按照“三重一大”制度执行" }] };
        Assert.Equal("严格按照“三重一大”制度执行。", DocumentText.MeasuresText(p));
    }

    [Fact]
    public void MeasuresText_MeasureAlreadyNumbered_NotNumberedTwice()
    {
        var p = new LedgerProblem { Measures = [new() { Text = "一是加强学习；" }, new() { Text = "二是强化督导。" }] };
        Assert.Equal("一是加强学习；二是强化督导。", DocumentText.MeasuresText(p));
    }
}
