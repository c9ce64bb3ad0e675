using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>
/// Writes the rectification plan (整改方案) as GB/T 9704 DOCX with its three lists as tables: 问题清单, 任务清单 (one row per
/// measure, the problem merged over its measures) and 责任清单.
/// </summary>
public sealed class PlanDocxWriter
{
    /// <summary>Table text: 小四 (12 pt).</summary>
    const int TableHalfPoints = 24;

    public LintOutcome Write(LedgerDocument doc, Stream output, RenderOptions? options = null)
    {
        options ??= RenderOptions.Default;
        var lint = NoticeLint.Enforce(doc, options.OverrideReason);
        var s = options.Style;
        using var w = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document);
        var (body, section) = GbDocx.Create(w, s);

        body.Append(GbDocx.Title(Title(doc), s));
        body.Append(Blank());
        var team = doc.Inspection?.Team ?? "巡察组";
        var refs = doc.References.Count > 0 ? "（" + string.Join("、", doc.References) + "）" : "";
        body.Append(Para($"为认真落实{team}反馈意见{refs}，切实抓好问题整改，结合实际，制定本方案。本方案列明问题清单、任务清单和责任清单，"
                         + "明确整改措施、整改目标、整改时限和责任领导、责任部门、责任人，逐项对账销号。", s));

        var problems = doc.Categories.SelectMany(c => c.Problems.Select(p => (Category: c, Problem: p))).ToList();

        body.Append(Heading("一、问题清单", s));
        var t1 = NewTable([8, 28, 64], ["序号", "问题类别", "具体问题"], s);
        var n = 0;
        foreach (var c in doc.Categories)
            for (var i = 0; i < c.Problems.Count; i++)
                t1.Append(Row([
                    Cell((++n).ToString(), s, center: true),
                    Cell(i == 0 ? c.Title : "", s, merge: i == 0 ? MergedCellValues.Restart : MergedCellValues.Continue, merged: c.Problems.Count > 1),
                    Cell(c.Problems[i].Title, s),
                ]));
        body.Append(t1);

        body.Append(Heading("二、任务清单", s));
        var t2 = NewTable([7, 23, 40, 18, 12], ["序号", "问题", "整改措施", "整改目标", "整改时限"], s);
        n = 0;
        foreach (var (_, p) in problems)
        {
            var measures = p.Measures.Count > 0 ? p.Measures : [new LedgerMeasure { Text = p.MeasuresPreamble ?? "" }];
            for (var i = 0; i < measures.Count; i++)
            {
                var m = measures[i];
                t2.Append(Row([
                    Cell((++n).ToString(), s, center: true),
                    Cell(i == 0 ? p.Title : "", s, merge: i == 0 ? MergedCellValues.Restart : MergedCellValues.Continue, merged: measures.Count > 1),
                    Cell(m.Text, s),
                    Cell(i == 0 ? p.Goal ?? "" : "", s, merge: i == 0 ? MergedCellValues.Restart : MergedCellValues.Continue, merged: measures.Count > 1),
                    Cell(Deadline(m), s, center: true),
                ]));
            }
        }
        body.Append(t2);

        body.Append(Heading("三、责任清单", s));
        var t3 = NewTable([7, 45, 14, 20, 14], ["序号", "整改措施", "责任领导", "责任部门", "责任人"], s);
        n = 0;
        foreach (var (_, p) in problems)
            foreach (var m in p.Measures)
                t3.Append(Row([Cell((++n).ToString(), s, center: true), Cell(m.Text, s), Cell(m.Leader ?? "", s, center: true),
                    Cell(DocumentText.Departments(m), s, center: true), Cell(m.Owner ?? "", s, center: true)]));
        body.Append(t3);

