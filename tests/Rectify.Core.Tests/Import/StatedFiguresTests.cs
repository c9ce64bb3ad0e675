using Rectify.Core.Ledger;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>Figures a document states, one test per kind, and the cross-checks that turn contradictions into warnings.</summary>
public class StatedFiguresTests
{
    /// <summary>The warnings about figures (these snippets itemise no problems, which is warned about for the whole text).</summary>
    static List<ImportWarning> FigureWarnings(LedgerDocument doc) => doc.Warnings.Where(w => w.Where != "全文").ToList();

    static StatedFigure Single(string text, string kind) => Assert.Single(ReadText("通报\n\n" + text).Statistics, f => f.Kind == kind);

    [Fact]
    public void Read_ProblemCountsAndRate_EachKindWithValueAndUnit()
    {
        var doc = ReadText("通报\n\n巡察反馈25个问题，已完成整改19个、正在整改6个，整改完成率76%。");
        Assert.Equal(25m, Assert.Single(doc.Statistics, f => f.Kind == "problems").Value);
        var done = Assert.Single(doc.Statistics, f => f.Kind == "rectified");
        Assert.Equal((19m, "个"), (done.Value, done.Unit));
        Assert.Equal(6m, Assert.Single(doc.Statistics, f => f.Kind == "in_progress").Value);
        var rate = Assert.Single(doc.Statistics, f => f.Kind == "completion_rate");
        Assert.Equal((76m, "%", "完成率76%"), (rate.Value, rate.Unit, rate.Text));
        Assert.Empty(FigureWarnings(doc));
    }

    [Fact]
    public void Read_BasicallyAndUnrectified_Counted()
    {
        var doc = ReadText("通报\n\n共反馈问题10个，其中反馈10个具体问题，已完成整改7个，基本完成2个，未完成1个。");
        Assert.Equal(2m, Assert.Single(doc.Statistics, f => f.Kind == "basically_rectified").Value);
        Assert.Equal(1m, Assert.Single(doc.Statistics, f => f.Kind == "unrectified").Value);
        Assert.DoesNotContain(doc.Warnings, w => w.Message.Contains("分项合计"));
    }

    [Fact]
    public void Read_Rules_CountedInItems()
    {
        var f = Single("制定及修改完善制度12项。", "rules");
        Assert.Equal((12m, "项"), (f.Value, f.Unit));
    }

    [Theory]
    [InlineData("追缴资金7.132万元。", 71320)]
    [InlineData("相关学校将国有资产处置收入2730元缴入石龙区财政局非税收入归集户。", 2730)]
    [InlineData("清退违规发放津补贴共计1.2亿元。", 120000000)]
    public void Read_Funds_ConvertedToYuan(string text, decimal yuan)
    {
        var f = Single(text, "funds_yuan");
        Assert.Equal((yuan, "元"), (f.Value, f.Unit));
    }

    [Fact]
    public void Read_People_CountedInPersons()
    {
        var f = Single("已责令相关学校予以辞退，共辞退8名无资格证人员。", "people");
        Assert.Equal((8m, "人", "辞退8名"), (f.Value, f.Unit, f.Text));
    }

    [Fact]
    public void Read_Meetings_CountedInTimes()
    {
        var f = Single("8月份以来，先后召开5次校长会。", "meetings");
        Assert.Equal((5m, "次"), (f.Value, f.Unit));
    }

    [Fact]
    public void Read_MoneyNotRecovered_NotAFundsFigure()
    {
        var doc = ReadText("通报\n\n今年筹资150万元在城区4所小学建成4个创客教室。");
        Assert.DoesNotContain(doc.Statistics, f => f.Kind == "funds_yuan");
    }

    [Fact]
    public void Read_PartsDisagreeWithTotal_Warning()
    {
        var doc = ReadText("通报\n\n巡察反馈25个问题，已完成整改19个、正在整改5个。");
        var w = Assert.Single(FigureWarnings(doc));
        Assert.Contains("分项合计24个，总数25个", w.Message);
        Assert.Equal("第3行", w.Where);
    }

    [Fact]
    public void Read_RateDisagreesWithCounts_Warning()
    {
        var doc = ReadText("通报\n\n巡察反馈25个问题，已完成整改19个、正在整改6个，整改完成率80%。");
        var w = Assert.Single(FigureWarnings(doc));
        Assert.Contains("完成率80%", w.Message);
        Assert.Contains("19/25 = 76%", w.Message);
    }

    [Fact]
    public void Read_RateWithTwoDecimals_CheckedToTwoDecimals()
    {
        Assert.Empty(FigureWarnings(ReadText("通报\n\n反馈697个问题，已完成整改688个，完成率98.71%。")));
        Assert.Single(FigureWarnings(ReadText("通报\n\n反馈697个问题，已完成整改688个，完成率98.72%。")));
    }

    [Fact]
    public void Read_StatedCountDiffersFromItemisedProblems_Warning()
    {
        var text = "通报\n\n巡察组反馈3个问题。\n\n（一）政治建设方面\n\n1. 学习不深入。\n\n2. 意识形态有短板。";
        var doc = ReadText(text);
        Assert.Equal(2, doc.AllProblems.Count());
        Assert.Contains(doc.Warnings, w => w.Message.Contains("陈述问题3个") && w.Message.Contains("逐条列出的问题是2个"));
    }
}
