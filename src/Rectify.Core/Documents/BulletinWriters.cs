using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Core.Documents;

/// <summary>The bulletin as a sequence of blocks, shared by the Markdown and DOCX writers so both say the same.</summary>
public static class BulletinOutline
{
    public static IReadOnlyList<Block> Build(Bulletin b)
    {
        var f = b.Figures;
        var blocks = new List<Block>
        {
            new(BlockKind.Title, b.Title),
            new(BlockKind.Blank, ""),
            new(BlockKind.Recipient, "各科室、各责任人："),
            new(BlockKind.Paragraph, $"现将第{b.WeekNumber}周（{DocumentText.Date(b.Week)}至{DocumentText.Date(b.WeekEnd)}）巡察整改进展情况通报如下。"),
            new(BlockKind.Heading1, "一、总体进展"),
            new(BlockKind.Paragraph, $"截至{DocumentText.Date(b.WeekEnd)}，巡察反馈问题{f.Problems.Problems}个，已完成整改{f.Problems.Completed}个，"
                + $"基本完成{f.Problems.BasicallyCompleted}个，整改完成率{f.Problems.RateText}；整改措施{f.Measures}项，已完成{f.MeasuresCompleted}项。"
                + $"本周完成整改{f.CompletedThisWeek}项，销号{f.ClosedThisWeek}项；逾期未完成{f.Overdue}项，其中本周新增逾期{f.NewlyOverdue}项；"
                + $"本周应报未报周汇报{f.MissingReports}项，迟报{f.LateReports}项。"),
            new(BlockKind.Heading1, "二、本周状态变化"),
        };
        if (b.Changes.Count == 0) blocks.Add(new(BlockKind.Paragraph, "本周无整改状态变化。"));
        for (var i = 0; i < b.Changes.Count; i++)
        {
            var c = b.Changes[i];
            blocks.Add(new(BlockKind.Paragraph, $"{i + 1}.{Name(c.Item)}：由“{StatusRules.Wording(c.From)}”变为“{StatusRules.Wording(c.To)}”。"));
        }
        blocks.Add(new(BlockKind.Heading1, "三、本周销号事项"));
        if (b.Closed.Count == 0) blocks.Add(new(BlockKind.Paragraph, "本周无销号事项。"));
        for (var i = 0; i < b.Closed.Count; i++)
            blocks.Add(new(BlockKind.Paragraph, $"{i + 1}.{Name(b.Closed[i])}{Who(b.Closed[i])}。"));
        blocks.Add(new(BlockKind.Heading1, "四、逾期未完成事项"));
        if (b.Overdue.Count == 0) blocks.Add(new(BlockKind.Paragraph, "无逾期未完成事项。"));
        for (var i = 0; i < b.Overdue.Count; i++)
        {
            var o = b.Overdue[i];
            blocks.Add(new(BlockKind.Paragraph, $"{i + 1}.{Name(o)}（整改时限{(o.Deadline is { } d ? DocumentText.Date(d) : "")}，{StatusRules.Wording(o.Status)}）{Who(o)}。"));
        }
        blocks.Add(new(BlockKind.Heading1, "五、周汇报报送情况"));
        var missing = b.Reports.Where(r => r.State == ReportState.Missing).ToList();
        var late = b.Reports.Where(r => r.State == ReportState.Late).ToList();
        if (missing.Count == 0 && late.Count == 0) blocks.Add(new(BlockKind.Paragraph, "本周各责任人均按时报送周汇报。"));
        if (missing.Count > 0)
        {
            blocks.Add(new(BlockKind.Paragraph, "按部门：" + string.Join("；", b.MissingByDepartment.Select(c => $"{c.Name}未报{c.Missing}项")) + "。"));
            blocks.Add(new(BlockKind.Paragraph, "按责任人：" + string.Join("；", b.MissingByPerson.Select(c => $"{c.Name}未报{c.Missing}项")) + "。"));
            for (var i = 0; i < missing.Count; i++)
                blocks.Add(new(BlockKind.Paragraph, $"{i + 1}.{Name(missing[i].Item)}{Who(missing[i].Item)}，未报。"));
        }
        if (late.Count > 0)
            blocks.Add(new(BlockKind.Paragraph, "迟报：" + string.Join("；", late.Select(r => Name(r.Item) + Who(r.Item))) + "。"));
        if (b.Remarks.Count > 0)
        {
            blocks.Add(new(BlockKind.Heading1, "六、督查意见"));
            for (var i = 0; i < b.Remarks.Count; i++)
                blocks.Add(new(BlockKind.Paragraph, $"{i + 1}.{Name(b.Remarks[i].Item)}：{b.Remarks[i].Text}"));
        }
        blocks.Add(new(BlockKind.Paragraph, "请逾期和未报周汇报的部门、责任人抓紧整改、按时报送。"));
        blocks.Add(new(BlockKind.Blank, ""));
        blocks.Add(new(BlockKind.Signature, b.UnitName));
        blocks.Add(new(BlockKind.Date, DocumentText.Date(b.IssuedOn)));
        return blocks;
    }