        body.Append(Blank());
        var date = DocumentText.Date(doc.Date ?? DateOnly.FromDateTime(options.Time.GetLocalNow().DateTime));
        if (!string.IsNullOrWhiteSpace(doc.Issuer))
            foreach (var p in DocxNoticeWriter.Signature(doc.Issuer.Trim(), date, s)) body.Append(p);
        body.Append(section);
        w.MainDocumentPart!.Document.Save();
        return lint;
    }

    public static string Title(LedgerDocument doc) =>
        $"{doc.Issuer ?? ""}关于落实{doc.Inspection?.Team ?? "巡察组"}反馈意见的整改方案";

    static string Deadline(LedgerMeasure m) =>
        m.Deadline is { } d ? DocumentText.Date(d) : m.Mode is { } mode ? StatusRules.ModeWording(mode) : "";

    static Paragraph Blank() => new(GbDocx.ParaProps(JustificationValues.Both, GbDocx.NoIndent()));

    static Paragraph Para(string text, DocumentStyle s) =>
        new(GbDocx.ParaProps(JustificationValues.Both, GbDocx.FirstLine2()), GbDocx.BodyRun(DocumentText.NormalizeReferences(text), s.BodyFont, s));

    static Paragraph Heading(string text, DocumentStyle s) =>
        new(GbDocx.ParaProps(JustificationValues.Both, GbDocx.FirstLine2()), GbDocx.BodyRun(text, s.Heading1Font, s));

    static Table NewTable(int[] percents, string[] headers, DocumentStyle s)
    {
        var border = () => new BorderType[]
        {
            new TopBorder { Val = BorderValues.Single, Size = 4, Color = "000000" },
            new LeftBorder { Val = BorderValues.Single, Size = 4, Color = "000000" },
            new BottomBorder { Val = BorderValues.Single, Size = 4, Color = "000000" },
            new RightBorder { Val = BorderValues.Single, Size = 4, Color = "000000" },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4, Color = "000000" },
            new InsideVerticalBorder { Val = BorderValues.Single, Size = 4, Color = "000000" },
        };
        var table = new Table(
            new TableProperties(
                new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
                new TableBorders(border()),
                new TableLayout { Type = TableLayoutValues.Fixed },
                new TableCellMarginDefault(new TopMargin { Width = "0", Type = TableWidthUnitValues.Dxa },
                    new TableCellLeftMargin { Width = 85, Type = TableWidthValues.Dxa },
                    new BottomMargin { Width = "0", Type = TableWidthUnitValues.Dxa },
                    new TableCellRightMargin { Width = 85, Type = TableWidthValues.Dxa })),
            new TableGrid(percents.Select(p => new GridColumn { Width = (GbDocx.TextWidth * p / 100).ToString() })));
        var header = new TableRow(new TableRowProperties(new TableHeader(), new CantSplit()));
        header.Append(headers.Select((h, i) => Cell(h, s, center: true, bold: true, widthTwips: GbDocx.TextWidth * percents[i] / 100)));
        table.Append(header);
        return table;
    }

    static TableRow Row(IEnumerable<TableCell> cells)
    {
        var row = new TableRow(new TableRowProperties(new CantSplit()));
        row.Append(cells);
        return row;
    }

    static TableCell Cell(string text, DocumentStyle s, bool center = false, bool bold = false, int? widthTwips = null,
        MergedCellValues? merge = null, bool merged = false)
    {
        var props = new TableCellProperties();
        if (widthTwips is { } wt) props.Append(new TableCellWidth { Width = wt.ToString(), Type = TableWidthUnitValues.Dxa });
        if (merged && merge is { } mv) props.Append(new VerticalMerge { Val = mv });
        props.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center });
        var pp = new ParagraphProperties(new AutoSpaceDE { Val = false }, new AutoSpaceDN { Val = false }, new SnapToGrid { Val = false },
            new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto },
            GbDocx.NoIndent(), new Justification { Val = center ? JustificationValues.Center : JustificationValues.Both });
        var font = bold ? s.Heading1Font : s.BodyFont;
        var p = new Paragraph(pp);
        if (text.Length > 0) p.Append(GbDocx.Run(DocumentText.NormalizeReferences(text), font, TableHalfPoints));
        return new TableCell(props, p);
    }
}
