using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;

namespace Rectify.Core.Supervision;

/// <summary>
/// The round-wide summary (整改情况汇总) in the register of published notices: one sentence with the figures, the
/// outcome figures, then the per-unit table. Markdown, and GB/T 9704 DOCX through the notice writer's building blocks.
/// </summary>
public static class SummaryDocument
{
    static string N(decimal d) => d == decimal.Truncate(d) ? decimal.Truncate(d).ToString(CultureInfo.InvariantCulture) : d.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>巡察反馈的697个问题，完成整改688个，基本完成4个，未完成5个，总体完成率98.71%.</summary>
    public static string Sentence(CompletionFigures f)
    {
        var sb = new StringBuilder($"巡察反馈的{f.Problems}个问题，完成整改{f.Completed}个");
        if (f.BasicallyCompleted > 0) sb.Append($"，基本完成{f.BasicallyCompleted}个");
        if (f.Unfinished > 0) sb.Append($"，未完成{f.Unfinished}个");
        sb.Append($"，总体完成率{f.RateText}");
        return sb.ToString();
    }

    /// <summary>The outcome sentence, naming only the figures that are not zero; empty when all are.</summary>
    public static string OutcomeSentence(OutcomeTotals o)
    {
        var parts = new List<string>();
        if (o.PeopleHandled > 0) parts.Add($"处理{N(o.PeopleHandled)}人");
        var rules = Math.Max(o.RulesMade, o.RuleDocuments);
        if (rules > 0) parts.Add($"制定和修订完善制度{N(rules)}项");
        if (o.FundsYuan > 0) parts.Add(o.FundsYuan >= 10000 ? $"追缴清退资金{N(Math.Round(o.FundsYuan / 10000m, 2))}万元" : $"追缴清退资金{N(o.FundsYuan)}元");
        if (o.Meetings > 0) parts.Add($"召开会议{N(o.Meetings)}次");
        return parts.Count == 0 ? "" : "通过整改，" + string.Join("，", parts);
    }

    public static string Title(RoundFiguresReport r) =>
        (r.RoundName ?? (r.Year is { } y ? $"{y}年度巡察" : "巡察")) + "反馈问题整改情况汇总";

    static string Lead(RoundFiguresReport r) =>
        (r.AsOf is { } d ? $"截至{DocumentText.Date(d)}，" : "") + $"{r.Units.Count}个被巡察单位中，" + Sentence(r.Figures) + "。"
        + (OutcomeSentence(r.Outcomes) is { Length: > 0 } o ? o + "。" : "");

    public static string Markdown(RoundFiguresReport r)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(Title(r)).Append("\n\n");
        sb.Append(Lead(r)).Append("\n\n");
        sb.Append("| 序号 | 单位 | 问题数 | 完成整改 | 基本完成 | 未完成 | 完成率 |\n|---|---|---|---|---|---|---|\n");
        var n = 0;
        foreach (var u in r.Units.OrderBy(u => u.UnitName, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $"| {++n} | {u.UnitName} | {u.Figures.Problems} | {u.Figures.Completed} | {u.Figures.BasicallyCompleted} | {u.Figures.Unfinished} | {u.RateText} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| | 合计 | {r.Figures.Problems} | {r.Figures.Completed} | {r.Figures.BasicallyCompleted} | {r.Figures.Unfinished} | {r.RateText} |\n");
        return sb.ToString();
    }

    public static void Docx(RoundFiguresReport r, Stream output, DocumentStyle? style = null)
    {
        var s = style ?? new DocumentStyle();
        using var w = WordprocessingDocument.Create(output, DocumentFormat.OpenXml.WordprocessingDocumentType.Document);
        var (body, section) = GbDocx.Create(w, s);
        body.Append(GbDocx.Title(Title(r), s));
        body.Append(new Paragraph(GbDocx.ParaProps(JustificationValues.Both, GbDocx.NoIndent())));
        body.Append(Para(Lead(r), s));
        var n = 0;
        foreach (var u in r.Units.OrderBy(u => u.UnitName, StringComparer.Ordinal))
            body.Append(Para($"{DocumentText.ChineseNumeral(++n)}、{u.UnitName}：反馈问题{u.Figures.Problems}个，完成整改{u.Figures.Completed}个，"
                             + $"基本完成{u.Figures.BasicallyCompleted}个，未完成{u.Figures.Unfinished}个，完成率{u.RateText}。", s));
        body.Append(section);
        w.MainDocumentPart!.Document.Save();
    }

    static Paragraph Para(string text, DocumentStyle s) =>
        new(GbDocx.ParaProps(JustificationValues.Both, GbDocx.FirstLine2()), GbDocx.BodyRun(text, s.BodyFont, s));
}
