using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Spreadsheet;
using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>
/// Writes the ledger (整改台账.xlsx): the columns of domain.md §2, one row per measure, category and problem cells
/// merged over their measures' rows, status colours, frozen header, A4 landscape print setup repeating the header row.
/// The sheet is written with <see cref="OpenXmlWriter"/> straight into a zip entry, so rows stream to the output
/// instead of being held as a DOM or in a buffered package part; only the merge ranges are kept until the end.
/// </summary>
public sealed class XlsxLedgerWriter
{
    public const string SheetName = "整改台账";

    /// <summary>The header row, in order, exactly as users expect it.</summary>
    public static readonly IReadOnlyList<string> Headers =
    [
        "序号", "问题类别", "具体问题", "整改目标", "整改措施", "整改方式", "责任领导", "责任部门", "责任人", "整改时限",
        "整改进展", "整改状态", "整改成效", "建章立制", "佐证材料", "销号情况", "备注",
    ];

    static readonly double[] Widths = [6, 16, 30, 24, 40, 10, 10, 14, 10, 13, 30, 14, 24, 20, 20, 14, 14];

    /// <summary>Columns that belong to the problem (or its category) and are merged over the problem's measure rows.</summary>
    static readonly int[] ProblemColumns = [0, 2, 3, 12];
    const int CategoryColumn = 1, StatusColumn = 11;

    // Cell formats (indices into cellXfs).
    const uint HeaderStyle = 1, TextStyle = 2, CentredStyle = 3, Green = 4, Yellow = 5, Red = 6, Blue = 7;

