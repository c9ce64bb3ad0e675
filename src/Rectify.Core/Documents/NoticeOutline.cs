using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>The kinds of block a notice or report is made of; each writer maps them to its format.</summary>
public enum BlockKind
{
    Title,
    /// <summary>主送机关: flush left, followed by a colon.</summary>
    Recipient,
    Paragraph,
    /// <summary>一、</summary>
    Heading1,
    /// <summary>（一）</summary>
    Heading2,
    /// <summary>1.</summary>
    Heading3,
    Blank,
    /// <summary>发文机关署名.</summary>
    Signature,
    /// <summary>成文日期.</summary>
    Date,
}

/// <summary>One block; <paramref name="Label"/> is a bold lead-in such as 整改措施：.</summary>
public sealed record Block(BlockKind Kind, string Text, string? Label = null);

/// <summary>
/// The content of a notice (整改情况通报) or report (整改情况报告) in the seed's structure, independent of format:
/// title, opening, 一、整改工作整体情况, 二、具体整改情况 item by item, 三、下一步打算, signature and date.
/// </summary>
public static class NoticeOutline
{
    public static IReadOnlyList<Block> Build(LedgerDocument doc, RenderOptions options)
    {
        var report = options.Kind == DocumentKind.Report;
        var blocks = new List<Block> { new(BlockKind.Title, Title(doc, report)), new(BlockKind.Blank, "") };
        if (report && !string.IsNullOrWhiteSpace(options.Recipient))
            blocks.Add(new(BlockKind.Recipient, options.Recipient.Trim().TrimEnd('：', ':') + "："));

        foreach (var p in doc.Opening.Count > 0 ? doc.Opening : [DefaultOpening(doc, report)])
            blocks.Add(Para(report ? ForReport(p) : p));

        var figures = StatusRules.Count(doc.AllProblems.Select(DocumentText.StatusOf));
        blocks.Add(new(BlockKind.Heading1, "一、整改工作整体情况"));
        foreach (var p in doc.Overview.Count > 0 ? doc.Overview : [DefaultOverview(figures)])
            blocks.Add(Para(p));

        blocks.Add(new(BlockKind.Heading1, "二、具体整改情况"));
        var c = 0;
        foreach (var category in doc.Categories)
        {
            c++;
            blocks.Add(new(BlockKind.Heading2, $"（{DocumentText.ChineseNumeral(c)}）{category.Title.Trim()}"));
            var n = 0;
            foreach (var problem in category.Problems)
            {
                n++;
                blocks.Add(new(BlockKind.Heading3, $"{n}.{problem.Title.Trim()}"));
                var measures = DocumentText.MeasuresText(problem);
                if (measures.Length > 0) blocks.Add(new(BlockKind.Paragraph, measures, "整改措施："));
                blocks.Add(new(BlockKind.Paragraph, StatusRules.Wording(DocumentText.StatusOf(problem)), "整改结果："));
            }
        }

        blocks.Add(new(BlockKind.Heading1, "三、下一步打算"));
        foreach (var p in doc.NextSteps.Count > 0 ? doc.NextSteps : [DefaultNextSteps])
            blocks.Add(Para(p));
        if (report) blocks.Add(Para("特此报告。"));

        blocks.Add(new(BlockKind.Blank, ""));
        if (!string.IsNullOrWhiteSpace(doc.Issuer)) blocks.Add(new(BlockKind.Signature, doc.Issuer.Trim()));
        var date = doc.Date ?? DateOnly.FromDateTime(options.Time.GetLocalNow().DateTime);
        blocks.Add(new(BlockKind.Date, DocumentText.Date(date)));
        return blocks;
    }

    /// <summary>A report is not published: the notice's lead-in 现将整改情况予以公布 becomes 现将整改情况报告如下.</summary>
    static string ForReport(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, "(现将[^。：:]*?)(予以公布|公布如下|通报如下)([：:])", "$1报告如下$3");

    static Block Para(string text) => new(BlockKind.Paragraph, DocumentText.NormalizeReferences(text.Trim()));

    /// <summary>The document's own title for a notice; otherwise built from the issuer and the inspection team.</summary>
    public static string Title(LedgerDocument doc, bool report)
    {
        var title = doc.Title?.Trim();
        if (!string.IsNullOrEmpty(title))
        {
            if (!report) return title;
            if (title.EndsWith("报告", StringComparison.Ordinal)) return title;
            if (title.EndsWith("通报", StringComparison.Ordinal)) return title[..^2] + "报告";
        }
        var team = doc.Inspection?.Team ?? "巡察组";
        return $"{doc.Issuer ?? ""}关于{team}反馈意见整改落实情况的{(report ? "报告" : "通报")}";
    }

    static string DefaultOpening(LedgerDocument doc, bool report)
    {
        var i = doc.Inspection;
        var team = i?.Team ?? "巡察组";
        var when = i?.Start is { } s && i.End is { } e ? $"于{DocumentText.Date(s)}至{DocumentText.Date(e)}" : "";
        var feedback = i?.FeedbackDate is { } f ? $"{DocumentText.Date(f)}，巡察组向我单位反馈了巡察意见" : "巡察组向我单位反馈了巡察意见";
        var refs = doc.References.Count > 0 ? "（" + string.Join("、", doc.References) + "）" : "";
        return $"根据统一部署，{team}{when}对我单位进行了巡察。{feedback}{refs}。"
               + (report ? "现将整改情况报告如下：" : "现将整改情况予以公布：");
    }

    static string DefaultOverview(CompletionFigures f) =>
        $"巡察反馈问题{f.Problems}个，已完成整改{f.Completed}个，"
        + (f.BasicallyCompleted > 0 ? $"基本完成{f.BasicallyCompleted}个，" : "")
        + $"正在整改{f.Unfinished}个，整改完成率{f.RateText}。";

    const string DefaultNextSteps = "下一步，我们将持续推进未完成事项的整改，巩固整改成果，建立长效机制，确保反馈问题件件有着落、事事有回音。";
}
