using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rectify.Core.Import;

/// <summary>
/// .docx: paragraphs in body order with their Word automatic numbering rendered back into the text (一、/（一）/1. that
/// live only in numbering.xml), heading styles and centred paragraphs kept whole, tables read row by row (a ledger
/// table becomes categories, any other table one unit per cell).
/// </summary>
internal static class DocxSource
{
    public static Extracted Read(byte[] data, ImportOptions options)
    {
        var settings = new OpenSettings { MaxCharactersInPart = options.MaxInflatedBytes };
        using var word = WordprocessingDocument.Open(new MemoryStream(data, writable: false), false, settings);
        var main = word.MainDocumentPart ?? throw new ImportException("Word 文档缺少正文部分");
        var body = main.Document?.Body ?? throw new ImportException("Word 文档缺少正文部分");
        var numbering = new NumberingRenderer(main);
        var x = new Extracted();
        var state = new State();
        Walk(body, x, numbering, state);
        return x;
    }

    sealed class State
    {
        public int Paragraph;
        public int Table;
    }

    static void Walk(OpenXmlElement container, Extracted x, NumberingRenderer numbering, State state)
    {
        foreach (var el in container.Elements())
        {
            switch (el)
            {
                case Paragraph p:
                    state.Paragraph++;
                    AddParagraph(p, x, numbering, $"第{state.Paragraph}段");
                    break;
                case Table t:
                    state.Table++;
                    AddTable(t, x, state.Table);
                    break;
                default:
                    Walk(el, x, numbering, state);
                    break;
            }
        }
    }

    static void AddParagraph(Paragraph p, Extracted x, NumberingRenderer numbering, string where)
    {
        var lines = Lines(p);
        if (lines.All(string.IsNullOrWhiteSpace)) return;
        var label = numbering.Label(p);
        var standalone = numbering.IsHeadingOrCentred(p);
        for (int i = 0; i < lines.Count; i++)
            x.Units.Add(new SourceUnit(i == 0 ? label + lines[i] : lines[i], where, BreakBefore: i == 0, Standalone: standalone));
    }

    /// <summary>The text of a paragraph, split at manual line breaks; deleted text and field codes excluded.</summary>
    static List<string> Lines(OpenXmlElement p)
    {
        var lines = new List<string>();
        var sb = new StringBuilder();
        foreach (var d in p.Descendants())
        {
            switch (d)
            {
                case Text t: sb.Append(t.Text); break;
                case TabChar: sb.Append('\t'); break;
                case Break or CarriageReturn:
                    lines.Add(sb.ToString());
                    sb.Clear();
                    break;
            }
        }
        lines.Add(sb.ToString());
        return lines;
    }

    static void AddTable(Table table, Extracted x, int number)
    {
        // Vertically merged continuation cells are null here; a ledger fills them down, other tables skip them.
        var rows = new List<string?[]>();
        foreach (var tr in table.Elements<TableRow>())
        {
            var cells = tr.Elements<TableCell>().ToList();
            var row = new string?[cells.Count];
            for (int c = 0; c < cells.Count; c++)
            {
                var merge = cells[c].TableCellProperties?.VerticalMerge;
                var continues = merge is not null && (merge.Val is null || merge.Val.InnerText == "continue");
                row[c] = continues ? null
                    : string.Join("\n", cells[c].Elements<Paragraph>().Select(cp => string.Join("\n", Lines(cp))).Where(s => s.Length > 0));
            }
            rows.Add(row);
        }
        string Where(int r) => $"表{number}第{r + 1}行";
        var filled = new List<string[]>(rows.Count);
        for (int r = 0; r < rows.Count; r++)
            filled.Add(rows[r].Select((v, c) => v ?? (r > 0 && c < filled[r - 1].Length ? filled[r - 1][c] : "")).ToArray());
        if (LedgerTable.LooksLikeLedger(filled))
        {
            x.Tables.AddRange(LedgerTable.Read(filled, Where, x));
            return;
        }
        for (int r = 0; r < rows.Count; r++)
            foreach (var cell in rows[r])
                if (cell is not null && cell.Trim().Length > 0) x.Units.Add(new SourceUnit(cell, Where(r), Standalone: true));
    }
}