    /// <summary>
    /// The output stream needs no seeking. The package is written as a plain zip in create mode: the OpenXML SDK's
    /// packages buffer every part in memory until disposed (and refuse write-only containers), so the parts are written
    /// here directly, the sheet with <see cref="OpenXmlWriter"/> straight into its zip entry.
    /// </summary>
    public LintOutcome Write(LedgerDocument doc, Stream output, RenderOptions? options = null)
    {
        options ??= RenderOptions.Default;
        var lint = NoticeLint.Enforce(doc, options.OverrideReason);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            WriteText(zip, "[Content_Types].xml", ContentTypes);
            WriteText(zip, "_rels/.rels", RootRelationships);
            WriteText(zip, "xl/_rels/workbook.xml.rels", WorkbookRelationships);
            WriteElement(zip, "xl/styles.xml", Stylesheet());
            var book = new Workbook(
                new BookViews(new WorkbookView()),
                new Sheets(new Sheet { Name = SheetName, SheetId = 1, Id = "rId1" }),
                new DefinedNames(new DefinedName { Name = "_xlnm.Print_Titles", LocalSheetId = 0, Text = $"'{SheetName}'!$1:$1" }));
            book.AddNamespaceDeclaration("r", RelationshipsNs);
            WriteElement(zip, "xl/workbook.xml", book);
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
            using var w = OpenXmlWriter.Create(sheet);
            WriteSheet(w, doc);
        }
        return lint;
    }

    const string RelationshipsNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    const string ContentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>
        """;

    const string RootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """;

    const string WorkbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
        """;

    static void WriteText(ZipArchive zip, string name, string xml)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        var bytes = new UTF8Encoding(false).GetBytes(xml);
        s.Write(bytes);
    }

    static void WriteElement(ZipArchive zip, string name, OpenXmlElement element)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        using var xw = XmlWriter.Create(s, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xw.WriteStartDocument(true);
        element.WriteTo(xw);
    }

    static void WriteSheet(OpenXmlWriter w, LedgerDocument doc)
    {
        var merges = new List<string>();
        w.WriteStartDocument(true);
        w.WriteStartElement(new Worksheet());
        w.WriteElement(new SheetProperties(new PageSetupProperties { FitToPage = true }));
        w.WriteElement(new SheetViews(new SheetView(
            new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen },
            new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A2", SequenceOfReferences = new ListValue<StringValue> { InnerText = "A2" } })
        { WorkbookViewId = 0, TabSelected = true }));
        w.WriteElement(new SheetFormatProperties { DefaultRowHeight = 15 });
        var cols = new Columns();
        for (var i = 0; i < Widths.Length; i++)
            cols.Append(new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = Widths[i], CustomWidth = true });
        w.WriteElement(cols);

        w.WriteStartElement(new SheetData());
        uint row = 1;
        WriteRow(w, row, Headers.ToArray(), i => HeaderStyle);

        var number = 0;
        foreach (var category in doc.Categories)
        {
            var categoryStart = row + 1;
            foreach (var problem in category.Problems)
            {
                number++;
                var problemStart = row + 1;
                var problemStatus = DocumentText.StatusOf(problem);
                IReadOnlyList<LedgerMeasure?> measures = problem.Measures.Count > 0 ? problem.Measures : new LedgerMeasure?[] { null };
                foreach (var m in measures)
                {
                    row++;
                    var status = m?.Status ?? problemStatus;
                    var cells = new string?[Headers.Count];
                    cells[0] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    cells[1] = category.Title;
                    cells[2] = problem.Title;
                    cells[3] = problem.Goal;
                    cells[12] = problem.Outcome;
                    cells[StatusColumn] = StatusRules.Wording(status);
                    if (m is not null)
                    {
                        cells[4] = m.Text;
                        cells[5] = m.Mode is { } mode ? StatusRules.ModeWording(mode) : null;
                        cells[6] = m.Leader;
                        cells[7] = DocumentText.Departments(m);
                        cells[8] = m.Owner;
                        cells[9] = m.Deadline is { } d ? DocumentText.Date(d) : null;
                        cells[10] = m.Progress;
                        cells[13] = m.Rules;
                        cells[14] = m.Evidence;
                        cells[15] = m.Closure;
                        cells[16] = m.Remarks;
                    }
                    else
                    {
                        cells[4] = problem.MeasuresPreamble;
                    }
                    WriteRow(w, row, cells, i => i == StatusColumn ? StatusStyle(status) : i is 0 or 5 or 6 or 8 or 9 ? CentredStyle : TextStyle);
                }
                if (row > problemStart)
                    foreach (var c in ProblemColumns) merges.Add($"{ColumnName(c)}{problemStart}:{ColumnName(c)}{row}");
            }
            if (row > categoryStart) merges.Add($"{ColumnName(CategoryColumn)}{categoryStart}:{ColumnName(CategoryColumn)}{row}");
        }
        w.WriteEndElement(); // sheetData

        if (merges.Count > 0)
        {
            w.WriteStartElement(new MergeCells { Count = (uint)merges.Count });
            foreach (var m in merges) w.WriteElement(new MergeCell { Reference = m });
            w.WriteEndElement();
        }
        w.WriteElement(new PrintOptions { HorizontalCentered = true });
        w.WriteElement(new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
        w.WriteElement(new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
        w.WriteElement(new HeaderFooter(new OddFooter("&C第 &P 页，共 &N 页")));
        w.WriteEndElement(); // worksheet
    }

    static void WriteRow(OpenXmlWriter w, uint row, string?[] cells, Func<int, uint> style)
    {
        w.WriteStartElement(new Row { RowIndex = row });
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = new Cell { CellReference = ColumnName(i) + row, StyleIndex = style(i) };
            var text = cells[i];
            if (!string.IsNullOrEmpty(text))
            {
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new Text(Neutralise(text)) { Space = SpaceProcessingModeValues.Preserve });
            }
            w.WriteElement(cell);
        }
        w.WriteEndElement();
    }

    /// <summary>
    /// Text that a spreadsheet could take for a formula (= + - @, or a leading tab/CR) gets a leading apostrophe, so a
    /// cell pasted or re-saved elsewhere never turns into one (CSV/formula injection).
    /// </summary>
    public static string Neutralise(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    /// <summary>Green when completed, blue when struck off, yellow while under way or awaiting acceptance, red when not started or extended.</summary>
    static uint StatusStyle(MeasureStatus s) => s switch
    {
        MeasureStatus.Closed => Blue,
        MeasureStatus.Rectified or MeasureStatus.RectifiedOngoing => Green,
        MeasureStatus.InProgress or MeasureStatus.BasicallyRectified or MeasureStatus.PendingClosure => Yellow,
        _ => Red,
    };

    static Stylesheet Stylesheet()
    {
        static Fill Solid(string rgb) => new(new PatternFill(new ForegroundColor { Rgb = "FF" + rgb }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid });
        var thin = new Border(
            new LeftBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
            new RightBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
            new TopBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
            new BottomBorder(new Color { Auto = true }) { Style = BorderStyleValues.Thin },
            new DiagonalBorder());
        static CellFormat Xf(uint font, uint fill, uint border, HorizontalAlignmentValues h) =>
            new(new Alignment { Horizontal = h, Vertical = VerticalAlignmentValues.Center, WrapText = true })
            { FontId = font, FillId = fill, BorderId = border, ApplyFont = true, ApplyFill = fill > 0, ApplyBorder = true, ApplyAlignment = true };

        return new Stylesheet(
            new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "宋体" }, new FontCharSet { Val = 134 }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "宋体" }, new FontCharSet { Val = 134 })) { Count = 2 },
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                Solid("D9D9D9"), Solid("C6EFCE"), Solid("FFEB9C"), Solid("FFC7CE"), Solid("DDEBF7")) { Count = 7 },
            new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()), thin) { Count = 2 },
            new CellStyleFormats(new CellFormat { FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new CellFormats(
                new CellFormat { FontId = 0, FillId = 0, BorderId = 0 },
                Xf(1, 2, 1, HorizontalAlignmentValues.Center),
                Xf(0, 0, 1, HorizontalAlignmentValues.Left),
                Xf(0, 0, 1, HorizontalAlignmentValues.Center),
                Xf(0, 3, 1, HorizontalAlignmentValues.Center),
                Xf(0, 4, 1, HorizontalAlignmentValues.Center),
                Xf(0, 5, 1, HorizontalAlignmentValues.Center),
                Xf(0, 6, 1, HorizontalAlignmentValues.Center)) { Count = 8 },
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }
}
