using System.Text;
using System.Text.Json;
using Rectify.Core.Ledger;

namespace Rectify.Core.Import;

/// <summary>What a format reader extracted: text units for the pipeline, ledger tables already structured, doubts.</summary>
internal sealed class Extracted
{
    public List<SourceUnit> Units { get; } = [];
    public List<LedgerCategory> Tables { get; } = [];
    public List<ImportWarning> Warnings { get; } = [];
    public List<string> Unassigned { get; } = [];
}

/// <summary>
/// Reads a feedback document, a notice or a ledger into a <see cref="LedgerDocument"/>: .txt/.md (UTF-8 or GB18030),
/// .docx, .pdf with a text layer, .xlsx ledgers and Rectify's own JSON. The format is sniffed from the content; the
/// file name only breaks ties. Anything unreadable is an <see cref="ImportException"/> with a one-line Chinese message.
/// </summary>
public static class DocumentImporter
{
    static DocumentImporter() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static LedgerDocument Read(Stream input, string fileName, ImportOptions? options = null)
    {
        options ??= ImportOptions.Default;
        var format = Format.Text;
        try
        {
            var data = ReadAll(input, options.MaxBytes);
            if (data.Length == 0) throw new ImportException("文件为空");
            var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
            if (ext is ".docm" or ".xlsm" or ".dotm" or ".xltm")
                throw new ImportException("文件包含宏（启用宏的 Office 文件），出于安全原因拒绝导入");
            format = Sniff(data, ext);
            return format switch
            {
                Format.Zip => ReadPackage(data, options),
                Format.Pdf => Assemble(PdfSource.Read(data)),
                Format.Ole => throw new ImportException("文件已加密，或是旧版 Word/Excel 格式（.doc/.xls），请另存为 .docx/.xlsx 后再导入"),
                Format.Json => ReadJson(data, ext),
                _ => Assemble(PlainTextSource.Read(data)),
            };
        }
        catch (ImportException)
        {
            throw;
        }
        catch (Exception ex)
        {
            var what = format switch { Format.Zip => "Office 文档", Format.Pdf => "PDF 文件", Format.Json => "JSON 文件", _ => "文件" };
            throw new ImportException($"无法读取{what}：文件已损坏或格式不受支持", ex);
        }
    }

    enum Format { Text, Zip, Pdf, Ole, Json }

    static Format Sniff(byte[] d, string ext)
    {
        if (d.Length >= 4 && d[0] == 'P' && d[1] == 'K' && d[2] == 3 && d[3] == 4) return Format.Zip;
        if (d.Length >= 8 && d[0] == 0xD0 && d[1] == 0xCF && d[2] == 0x11 && d[3] == 0xE0) return Format.Ole;
        if (IndexOf(d, "%PDF-"u8, 1024) >= 0) return Format.Pdf;
        if (IndexOf(d, "{\\rtf"u8, 8) >= 0) throw new ImportException("不支持 RTF 格式，请在 Word 中另存为 .docx 后再导入");
        if (ext == ".json" || FirstNonSpace(d) == '{') return Format.Json;
        if (ext is ".docx" or ".xlsx" or ".pdf") throw new ImportException($"文件内容不是有效的 {ext[1..].ToUpperInvariant()} 文档");
        return Format.Text;
    }

    static int IndexOf(byte[] d, ReadOnlySpan<byte> what, int within) =>
        d.AsSpan(0, Math.Min(d.Length, within)).IndexOf(what);

    static char FirstNonSpace(byte[] d)
    {
        var i = d.Length >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF ? 3 : 0;
        while (i < d.Length && d[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i < d.Length ? (char)d[i] : '\0';
    }

    static byte[] ReadAll(Stream input, long max)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > max) throw new ImportException($"文件超过大小上限（{max / 1024 / 1024} MB）");
        }
        return ms.ToArray();
    }

    static LedgerDocument ReadPackage(byte[] data, ImportOptions options)
    {
        HashSet<string> parts;
        try
        {
            parts = ZipGuard.Check(data, options);
        }
        catch (InvalidDataException ex)
        {
            throw new ImportException("文件已损坏：压缩包无法解开", ex);
        }
        if (parts.Contains("EncryptedPackage")) throw new ImportException("文件已加密，请先取消密码保护");
        if (parts.Contains("word/document.xml")) return Assemble(DocxSource.Read(data, options));
        if (parts.Contains("xl/workbook.xml"))
        {
            var doc = Assemble(XlsxSource.Read(data, options));
            doc.Kind = "ledger";
            return doc;
        }
        throw new ImportException("不是 Word（.docx）或 Excel（.xlsx）文档");
    }

    /// <summary>Rectify's own JSON; a text file that merely starts with "{" falls back to text.</summary>
    static LedgerDocument ReadJson(byte[] data, string ext)
    {
        LedgerDocument? doc;
        try
        {
            doc = JsonSerializer.Deserialize<LedgerDocument>(data, LedgerDocument.Json);
        }
        catch (JsonException ex)
        {
            if (ext != ".json") return Assemble(PlainTextSource.Read(data));
            throw new ImportException("JSON 格式错误，不是 Rectify 台账文件", ex);
        }
        if (doc is null) throw new ImportException("JSON 内容为空");
        return doc;
    }

    /// <summary>The text pipeline and the structure parser, the same for every format.</summary>
    static LedgerDocument Assemble(Extracted x)
    {
        var doc = new LedgerDocument();
        doc.Warnings.AddRange(x.Warnings);
        doc.Unassigned.AddRange(x.Unassigned);
        var paragraphs = TextPipeline.Run(x.Units);
        if (paragraphs.Count == 0 && x.Tables.Count == 0) throw new ImportException("文档中没有可读取的文字");
        NoticeParser.Parse(paragraphs, doc);
        if (x.Tables.Count > 0)
        {
            if (!doc.AllProblems.Any()) doc.Kind = "ledger";
            doc.Categories.AddRange(x.Tables);
        }
        if (!doc.AllProblems.Any())
            doc.Warnings.Add(new ImportWarning { Where = "全文", Message = "没有识别出任何问题（未找到“1.”“（一）”等编号或台账表头）" });
        DocumentFacts.Extract(paragraphs, doc);
        StatedFigures.Extract(paragraphs, doc);
        return doc;
    }
}