    static string Name(BulletinItem i) => $"“{i.Problem}”问题的“{i.Text}”";

    static string Who(BulletinItem i) => i.Owner is null && i.Department is null ? ""
        : $"（责任部门：{i.Department ?? "未指定"}，责任人：{i.Owner ?? "未指定"}）";
}

/// <summary>Writes the weekly bulletin as Markdown (UTF-8, no BOM).</summary>
public sealed class MarkdownBulletinWriter
{
    public void Write(Bulletin bulletin, Stream output)
    {
        using var w = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        var first = true;
        foreach (var b in BulletinOutline.Build(bulletin))
        {
            var line = b.Kind switch
            {
                BlockKind.Title => "# " + MarkdownNoticeWriter.Escape(b.Text),
                BlockKind.Heading1 => "## " + MarkdownNoticeWriter.Escape(b.Text),
                BlockKind.Blank => null,
                BlockKind.Signature or BlockKind.Date => "<p align=\"right\">" + System.Net.WebUtility.HtmlEncode(b.Text) + "</p>",
                _ => MarkdownNoticeWriter.Escape(b.Text),
            };
            if (line is null) continue;
            if (!first) w.WriteLine();
            w.WriteLine(line);
            first = false;
        }
    }
}

/// <summary>Writes the weekly bulletin as DOCX with the GB/T 9704-2012 page of the notices.</summary>
public sealed class DocxBulletinWriter
{
    public void Write(Bulletin bulletin, Stream output, DocumentStyle? style = null)
    {
        var s = style ?? new DocumentStyle();
        using var w = WordprocessingDocument.Create(output, DocumentFormat.OpenXml.WordprocessingDocumentType.Document);
        var (body, section) = GbDocx.Create(w, s);
        var blocks = BulletinOutline.Build(bulletin);
        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b.Kind == BlockKind.Signature)
            {
                var date = i + 1 < blocks.Count && blocks[i + 1].Kind == BlockKind.Date ? blocks[++i].Text : "";
                foreach (var p in DocxNoticeWriter.Signature(b.Text, date, s)) body.Append(p);
                continue;
            }
            body.Append(b.Kind switch
            {
                BlockKind.Title => GbDocx.Title(b.Text, s),
                BlockKind.Blank => new Paragraph(GbDocx.ParaProps(JustificationValues.Both, GbDocx.NoIndent())),
                BlockKind.Recipient => new Paragraph(GbDocx.ParaProps(JustificationValues.Both, GbDocx.NoIndent()), GbDocx.BodyRun(b.Text, s.BodyFont, s)),
                BlockKind.Heading1 => new Paragraph(GbDocx.ParaProps(JustificationValues.Both, GbDocx.FirstLine2()), GbDocx.BodyRun(b.Text, s.Heading1Font, s)),
                _ => new Paragraph(GbDocx.ParaProps(JustificationValues.Both, GbDocx.FirstLine2()), GbDocx.BodyRun(b.Text, s.BodyFont, s)),
            });
        }
        body.Append(section);
        w.MainDocumentPart!.Document.Save();
    }
}
