using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;

namespace Rectify.Core.Tests.Documents;

public class DocxNoticeWriterTests
{
    internal static MemoryStream Render(LedgerDocument doc, RenderOptions? options = null)
    {
        var ms = new MemoryStream();
        new DocxNoticeWriter().Write(doc, ms, options);
        ms.Position = 0;
        return ms;
    }

    static List<Paragraph> Paragraphs(WordprocessingDocument w) => w.MainDocumentPart!.Document.Body!.Elements<Paragraph>().ToList();

    static Paragraph Find(WordprocessingDocument w, string text) =>
        Paragraphs(w).First(p => p.InnerText == text);

    static Paragraph FindStarting(WordprocessingDocument w, string text) =>
        Paragraphs(w).First(p => p.InnerText.StartsWith(text, StringComparison.Ordinal));

    static RunFonts FontsOf(Paragraph p) => p.Elements<Run>().First().RunProperties!.RunFonts!;

    static string SizeOf(Paragraph p) => p.Elements<Run>().First().RunProperties!.FontSize!.Val!.Value!;

    [Fact]
    public void Write_SeedLike_PassesOpenXmlValidator()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(w).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.Empty(errors);
    }

    [Fact]
    public void Write_SeedLike_SectionIsA4WithGbMarginsAndGrid()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var sect = w.MainDocumentPart!.Document.Body!.Elements<SectionProperties>().Single();
        var size = sect.GetFirstChild<PageSize>()!;
        Assert.Equal(11906u, size.Width!.Value);
        Assert.Equal(16838u, size.Height!.Value);
        var m = sect.GetFirstChild<PageMargin>()!;
        // 37 / 35 / 28 / 26 mm in twips (1 mm = 56.69 twips).
        Assert.Equal(2098, m.Top!.Value);
        Assert.Equal(1984, m.Bottom!.Value);
        Assert.Equal(1587u, m.Left!.Value);
        Assert.Equal(1474u, m.Right!.Value);
        // Text block 156 × 225 mm.
        Assert.Equal(156, Math.Round((11906 - 1587 - 1474) / 56.6929));
        Assert.Equal(225, Math.Round((16838 - 2098 - 1984) / 56.6929));

        var grid = sect.GetFirstChild<DocGrid>()!;
        Assert.Equal(DocGridValues.Lines, grid.Type!.Value);
        var pitch = grid.LinePitch!.Value;
        Assert.Equal(22, (16838 - 2098 - 1984) / pitch);
        // charSpace as Word's page setup shows it: body size + charSpace/4096 pt × 28 fills the 156 mm line.
        var charPt = 16m + grid.CharacterSpace!.Value / 4096m;
        Assert.InRange(charPt * 20 * 28, 8845 - 10, 8845 + 10);
    }

    [Fact]
    public void Write_SeedLike_BodyCharacterSpacingPutsExactly28OnALineAndLinesOnThePitch()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var opening = FindStarting(w, "根据区委统一部署");
        var run = opening.Elements<Run>().First().RunProperties!;
        var advance = 320 + run.Spacing!.Val!.Value; // a 16 pt character is 320 twips wide
        Assert.True(28 * advance <= 8845, $"28 characters take {28 * advance} twips");
        Assert.True(29 * advance > 8845, $"29 characters take {29 * advance} twips");
        var spacing = opening.ParagraphProperties!.SpacingBetweenLines!;
        Assert.Equal("579", spacing.Line!.Value);
        Assert.Equal(LineSpacingRuleValues.Exact, spacing.LineRule!.Value);
    }

    [Fact]
    public void Write_SeedLike_TitleIsCentred2haoXiaoBiaoSong()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var title = Paragraphs(w)[0];
        Assert.Equal("平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的通报", title.InnerText);
        Assert.Equal(JustificationValues.Center, title.ParagraphProperties!.Justification!.Val!.Value);
        Assert.Equal("44", SizeOf(title));
        Assert.Equal("方正小标宋简体", FontsOf(title).EastAsia!.Value);
        Assert.Equal("方正小标宋简体", FontsOf(title).Ascii!.Value);
        // Two lines broken after 巡察组, not mid-word where 20 characters run out.
        var lines = title.Elements<Run>().Select(r => r.InnerText).ToList();
        Assert.Equal(["平顶山市石龙区教育局关于区委第一巡察组", "反馈意见整改落实情况的通报"], lines);
        Assert.NotNull(title.Elements<Run>().ElementAt(1).GetFirstChild<Break>());
    }

    [Fact]
    public void Write_SeedLike_BodyIs3haoFangSongJustifiedWithTwoCharIndent()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var opening = FindStarting(w, "根据区委统一部署");
        Assert.Equal("32", SizeOf(opening));
        Assert.Equal("仿宋_GB2312", FontsOf(opening).EastAsia!.Value);
        Assert.Equal(200, opening.ParagraphProperties!.Indentation!.FirstLineChars!.Value);
        Assert.Equal(JustificationValues.Both, opening.ParagraphProperties!.Justification!.Val!.Value);
        var colour = opening.Elements<Run>().First().RunProperties!.Color!.Val!.Value;
        Assert.Equal("000000", colour);
    }

    [Fact]
    public void Write_SeedLike_HeadingFontsFollowTheLevels()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        Assert.Equal("黑体", FontsOf(Find(w, "一、整改工作整体情况")).EastAsia!.Value);
        Assert.Equal("黑体", FontsOf(Find(w, "三、下一步打算")).EastAsia!.Value);
        var level2 = Find(w, "（一）政治建设重视不够，意识形态工作存在不足");
        Assert.Equal("楷体_GB2312", FontsOf(level2).EastAsia!.Value);
        Assert.Equal("32", SizeOf(level2));
        var level3 = Find(w, "1.学习贯彻党的教育体育方针政策不深入");
        Assert.Equal("仿宋_GB2312", FontsOf(level3).EastAsia!.Value);
        Assert.Contains(Paragraphs(w), p => p.InnerText == "（四）议事决策制度落实有偏差，基层党建存在不足");
    }

    [Fact]
    public void Write_SeedLike_MeasuresNumberedAfterPreambleAndResultFromMeasureStatuses()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var heading = Paragraphs(w).FindIndex(p => p.InnerText == "3.长期违规借调教师");
        var measures = Paragraphs(w)[heading + 1];
        var result = Paragraphs(w)[heading + 2];
        Assert.StartsWith("整改措施：新一届局领导班子已召开专题会议，拟采取三种方式解决：一是已在机关工作", measures.InnerText);
        Assert.Contains("。二是根据上级要求成立教师发展中心", measures.InnerText);
        Assert.Contains("。三是剩余借调人员返回原学校工作岗位。", measures.InnerText);
        Assert.Equal("整改结果：整改推进中", result.InnerText);
        Assert.NotNull(result.Elements<Run>().First().RunProperties!.Bold);
        Assert.Equal("整改结果：已整改，长期坚持", Paragraphs(w)[Paragraphs(w).FindIndex(p => p.InnerText == "1.学习贯彻党的教育体育方针政策不深入") + 2].InnerText);
    }

    [Fact]
    public void Write_SeedLike_FootersCarryPageFieldWithEmDashesOddRightEvenLeft()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var main = w.MainDocumentPart!;
        Assert.NotNull(main.DocumentSettingsPart!.Settings.GetFirstChild<EvenAndOddHeaders>());
        var sect = main.Document.Body!.Elements<SectionProperties>().Single();
        Footer FooterOf(HeaderFooterValues type) =>
            ((FooterPart)main.GetPartById(sect.Elements<FooterReference>().Single(r => r.Type!.Value == type).Id!)).Footer;

        foreach (var (type, side) in new[] { (HeaderFooterValues.Default, JustificationValues.Right), (HeaderFooterValues.Even, JustificationValues.Left) })
        {
            var p = FooterOf(type).Elements<Paragraph>().Single();
            Assert.Equal("— 1 —", p.InnerText.Replace(" PAGE ", ""));
            Assert.Equal(" PAGE ", p.Descendants<FieldCode>().Single().Text);
            Assert.Equal(side, p.ParagraphProperties!.Justification!.Val!.Value);
            var ind = p.ParagraphProperties.Indentation!;
            Assert.Equal(100, side == JustificationValues.Right ? ind.RightChars!.Value : ind.LeftChars!.Value);
            foreach (var r in p.Elements<Run>())
            {
                Assert.Equal("28", r.RunProperties!.FontSize!.Val!.Value);
                Assert.Equal("宋体", r.RunProperties.RunFonts!.Ascii!.Value);
            }
        }
        // The footer's top edge (distance + one 14 pt line) sits 7 mm below the 35 mm bottom margin's edge.
        var m = sect.GetFirstChild<PageMargin>()!;
        Assert.Equal(7, Math.Round((m.Bottom!.Value - (m.Footer!.Value + 280)) / 56.6929));
    }

    [Fact]
    public void Write_SeedLike_SignatureRightIndentedTwoCharsDateStartsTwoCharsRightOfIt()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var ps = Paragraphs(w);
        var sig = ps.FindIndex(p => p.InnerText == TestLedgers.Issuer);
        Assert.Equal("", ps[sig - 1].InnerText); // one blank line below the body
        var sigProps = ps[sig].ParagraphProperties!;
        Assert.Equal(JustificationValues.Right, sigProps.Justification!.Val!.Value);
        Assert.Equal(200, sigProps.Indentation!.RightChars!.Value);

        var date = ps[sig + 1];
        Assert.Equal("2022年9月30日", date.InnerText);
        // The signature (16 characters) starts at 28 − 2 − 16 = 10 characters; the date 2 characters further.
        Assert.Equal(JustificationValues.Left, date.ParagraphProperties!.Justification!.Val!.Value);
        Assert.Equal(1200, date.ParagraphProperties.Indentation!.LeftChars!.Value);
    }

    [Fact]
    public void Write_ShortIssuer_DateRightIndentedFourCharsSignatureCentredOverIt()
    {
        var doc = TestLedgers.Small();
        doc.Issuer = "某局党组";
        doc.Date = new DateOnly(2023, 11, 25);
        using var w = WordprocessingDocument.Open(Render(doc), false);
        var ps = Paragraphs(w);
        var sig = ps.FindIndex(p => p.InnerText == "某局党组");
        Assert.Equal(400, ps[sig + 1].ParagraphProperties!.Indentation!.RightChars!.Value);
        // Date 2023年11月25日 is 7 characters wide, the signature 4: centred means 1.5 characters further in.
        Assert.Equal(550, ps[sig].ParagraphProperties!.Indentation!.RightChars!.Value);
    }

    [Fact]
    public void Write_ReferenceInSquareBrackets_WrittenWithHexagonalBrackets()
    {
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike()), false);
        var text = w.MainDocumentPart!.Document.Body!.InnerText;
        Assert.Contains("（平龙巡〔2022〕29号）", text);
        Assert.Contains("(平龙教体〔2022〕58号)", text);
        Assert.DoesNotContain("[2022]", text);
    }

    [Fact]
    public void Write_CustomStyle_UsesConfiguredFontNames()
    {
        var style = DocumentStyle.Default with { BodyFont = "FangSong", TitleFont = "Noto Serif CJK SC" };
        using var w = WordprocessingDocument.Open(Render(TestLedgers.Small(), new RenderOptions { Style = style }), false);
        Assert.Equal("Noto Serif CJK SC", FontsOf(Paragraphs(w)[0]).EastAsia!.Value);
        Assert.Equal("FangSong", FontsOf(FindStarting(w, "1.学习贯彻不深入")).EastAsia!.Value);
    }

    [Fact]
    public void Write_Report_TitledReportWithRecipientAndClosingLine()
    {
        var options = new RenderOptions { Kind = DocumentKind.Report, Recipient = "区委巡察工作领导小组办公室" };
        using var w = WordprocessingDocument.Open(Render(TestLedgers.SeedLike(), options), false);
        var ps = Paragraphs(w);
        Assert.Equal("平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的报告", ps[0].InnerText);
        Assert.Contains(ps, p => p.InnerText == "区委巡察工作领导小组办公室：");
        Assert.Contains(ps, p => p.InnerText == "特此报告。");
        Assert.Contains(ps, p => p.InnerText.EndsWith("现将整改情况报告如下：", StringComparison.Ordinal));
        Assert.DoesNotContain(ps, p => p.InnerText.Contains("予以公布"));
    }

    [Fact]
    public void Write_LintFails_ThrowsAndWritesNothing()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[1].Result = "已整改";
        var ms = new MemoryStream();
        var ex = Assert.Throws<DocumentLintException>(() => new DocxNoticeWriter().Write(doc, ms));
        Assert.Contains("长期违规借调教师", ex.Message);
        Assert.Equal(0, ms.Length);
    }
}
