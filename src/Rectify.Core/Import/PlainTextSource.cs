using System.Text;

namespace Rectify.Core.Import;

/// <summary>
/// .txt and .md: UTF-8 (with or without BOM), UTF-16 with BOM, otherwise GB18030 (a superset of GBK and GB2312).
/// Strict UTF-8 decoding decides: Chinese text in GB18030 is practically never valid UTF-8.
/// </summary>
internal static class PlainTextSource
{
    public static Extracted Read(byte[] data)
    {
        var text = Decode(data);
        var sample = text.AsSpan(0, Math.Min(text.Length, 8192));
        var control = 0;
        foreach (var c in sample)
            if (c == '\0' || char.IsControl(c) && c is not ('\n' or '\r' or '\t' or '\f')) control++;
        if (control > sample.Length / 100 + 1) throw new ImportException("不是可识别的文档：文件内容为二进制数据");

        var x = new Extracted();
        var blank = true;
        var lineNo = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNo++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 && !line.Contains('\f'))
            {
                blank = true;
                continue;
            }
            x.Units.Add(new SourceUnit(line, $"第{lineNo}行", BreakBefore: blank));
            blank = false;
        }
        return x;
    }

    static string Decode(byte[] d)
    {
        if (d.Length >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) return new UTF8Encoding(false).GetString(d, 3, d.Length - 3);
        if (d.Length >= 2 && d[0] == 0xFF && d[1] == 0xFE) return Encoding.Unicode.GetString(d, 2, d.Length - 2);
        if (d.Length >= 2 && d[0] == 0xFE && d[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(d, 2, d.Length - 2);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(d);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030").GetString(d);
        }
    }
}
