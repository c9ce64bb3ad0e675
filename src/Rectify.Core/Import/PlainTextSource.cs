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
        var lines = text.Split('\n');
        var width = WrapWidth(lines);
        var blank = true;
        var previousLength = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 && !line.Contains('\f'))
            {
                blank = true;
                previousLength = 0;
                continue;
            }
            var wraps = !blank && width > 0 && previousLength >= width - 2;
            x.Units.Add(new SourceUnit(line, $"第{i + 1}行", BreakBefore: blank, Wraps: wraps));
            blank = false;
            previousLength = line.TrimEnd().Length;
        }
        return x;
    }

    /// <summary>
    /// The width a hard-wrapped text was wrapped at: the most common length of the longer lines, when at least a
    /// quarter of them share it; 0 when the text is not hard-wrapped (one paragraph per line).
    /// </summary>
    static int WrapWidth(string[] lines)
    {
        var counts = new Dictionary<int, int>();
        var total = 0;
        foreach (var l in lines)
        {
            var n = l.TrimEnd().Length;
            if (n < 10) continue;
            total++;
            counts[n] = counts.GetValueOrDefault(n) + 1;
        }
        if (total < 10) return 0;
        var (width, count) = counts.MaxBy(kv => kv.Value) is var kv ? (kv.Key, kv.Value) : (0, 0);
        return count * 4 >= total ? width : 0;
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
