using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Core.Import;
using Rectify.Core.Ledger;
using W = DocumentFormat.OpenXml.Wordprocessing;
using S = DocumentFormat.OpenXml.Spreadsheet;

namespace Rectify.Core.Tests.Import;

/// <summary>The seed and documents built from it in the tests: DOCX with automatic numbering, GB18030 text, an xlsx ledger.</summary>
internal static partial class TestDocuments
{
    public static string SamplePath(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    public static string SeedText => File.ReadAllText(SamplePath("seed-notice.txt"));

    public static byte[] SeedBytes => File.ReadAllBytes(SamplePath("seed-notice.txt"));

    public static byte[] SeedPdf => File.ReadAllBytes(SamplePath("seed-notice.pdf"));

    public static LedgerDocument Read(byte[] data, string name, ImportOptions? options = null) =>
        DocumentImporter.Read(new MemoryStream(data), name, options);

    public static LedgerDocument ReadText(string text, string name = "test.txt") => Read(Encoding.UTF8.GetBytes(text), name);

    public static byte[] Gb18030(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GB18030").GetBytes(text);
    }

    [GeneratedRegex(@"^([一二三四五六七八九十]+)、\s*")]
    private static partial Regex PartMarker();

    [GeneratedRegex(@"^[（(]([一二三四五六七八九十]+)[）)]\s*")]
    private static partial Regex CategoryMarker();

    [GeneratedRegex(@"^(\d+)[.．]\s*")]
    private static partial Regex ItemMarker();

    /// <summary>
    /// The seed as a Word document the way a word processor saves it: one w:p per text paragraph, Markdown gone, the
    /// numbers 一、/（一）/1. removed from the text and produced by a multi-level list in numbering.xml instead,
    /// labels (整改措施：) in a bold run of their own, the title centred.
    /// </summary>
    public static byte[] SeedDocx()
    {
        var paragraphs = SeedText.Split('\n').Select(l => l.Trim().TrimStart('#').Trim().Replace("**", "")).Where(l => l.Length > 0).ToList();
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new Body();
            main.Document = new Document(body);
            var numbering = main.AddNewPart<NumberingDefinitionsPart>();
            numbering.Numbering = new Numbering(
                new AbstractNum(
                    Level(0, NumberFormatValues.ChineseCounting, "%1、"),
                    Level(1, NumberFormatValues.ChineseCounting, "（%2）"),
                    Level(2, NumberFormatValues.Decimal, "%3."))
                { AbstractNumberId = 0 },
                new NumberingInstance(new AbstractNumId { Val = 0 }) { NumberID = 1 });
            for (int i = 0; i < paragraphs.Count; i++)
            {
                var text = paragraphs[i];
                var props = new ParagraphProperties();
                int? level = null;
                foreach (var (rx, l) in new[] { (PartMarker(), 0), (CategoryMarker(), 1), (ItemMarker(), 2) })
                {
                    var m = rx.Match(text);
                    if (!m.Success) continue;
                    level = l;
                    text = text[m.Length..];
                    break;
                }
                if (level is { } lv) props.Append(new NumberingProperties(new NumberingLevelReference { Val = lv }, new NumberingId { Val = 1 }));
                if (i == 0) props.Append(new Justification { Val = JustificationValues.Center });
                var p = new W.Paragraph(props);
                var colon = text.IndexOf('：');
                if (colon > 0 && colon <= 6 && text.StartsWith("整改", StringComparison.Ordinal))
                {
                    p.Append(new W.Run(new W.RunProperties(new W.Bold()), new W.Text(text[..(colon + 1)]) { Space = SpaceProcessingModeValues.Preserve }));
                    text = text[(colon + 1)..];
                }
                p.Append(new W.Run(new W.Text(text) { Space = SpaceProcessingModeValues.Preserve }));
                body.Append(p);
            }
        }
        return ms.ToArray();
    }

    static Level Level(int index, NumberFormatValues format, string text) =>
        new(new StartNumberingValue { Val = 1 }, new W.NumberingFormat { Val = format }, new LevelText { Val = text }) { LevelIndex = index };

