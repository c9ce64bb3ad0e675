namespace Rectify.Core.Import;

/// <summary>
/// Splits a 整改措施 block into measures: each 一是/二是/… (or 一要/二要…) item is one measure, found in order so a stray
/// 三是 cannot start a list; text before the first item is the preamble. Without such items, lines numbered 1./（1）/①
/// in sequence are the measures; otherwise the whole block is one measure.
/// </summary>
internal static class MeasureSplitter
{
    public static (string? Preamble, List<string> Measures) Split(string block)
    {
        block = block.Trim();
        foreach (var suffix in new[] { '是', '要' })
        {
            var starts = FindSequence(block, n => Patterns.ChineseNumeral(n) + suffix);
            if (starts.Count > 0) return Cut(block, starts);
        }
        var lines = NumberedLines(block);
        if (lines.Count >= 2) return Cut(block, lines.Select(l => (l.Start, l.MarkerLength)).ToList());
        return (null, block.Length == 0 ? [] : [block]);
    }

    static (string? Preamble, List<string> Measures) Cut(string block, List<(int Start, int MarkerLength)> starts)
    {
        var pre = block[..starts[0].Start].Trim();
        var items = new List<string>(starts.Count);
        for (int i = 0; i < starts.Count; i++)
        {
            var from = starts[i].Start + starts[i].MarkerLength;
            var to = i + 1 < starts.Count ? starts[i + 1].Start : block.Length;
            items.Add(block[from..to].Trim());
        }
        return (pre.Length == 0 ? null : pre, items);
    }

    /// <summary>Positions of 一是, 二是, … each found after the previous one at a clause boundary.</summary>
    static List<(int, int)> FindSequence(string block, Func<int, string> marker)
    {
        var found = new List<(int, int)>();
        var from = 0;
        for (int n = 1; n <= 30; n++)
        {
            var m = marker(n);
            var at = -1;
            for (var i = block.IndexOf(m, from, StringComparison.Ordinal); i >= 0; i = block.IndexOf(m, i + 1, StringComparison.Ordinal))
            {
                if (AtBoundary(block, i)) { at = i; break; }
            }
            if (at < 0) break;
            found.Add((at, m.Length));
            from = at + m.Length;
        }
        return found;
    }

    static bool AtBoundary(string s, int i) => i == 0 || s[i - 1] is '。' or '；' or ';' or '：' or ':' or '，' or ',' or '\n' or ' ' or '、' or '）' or '！';

    /// <summary>Lines starting 1., 2., … (or （1）, （2）…) in sequence.</summary>
    static List<(int Start, int MarkerLength)> NumberedLines(string block)
    {
        var result = new List<(int, int)>();
        HeadingLevel? level = null;
        var pos = 0;
        foreach (var line in block.Split('\n'))
        {
            var h = Patterns.MatchHeading(line);
            if (h is not null && h.Level is HeadingLevel.Item or HeadingLevel.SubItem
                && (level is null ? h.Value == 1 : h.Level == level && h.Value == result.Count + 1))
            {
                level = h.Level;
                result.Add((pos, line.Length - h.Rest.Length));
            }
            pos += line.Length + 1;
        }
        return result;
    }
}
