using System.Text;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;

namespace Rectify.Core.Tests.Documents;

public class TextNoticeWriterTests
{
    static string Markdown(LedgerDocument doc)
    {
        using var ms = new MemoryStream();
        new MarkdownNoticeWriter().Write(doc, ms);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    static string Html(LedgerDocument doc, RenderOptions? options = null)
    {
        using var ms = new MemoryStream();
        new HtmlNoticeWriter().Write(doc, ms, options);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    [Fact]
    public void MarkdownWrite_SeedLike_HasTheSeedStructure()
    {
        var md = Markdown(TestLedgers.SeedLike());
        var lines = md.Split('\n');
        Assert.Equal("# 平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的通报", lines[0]);
        var order = new[]
        {
            "## 一、整改工作整体情况", "## 二、具体整改情况", "### （一）政治建设重视不够，意识形态工作存在不足",
            "#### 1\\.学习贯彻党的教育体育方针政策不深入", "**整改措施：**一是教体局党组列出政治理论学习年度计划", "**整改结果：**已整改，长期坚持",
            "### （四）议事决策制度落实有偏差，基层党建存在不足", "## 三、下一步打算", TestLedgers.Issuer, "2022年9月30日",
        };
        var at = 0;
        foreach (var part in order)
        {
            var next = md.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(next >= 0, $"“{part}”缺失或顺序不对");
            at = next;
        }
        Assert.Contains("**整改结果：**整改推进中", md);
    }

    [Fact]
    public void MarkdownWrite_TextWithMarkup_IsEscaped()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[0].Title = "*加粗*与[链接](x)";
        var md = Markdown(doc);
        Assert.Contains("#### 1\\.\\*加粗\\*与\\[链接\\](x)", md);
    }

    [Fact]
    public void HtmlWrite_SeedLike_SelfContainedAndPrintableOnA4()
    {
        var html = Html(TestLedgers.SeedLike());
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("@page { size: A4; margin: 37mm 26mm 35mm 28mm; }", html);
        Assert.Contains("@media print", html);
        // Printed page numbers — 1 — : right on odd (right-hand) pages, left on even ones.
        Assert.Contains("@page :right { @bottom-right { content: \"— \" counter(page) \" —\";", html);
        Assert.Contains("@page :left { @bottom-left { content: \"— \" counter(page) \" —\";", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("src=", html);
        Assert.DoesNotContain("url(", html);
        Assert.DoesNotContain("http", html);
        Assert.Contains("<title>平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的通报</title>", html);
        Assert.Contains("<h1>平顶山市石龙区教育局关于区委第一巡察组<br>反馈意见整改落实情况的通报</h1>", html);
        Assert.Contains("<h3>（二）履职尽责有差距，从严治校存在不足</h3>", html);
        Assert.Contains("<p><strong>整改结果：</strong>整改推进中</p>", html);
        Assert.Contains($"<p class=\"signature\">{TestLedgers.Issuer}</p>", html);
        // Date 2 characters right of the signature's start: 28 − 16 = 12 characters from the left.
        Assert.Contains("padding-left: 12em\">2022年9月30日</p>", html);
    }

    [Fact]
    public void HtmlWrite_TextWithTags_IsEncoded()
    {
        var doc = TestLedgers.Small();
        doc.Categories[0].Problems[0].Title = "<script>alert(1)</script>";
        var html = Html(doc);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Fact]
    public void HtmlWrite_LintFails_Throws()
    {
        var doc = TestLedgers.SeedLike();
        doc.Statistics[0].Value = 30;
        Assert.Throws<DocumentLintException>(() => Html(doc));
    }

    [Fact]
    public void HtmlWrite_NoOverviewOrOpening_StatesFiguresComputedFromTheLedger()
    {
        var doc = TestLedgers.Small();
        var html = Html(doc);
        Assert.Contains("巡察反馈问题2个，已完成整改1个，正在整改1个，整改完成率50%。", html);
        Assert.Contains("区委第二巡察组", html);
    }
}