    /// <summary>A minimal valid DOCX with the given body paragraphs.</summary>
    public static byte[] Docx(params string[] paragraphs)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            main.Document = new Document(new Body(paragraphs.Select(t => new W.Paragraph(new W.Run(new W.Text(t))))));
        }
        return ms.ToArray();
    }

    /// <summary>
    /// An xlsx ledger: header row, category 一 merged over four measure rows (problem 1 over two, problem 2 over two),
    /// category 二 with one problem and one measure.
    /// </summary>
    public static byte[] LedgerXlsx()
    {
        string[] header = ["序号", "问题类别", "具体问题", "整改措施", "整改方式", "责任领导", "责任部门", "责任人", "整改时限", "整改状态"];
        string[][] rows =
        [
            ["1", "一、政治建设方面", "学习贯彻党的教育方针不深入", "每月一次理论中心组学习", "长期坚持", "张三", "办公室（牵头），配合：人事股、教育股", "李四", "2022年12月31日", "已整改，长期坚持"],
            ["", "", "", "各支部开展教职工政治理论学习", "限期整改", "张三", "各党支部", "王五", "2022-11-30", "已完成"],
            ["2", "", "意识形态工作有短板", "明确一名班子成员抓意识形态工作", "立行立改", "赵六", "办公室", "李四", "2022年10月", "已整改"],
            ["", "", "", "加强校园文化建设", "限期整改", "赵六", "教育股", "王五", "2022-12-31", "整改推进中"],
            ["3", "二、履职尽责方面", "长期违规借调教师", "借调人员返回原学校", "限期整改", "钱七", "人事股", "孙八", "2023-03-31", "未完成"],
        ];
        return Xlsx([header, .. rows], "B2:B5", "C2:C3", "C4:C5", "A2:A3", "A4:A5");
    }

    /// <summary>A one-sheet workbook: the first row in shared strings, the others inline strings; merged ranges as given.</summary>
    public static byte[] Xlsx(string[][] rows, params string[] merges)
    {
        using var ms = new MemoryStream();
        using (var xlsx = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var book = xlsx.AddWorkbookPart();
            book.Workbook = new Workbook();
            var shared = book.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new SharedStringTable(rows[0].Select(h => new SharedStringItem(new S.Text(h))));
            var sheetPart = book.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (int r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (int c = 0; c < rows[r].Length; c++)
                {
                    if (rows[r][c].Length == 0) continue;
                    row.Append(r == 0
                        ? new Cell { CellReference = Ref(c, 1), DataType = CellValues.SharedString, CellValue = new CellValue(c.ToString()) }
                        : new Cell { CellReference = Ref(c, r + 1), DataType = CellValues.InlineString, InlineString = new InlineString(new S.Text(rows[r][c])) });
                }
                data.Append(row);
            }
            var ws = new Worksheet(data);
            if (merges.Length > 0) ws.Append(new MergeCells(merges.Select(m => new MergeCell { Reference = m })));
            sheetPart.Worksheet = ws;
            book.Workbook.AppendChild(new Sheets(new Sheet { Id = book.GetIdOfPart(sheetPart), SheetId = 1, Name = "台账" }));
        }
        return ms.ToArray();
    }

    /// <summary>A DOCX holding one table; a null cell continues the vertical merge of the cell above.</summary>
    public static byte[] DocxTable(string[] header, params string?[][] rows)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var table = new W.Table();
            foreach (var row in new[] { header.Cast<string?>().ToArray() }.Concat(rows))
            {
                var next = new W.TableRow();
                for (int c = 0; c < row.Length; c++)
                {
                    var merge = row[c] is null ? new W.VerticalMerge() : new W.VerticalMerge { Val = W.MergedCellValues.Restart };
                    next.Append(new W.TableCell(new W.TableCellProperties(merge), new W.Paragraph(new W.Run(new W.Text(row[c] ?? "")))));
                }
                table.Append(next);
            }
            main.Document = new Document(new Body(new W.Paragraph(new W.Run(new W.Text("整改台账"))), table));
        }
        return ms.ToArray();
    }

    static string Ref(int col, int row) => $"{(char)('A' + col)}{row}";
}
