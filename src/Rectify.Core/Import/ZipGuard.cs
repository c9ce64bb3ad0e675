using System.IO.Compression;
using System.Text;

namespace Rectify.Core.Import;

/// <summary>
/// Checks an Office package before the OpenXML SDK opens it: inflates every part with a running limit (zip bombs),
/// refuses DTDs and entity declarations in XML parts (XXE) and macro projects (vbaProject.bin).
/// Returns the names of the parts.
/// </summary>
internal static class ZipGuard
{
    public static HashSet<string> Check(byte[] data, ImportOptions options)
    {
        using var zip = new ZipArchive(new MemoryStream(data, writable: false), ZipArchiveMode.Read);
        if (zip.Entries.Count > 10_000) throw new ImportException("文件包含的部件过多，疑似压缩炸弹，已拒绝");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        var buffer = new byte[81920];
        foreach (var entry in zip.Entries)
        {
            names.Add(entry.FullName);
            if (entry.FullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)
                || entry.FullName.EndsWith("vbaData.xml", StringComparison.OrdinalIgnoreCase))
                throw new ImportException("文件包含宏，出于安全原因拒绝导入");
            var isXml = entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase);
            using var s = entry.Open();
            long size = 0;
            var head = isXml ? new StringBuilder() : null;
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (head is not null && head.Length < 4096) head.Append(Encoding.UTF8.GetString(buffer, 0, Math.Min(n, 4096)));
                size += n;
                total += n;
                if (total > options.MaxInflatedBytes
                    || size > 10L * 1024 * 1024 && size > Math.Max(entry.CompressedLength, 1) * options.MaxCompressionRatio)
                    throw new ImportException("文件解压后体积异常（疑似压缩炸弹），已拒绝");
            }
            if (head is not null && (Contains(head, "<!DOCTYPE") || Contains(head, "<!ENTITY")))
                throw new ImportException("文件包含外部实体声明（DTD/XXE），出于安全原因拒绝导入");
        }
        return names;
    }

    static bool Contains(StringBuilder sb, string what) => sb.ToString().Contains(what, StringComparison.OrdinalIgnoreCase);
}
