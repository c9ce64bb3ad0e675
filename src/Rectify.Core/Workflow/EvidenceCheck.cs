using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Rectify.Core.Data;

namespace Rectify.Core.Workflow;

/// <summary>A checked evidence file: sanitised name, type detected from the content, SHA-256.</summary>
public sealed record CheckedFile(string FileName, string ContentType, long Size, string Sha256, byte[] Content);

/// <summary>
/// Checks an uploaded evidence file (佐证材料): the name must be a plain base name, the size within the limit, and the
/// content one of the accepted types recognised by its bytes, whatever the name claims. Executables are refused.
/// </summary>
public static class EvidenceCheck
{
    public static CheckedFile Run(string? fileName, byte[] content, long maxBytes)
    {
        var name = SafeName(fileName);
        if (content.Length == 0) throw new DomainRuleException("文件为空。", "file");
        if (content.Length > maxBytes)
            throw new DomainRuleException($"文件超过大小上限（{maxBytes / 1024 / 1024} MB）。", "file");
        var type = DetectType(content)
                   ?? throw new DomainRuleException("不支持的文件类型：佐证材料只接受 PDF、PNG、JPEG、GIF、Word（.docx）、Excel（.xlsx）或纯文本。", "file");
        return new CheckedFile(name, type, content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), content);
    }

    /// <summary>The base name of an upload; refuses names that try to leave their folder or carry control characters.</summary>
    public static string SafeName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName)) throw new DomainRuleException("文件名不能为空。", "file");
        if (fileName.Contains("..", StringComparison.Ordinal) || fileName.IndexOfAny(['/', '\\', ':']) >= 0 || fileName.Any(char.IsControl))
            throw new DomainRuleException("文件名不合法：不能包含路径（/ \\ ..）或控制字符。", "file");
        var name = fileName.Trim();
        if (name.Length > 200) throw new DomainRuleException("文件名过长（最多 200 个字符）。", "file");
        return name;
    }

    /// <summary>The MIME type recognised from the first bytes, or null for anything not accepted (executables included).</summary>
    public static string? DetectType(byte[] b)
    {
        bool Starts(params byte[] magic) => b.Length >= magic.Length && b.AsSpan(0, magic.Length).SequenceEqual(magic);
        if (Starts(0x4D, 0x5A) || Starts(0x7F, 0x45, 0x4C, 0x46) || Starts(0xCF, 0xFA, 0xED, 0xFE) || Starts(0x23, 0x21)) return null; // MZ, ELF, Mach-O, #!
        if (Starts(0x25, 0x50, 0x44, 0x46, 0x2D)) return "application/pdf";
        if (Starts(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)) return "image/png";
        if (Starts(0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (Starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
        if (Starts(0x50, 0x4B, 0x03, 0x04)) return OfficeType(b);
        return IsPlainText(b) ? "text/plain" : null;
    }

    static string? OfficeType(byte[] b)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(b), ZipArchiveMode.Read);
            if (zip.GetEntry("word/document.xml") is not null) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            if (zip.GetEntry("xl/workbook.xml") is not null) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            return null;
        }
        catch (InvalidDataException) { return null; }
    }

    /// <summary>UTF-8 text without NULs or other binary control characters, and not HTML (never served as a page).</summary>
    static bool IsPlainText(byte[] b)
    {
        string text;
        try { text = new UTF8Encoding(false, true).GetString(b); }
        catch (DecoderFallbackException) { return false; }
        if (text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t' or '\f'))) return false;
        var head = text.TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        return !head.StartsWith('<');
    }
}
