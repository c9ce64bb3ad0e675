using System.Text;
using System.Text.Json;
using Rectify.Core.Ledger;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>The acceptance of issue 3 on the seed notice, as text, GB18030, DOCX with automatic numbering and PDF.</summary>
public class SeedNoticeImportTests
{
    static readonly LedgerDocument Seed = Read(SeedBytes, "seed-notice.txt");

    static string Shape(LedgerDocument d) => string.Join("\n", d.Categories.Select(c =>
        $"{c.Number}|{c.Title}:" + string.Join(";", c.Problems.Select(p => $"{p.Title}={p.Status}/{p.Measures.Count}"))));

    [Fact]
    public void Read_Seed_FourCategoriesWithTwoTwelveFiveFourProblems()
    {
        Assert.Equal(["一", "二", "三", "四"], Seed.Categories.Select(c => c.Number));
        Assert.Equal([2, 12, 5, 4], Seed.Categories.Select(c => c.Problems.Count));
        Assert.Equal("政治建设重视不够，意识形态工作存在不足", Seed.Categories[0].Title);
        Assert.Equal("notice", Seed.Kind);
    }

    [Fact]
    public void Read_Seed_TwentyTwoRectifiedOngoingAndOneInProgress()
    {
        var problems = Seed.AllProblems.ToList();
        Assert.Equal(22, problems.Count(p => p.Status == MeasureStatus.RectifiedOngoing));
        var open = Assert.Single(problems, p => p.Status != MeasureStatus.RectifiedOngoing);
        Assert.Equal("长期违规借调教师", open.Title);
        Assert.Equal(MeasureStatus.InProgress, open.Status);
        Assert.Equal("整改推进中", open.Result);
    }

    [Fact]
    public void Read_Seed_SignatureDateReferencesAndInspectionFound()
    {
        Assert.Equal("平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的通报", Seed.Title);
        Assert.Equal("中共平顶山市石龙区教育体育局党组", Seed.Issuer);
        Assert.Equal(new DateOnly(2022, 9, 30), Seed.Date);
        Assert.Contains("平龙巡〔2022〕28号", Seed.References);
        Assert.Contains("平龙巡〔2022〕29号", Seed.References);
        Assert.Contains("平龙教体〔2022〕79号", Seed.References); // written 平龙教体[2022]12号、49号、79号
        Assert.Equal("区委第一巡察组", Seed.Inspection?.Team);
        Assert.Equal(new DateOnly(2022, 3, 15), Seed.Inspection?.Start);
        Assert.Equal(new DateOnly(2022, 5, 27), Seed.Inspection?.End);
        Assert.Equal(new DateOnly(2022, 6, 27), Seed.Inspection?.FeedbackDate);
    }

    [Fact]
    public void Read_Seed_RepeatedNumberInCategoryThreeIsTheOnlyWarning()
    {
        var w = Assert.Single(Seed.Warnings);
        Assert.Contains("类别三", w.Message);
        Assert.Contains("重复", w.Message);
        Assert.StartsWith("第", w.Where);
        Assert.Equal(["1", "2", "3", "3", "5"], Seed.Categories[2].Problems.Select(p => p.Number));
    }

    [Fact]
    public void Read_Seed_NoMarkdownAndNoMidWordBreakInAnyField()
    {
        var json = JsonSerializer.Serialize(Seed, LedgerDocument.Json);
        Assert.DoesNotContain("#", json);
        Assert.DoesNotContain("**", json);
        Assert.Contains("明确整改任务", json);
        Assert.Contains(Seed.Overview, o => o.Contains("制定整改方案及问题台账，明确整改任务"));
        Assert.Contains("载体，营造争做", Seed.Categories[0].Problems[0].Measures[2].Text);
        Assert.Empty(Seed.Unassigned);
    }

    [Fact]
    public void Read_Seed_PartsOverviewAndNextStepsSeparated()
    {
        Assert.Equal(["一、整改工作整体情况", "二、具体整改情况", "三、下一步打算"], Seed.Parts);
        Assert.Equal(3, Seed.Overview.Count);
        Assert.StartsWith("今后工作中", Assert.Single(Seed.NextSteps));
        Assert.StartsWith("根据区委统一部署", Assert.Single(Seed.Opening));
    }

    [Fact]
    public void Read_Seed_MeasuresSplitAtYiShiWithPreamble()
    {
        var borrowed = Seed.Categories[1].Problems[2];
        Assert.Equal("新一届局领导班子已召开专题会议，拟采取三种方式解决：", borrowed.MeasuresPreamble);
        Assert.Equal([1, 2, 3], borrowed.Measures.Select(m => m.Number));
        Assert.StartsWith("已在机关工作时间较长", borrowed.Measures[0].Text);
        var single = Seed.Categories[3].Problems[0];
        Assert.Null(single.MeasuresPreamble);
        Assert.StartsWith("严格按照“三重一大”制度执行", Assert.Single(single.Measures).Text);
        Assert.Equal(4, Seed.Categories[1].Problems[0].Measures.Count); // 四是 written **四是**
    }

