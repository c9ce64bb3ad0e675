using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Core.Ledger;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>Word specifics beyond the seed: numbering linked to heading styles, restarts, manual line breaks.</summary>
public class DocxImportTests
{
    static Style NumberedStyle(string id, string name, int level) =>
        new(new StyleName { Val = name },
            new StyleParagraphProperties(new NumberingProperties(new NumberingLevelReference { Val = level }, new NumberingId { Val = 7 })))
        { Type = StyleValues.Paragraph, StyleId = id };

    static Paragraph Styled(string style, string text) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = style }), new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));

    static Paragraph Plain(params string[] lines)
    {
        var run = new Run();
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0) run.Append(new Break());
            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }
        return new Paragraph(run);
    }

    /// <summary>A multi-level list linked to heading styles (the usual 多级列表), numbers only in numbering.xml.</summary>
    static byte[] StyleNumberedDocx()
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = new Styles(
                NumberedStyle("Heading1", "heading 1", 0), NumberedStyle("Heading2", "heading 2", 1), NumberedStyle("ProblemTitle", "问题标题", 2));
            main.AddNewPart<NumberingDefinitionsPart>().Numbering = new Numbering(
                new AbstractNum(
                    new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.ChineseCounting }, new LevelText { Val = "%1、" }) { LevelIndex = 0 },
                    new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.ChineseCounting }, new LevelText { Val = "（%2）" }) { LevelIndex = 1 },
                    new Level(new StartNumberingValue { Val = 1 }, new NumberingFormat { Val = NumberFormatValues.Decimal }, new LevelText { Val = "%3." }) { LevelIndex = 2 })
                { AbstractNumberId = 3 },
                new NumberingInstance(new AbstractNumId { Val = 3 }) { NumberID = 7 });
            main.Document = new Document(new Body(
                Plain("关于巡察反馈意见整改情况的报告"),
                Styled("Heading1", "具体整改情况"),
                Styled("Heading2", "政治建设方面"),
                Styled("ProblemTitle", "学习不深入"),
                Plain("整改措施：一是制定学习计划；", "二是每月集中学习。"),
                Plain("整改结果：已整改"),
                Styled("ProblemTitle", "意识形态有短板"),
                Plain("整改结果：整改推进中"),
                Styled("Heading2", "作风建设方面"),
                Styled("ProblemTitle", "考勤不严"),
                Plain("整改结果：已整改，长期坚持"),
                Styled("Heading1", "下一步打算"),
                Plain("持续巩固整改成果。")));
        }
        return ms.ToArray();
    }

    [Fact]
    public void Read_DocxNumberingLinkedToStyles_LevelsRecoveredAndRestarted()
    {
        var doc = Read(StyleNumberedDocx(), "报告.docx");
        Assert.Equal(["一、具体整改情况", "二、下一步打算"], doc.Parts);
        Assert.Equal([("一", "政治建设方面"), ("二", "作风建设方面")], doc.Categories.Select(c => (c.Number, c.Title)));
        Assert.Equal([["1", "2"], ["1"]], doc.Categories.Select(c => c.Problems.Select(p => p.Number).ToArray()));
        Assert.Equal([MeasureStatus.Rectified, MeasureStatus.InProgress, MeasureStatus.RectifiedOngoing], doc.AllProblems.Select(p => p.Status!.Value));
        Assert.Equal(["持续巩固整改成果。"], doc.NextSteps);
        Assert.Empty(doc.Warnings);
    }

    [Fact]
    public void Read_DocxTitleOnTwoLines_JoinedIntoOneTitle()
    {
        var doc = Read(Docx("平顶山市石龙区教育局关于区委第一巡察组", "反馈意见整改落实情况的通报", "根据区委统一部署，现将整改情况通报如下。", "（一）作风方面", "1. 考勤不严。", "整改结果：已整改"), "通报.docx");
        Assert.Equal("平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的通报", doc.Title);
        Assert.Equal(["根据区委统一部署，现将整改情况通报如下。"], doc.Opening);
    }

    [Fact]
    public void Read_DocxManualLineBreaks_MeasuresStillSplit()
    {
        var first = Read(StyleNumberedDocx(), "报告.docx").AllProblems.First();
        Assert.Equal(["制定学习计划；", "每月集中学习。"], first.Measures.Select(m => m.Text));
    }
}
