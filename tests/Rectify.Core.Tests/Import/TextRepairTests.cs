using Rectify.Core.Import;

namespace Rectify.Core.Tests.Import;

/// <summary>Each repair of the shared text pipeline (domain.md §7), on one line and across lines.</summary>
public class TextRepairTests
{
    static string Fix(string line) => TextRepair.Line(line).Text;

    static List<string> Paragraphs(params SourceUnit[] units) => TextPipeline.Run(units).Select(p => p.Text).ToList();

    static SourceUnit[] Lines(string text) => text.Split('\n').Select((l, i) => new SourceUnit(l, $"第{i + 1}行", BreakBefore: false)).ToArray();

    [Theory]
    [InlineData("整改结果:已整改,长期坚持", "整改结果：已整改，长期坚持")]
    [InlineData("制定方案(平龙教体〔2022〕58号),并下发", "制定方案（平龙教体〔2022〕58号），并下发")]
    [InlineData("筹资1.5万元建成4个教室;完成率98.71%", "筹资1.5万元建成4个教室；完成率98.71%")]
    [InlineData("会议时间 9:30,地点在三楼", "会议时间9:30，地点在三楼")]
    [InlineData("version 1.2, build 3", "version 1.2, build 3")]
    public void Line_HalfWidthPunctuationNextToCjk_MadeFullWidthNumbersUntouched(string input, string expected) =>
        Assert.Equal(expected, Fix(input));

    [Theory]
    [InlineData("平龙巡[2022]29号", "平龙巡〔2022〕29号")]
    [InlineData("平龙巡【2022】29号", "平龙巡〔2022〕29号")]
    [InlineData("平龙巡(2022)29号", "平龙巡〔2022〕29号")]
    [InlineData("平龙巡（2022）29号", "平龙巡〔2022〕29号")]
    [InlineData("平龙巡〔2022〕 29 号", "平龙巡〔2022〕29号")]
    public void Line_DocumentNumberBrackets_NormalisedToHexagonal(string input, string expected) =>
        Assert.Equal(expected, Fix(input));

    [Fact]
    public void Line_KangxiRadicals_MappedToIdeographsWithoutNfkc()
    {
        // ⼀ U+2F00, ⼆ U+2F06, ⼯ U+2F2F, ⼈ U+2F08: look-alikes of 一 二 工 人.
        Assert.Equal("一是加强工作，二是人员（学校）：", Fix("\u2F00是加强\u2F2F作，\u2F06是\u2F08员（学校）："));
    }

    [Fact]
    public void Line_SpacesNbspIdeographicSpaceAndZeroWidthInsideCjk_Removed()
    {
        Assert.Equal("平顶山市石龙区教育局关于整改落实情况的通报", Fix("平顶山市 石龙区\u00A0教育局\u3000关于整改\u200B落实 情况的通报"));
        Assert.Equal("于2022年3月15日", Fix("于 2022 年 3 月 15 日"));
        Assert.Equal("3D打印机、VR 虚拟", Fix("\u3000\u30003D打印机、VR 虚拟"));
    }

    [Fact]
    public void Line_FullWidthDigits_MadeAscii() => Assert.Equal("2022年9月30日", Fix("２０２２年９月３０日"));

    [Theory]
    [InlineData("## **2. 意识形态工作有短板。**", "2. 意识形态工作有短板。")]
    [InlineData("**整改措施：**一是明确", "整改措施：一是明确")]
    [InlineData("| 序号 | 问题 |", "序号问题")]
    [InlineData("> 引用的内容", "引用的内容")]
    [InlineData("#### 1\\.学习贯彻不深入", "1.学习贯彻不深入")]
    public void Line_MarkdownMarkers_Stripped(string input, string expected) => Assert.Equal(expected, Fix(input));

    [Fact]
    public void Run_ParagraphBrokenAtPageBreak_Rejoined()
    {
        var units = new[] { new SourceUnit("标题", "第1行"), new SourceUnit("2. 建立台账，对账销号。制定整改方案及问题台账，明", "第3行"), new SourceUnit("确整改任务、责任领导。", "第5行") };
        Assert.Equal(["标题", "2. 建立台账，对账销号。制定整改方案及问题台账，明确整改任务、责任领导。"], Paragraphs(units));
    }

    [Fact]
    public void Run_ShortFirstParagraphWithoutPunctuation_KeptAsTitle()
    {
        var units = new[] { new SourceUnit("关于巡察反馈意见整改落实情况的通报", "第1行"), new SourceUnit("根据区委统一部署。", "第3行") };
        Assert.Equal(2, Paragraphs(units).Count);
    }

    [Fact]
    public void Run_ParagraphEndingWithFullStop_NotJoinedToNext()
    {
        var units = new[] { new SourceUnit("第一段结束了。", "第1行"), new SourceUnit("第二段开始", "第3行") };
        Assert.Equal(2, Paragraphs(units).Count);
    }

    [Fact]
    public void Run_HardWrappedLines_Unwrapped()
    {
        var text = "根据区委统一部署安排和要求，区委第一巡察组于\n2022年3月15日至2022年5月27日，对区教育局进行\n了常规巡察。\n1. 高度重视，迅速行动。";
        var p = Paragraphs(Lines(text));
        Assert.Equal(["根据区委统一部署安排和要求，区委第一巡察组于2022年3月15日至2022年5月27日，对区教育局进行了常规巡察。", "1. 高度重视，迅速行动。"], p);
    }

    [Fact]
    public void Run_HeadingAndLabelLines_NotJoinedToWhatFollows()
    {
        var p = Paragraphs(Lines("（一）政治建设重视不够\n1. 学习贯彻不深入\n整改措施：一是学习\n整改结果：已整改"));
        Assert.Equal(4, p.Count);
    }

    [Theory]
    [InlineData("— 3 —")]
    [InlineData("- 3 -")]
    [InlineData("第3页 共10页")]
    [InlineData("第 3 页")]
    [InlineData("3/10")]
    public void Run_PageNumberLine_Removed(string pageNumber)
    {
        var p = Paragraphs(Lines($"整改工作扎实推进，取得了阶段\n{pageNumber}\n性成果。"));
        Assert.Equal(["整改工作扎实推进，取得了阶段性成果。"], p);
    }

    [Fact]
    public void Run_RepeatedRunningHeaderNextToPageNumbers_Removed()
    {
        var text = "石龙区教育局文件\n第一页的内容，没有\n— 1 —\n石龙区教育局文件\n写完的句子在这里结束。\n— 2 —\n石龙区教育局文件\n最后一页。";
        var p = Paragraphs(Lines(text));
        Assert.Equal(["第一页的内容，没有写完的句子在这里结束。", "最后一页。"], p);
    }

    [Fact]
    public void Run_LineRepeatedOnceNearPageBreak_Kept()
    {
        var p = Paragraphs(Lines("加强学习。\n— 1 —\n正文一。\n正文二。\n正文三。\n加强学习。"));
        Assert.Equal(["加强学习。", "正文一。", "正文二。", "正文三。", "加强学习。"], p);
    }
}