    /// <summary>The seed as text copied out of a printout: every line hard-wrapped at 30 characters (a wrap may fall right
    /// after a full stop), page numbers and a running header every 40 lines, full-width digits and U+3000 indents.</summary>
    static string PrintedCopy()
    {
        var sb = new StringBuilder();
        var lines = 0;
        var page = 1;
        foreach (var paragraph in SeedText.Split('\n'))
        {
            var rest = paragraph.Length > 0 && char.IsAsciiDigit(paragraph[0]) ? paragraph : "\u3000\u3000" + paragraph;
            do
            {
                var cut = Math.Min(30, rest.Length);
                sb.Append(rest[..cut]).Append('\n');
                rest = rest[cut..];
                if (++lines % 40 == 0) sb.Append($"— {page++} —\n石龙区教育局文件\n");
            } while (rest.Length > 0);
        }
        return sb.ToString().Replace("2022年9月30日", "２０２２年９月３０日");
    }

    [Fact]
    public void Read_SeedHardWrappedWithPageNumbersAndHeaders_SameStructure()
    {
        var printed = ReadText(PrintedCopy());
        Assert.Equal(Shape(Seed), Shape(printed));
        Assert.Equal(Seed.Date, printed.Date);
        Assert.Equal(Seed.Title, printed.Title);
        var json = JsonSerializer.Serialize(printed, LedgerDocument.Json);
        Assert.DoesNotContain("石龙区教育局文件", json);
        Assert.DoesNotContain("— 3 —", json);
        Assert.Contains("明确整改任务", json);
    }

    [Fact]
    public void Read_SeedInGb18030_SameStructureAsUtf8()
    {
        var gb = Read(Gb18030(SeedText), "seed-gbk.txt");
        Assert.Equal(Shape(Seed), Shape(gb));
        Assert.Equal(Seed.Issuer, gb.Issuer);
    }

    [Fact]
    public void Read_SeedWithBom_SameStructure()
    {
        var bom = Read([.. Encoding.UTF8.GetPreamble(), .. SeedBytes], "seed.md");
        Assert.Equal(Shape(Seed), Shape(bom));
    }

    [Fact]
    public void Read_SeedAsPdf_SameCategoriesProblemsAndStatuses()
    {
        var pdf = Read(SeedPdf, "seed-notice.pdf");
        Assert.Equal(Shape(Seed), Shape(pdf));
        Assert.Equal(Seed.Issuer, pdf.Issuer);
        Assert.Equal(Seed.Date, pdf.Date);
        Assert.Contains(pdf.Warnings, w => w.Where.EndsWith("页", StringComparison.Ordinal) && w.Message.Contains("重复"));
    }

    [Fact]
    public void Read_SeedAsPdf_RunningHeaderAndPageNumbersDropped()
    {
        // The fixture (samples/make_seed_pdf.py) prints "石龙区教育局文件" atop and "— N —" below each of its 8 pages.
        var pdf = Read(SeedPdf, "seed-notice.pdf");
        var json = JsonSerializer.Serialize(pdf, LedgerDocument.Json);
        Assert.DoesNotContain("石龙区教育局文件", json);
        Assert.DoesNotMatch(@"— \d+ —", json);
        Assert.Equal(Seed.Overview, pdf.Overview);
        Assert.Equal(Seed.NextSteps, pdf.NextSteps);
        Assert.Empty(pdf.Unassigned);
    }

    [Fact]
    public void Read_SeedAsDocxWithAutomaticNumbering_SameCategoriesProblemsAndStatuses()
    {
        var docx = Read(SeedDocx(), "seed-notice.docx");
        // Word numbers 1, 2, 3, 4, 5 where the text said 1, 2, 3, 3, 5: the same problems, only the slip is gone.
        Assert.Equal(Shape(Seed), Shape(docx));
        Assert.Equal(["1", "2", "3", "4", "5"], docx.Categories[2].Problems.Select(p => p.Number));
        Assert.Equal(Seed.Parts, docx.Parts);
        Assert.Equal(Seed.Title, docx.Title);
        Assert.Equal(Seed.Issuer, docx.Issuer);
        Assert.Equal(Seed.Date, docx.Date);
        Assert.Contains(docx.Overview, o => o.Contains("明确整改任务"));
        Assert.Empty(docx.Warnings);
    }

    [Fact]
    public void Read_OwnJson_RoundTripsTheSeed()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(Seed, LedgerDocument.Json);
        var back = Read(json, "ledger.json");
        Assert.Equal(Shape(Seed), Shape(back));
        Assert.Equal(JsonSerializer.Serialize(Seed, LedgerDocument.Json), JsonSerializer.Serialize(back, LedgerDocument.Json));
        Assert.Contains("\"status\": \"rectified_ongoing\"", Encoding.UTF8.GetString(json));
    }
}
