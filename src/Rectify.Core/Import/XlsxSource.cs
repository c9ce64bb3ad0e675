using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Rectify.Core.Import;

/// <summary>
/// .xlsx ledgers: every sheet as a grid of strings with merged ranges filled from their top-left cell, then read by
/// <see cref="LedgerTable"/>. A sheet without a ledger header is read as text, one unit per cell, with a warning.
/// </summary>
internal static class XlsxSource
{
    const int MaxRows = 100_000, MaxCols = 200;

    public static Extracted Read(byte[] data, ImportOptions options)
    {
        var settings = new OpenSettings { MaxCharactersInPart = options.MaxInflatedBytes };
        using var xlsx = SpreadsheetDocument.Open(new MemoryStream(data, writable: false), false, settings);
        var book = xlsx.WorkbookPart ?? throw new ImportException("Excel 文件缺少工作簿部分");
        var shared = book.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var x = new Extracted();
        foreach (var sheet in book.Workbook?.Sheets?.Elements<Sheet>() ?? [])
        {
            if (sheet.Id?.Value is not { } id || book.GetPartById(id) is not WorksheetPart part || part.Worksheet is not { } ws) continue;
            var name = sheet.Name?.Value ?? "工作表";
            var rows = Grid(ws, shared);
            if (rows.All(r => r.All(string.IsNullOrWhiteSpace))) continue;
            string Where(int r) => $"工作表“{name}”第{r + 1}行";
            if (LedgerTable.LooksLikeLedger(rows))
            {
                x.Tables.AddRange(LedgerTable.Read(rows, Where, x));
                continue;
            }
            x.Warnings.Add(new Ledger.ImportWarning { Where = Where(0), Message = "工作表没有可识别的台账表头（问题、整改措施等列），按文本读取" });
            for (int r = 0; r < rows.Count; r++)
                foreach (var cell in rows[r])
                    if (cell.Trim().Length > 0) x.Units.Add(new SourceUnit(cell, Where(r), Standalone: true));
        }
        return x;
    }

    static List<string[]> Grid(Worksheet ws, List<string> shared)
    {
        var cells = new Dictionary<(int Row, int Col), string>();
        int maxRow = -1, maxCol = -1;
        foreach (var row in ws.Descendants<Row>())
        {
            foreach (var cell in row.Elements<Cell>())
            {
                if (cell.CellReference?.Value is not { } reference || Parse(reference) is not { } rc) continue;
                if (rc.Row >= MaxRows || rc.Col >= MaxCols) continue;
                var value = Value(cell, shared);
                if (value.Length == 0) continue;
                cells[rc] = value;
                maxRow = Math.Max(maxRow, rc.Row);
                maxCol = Math.Max(maxCol, rc.Col);
            }
        }
        var fillBudget = 1_000_000; // a hostile merge list cannot make the grid explode
        foreach (var merge in ws.Descendants<MergeCell>())
        {
            var parts = merge.Reference?.Value?.Split(':');
            if (parts is not { Length: 2 } || Parse(parts[0]) is not { } a || Parse(parts[1]) is not { } b) continue;
            if (!cells.TryGetValue(a, out var v)) continue;
            for (int r = a.Row; r <= Math.Min(b.Row, Math.Min(maxRow, MaxRows - 1)); r++)
                for (int c = a.Col; c <= Math.Min(b.Col, Math.Min(maxCol, MaxCols - 1)) && fillBudget > 0; c++, fillBudget--)
                    cells.TryAdd((r, c), v);
        }
        var grid = new List<string[]>(maxRow + 1);
        var used = cells.Keys.Select(k => k.Row).ToHashSet();
        var empty = Enumerable.Repeat("", maxCol + 1).ToArray();
        for (int r = 0; r <= maxRow; r++)
        {
            if (!used.Contains(r))
            {
                grid.Add(empty);
                continue;
            }
            var row = new string[maxCol + 1];
            for (int c = 0; c <= maxCol; c++) row[c] = cells.GetValueOrDefault((r, c), "");
            grid.Add(row);
        }
        return grid;
    }

    static string Value(Cell cell, List<string> shared)
    {
        var raw = cell.CellValue?.Text ?? "";
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
            return int.TryParse(raw, out var i) && i >= 0 && i < shared.Count ? shared[i] : "";
        if (type == CellValues.InlineString) return cell.InlineString?.InnerText ?? "";
        if (type == CellValues.Boolean) return raw == "1" ? "是" : "否";
        return raw;
    }

    /// <summary>"C12" → (11, 2).</summary>
    static (int Row, int Col)? Parse(string reference)
    {
        int i = 0, col = 0;
        while (i < reference.Length && char.IsAsciiLetterUpper(reference[i]) && i < 4) col = col * 26 + (reference[i++] - 'A' + 1);
        if (i == 0 || i >= reference.Length || !int.TryParse(reference.AsSpan(i), out var row) || row < 1) return null;
        return (row - 1, col - 1);
    }
}
