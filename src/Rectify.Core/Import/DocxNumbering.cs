using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Rectify.Core.Import;

/// <summary>
/// Renders Word automatic numbering: the paragraph's numPr (direct or from its style chain) picks a num → abstractNum
/// level; counters run per abstractNum with deeper levels reset, startOverride applied on a num's first use; the level
/// text (%1、, （%1）, %1.) is filled with each level's number format (chineseCounting → 一, decimal → 1…).
/// </summary>
internal sealed class NumberingRenderer
{
    sealed record Lvl(int Start, string Format, string Text);

    readonly Dictionary<int, Dictionary<int, Lvl>> abstracts = [];
    readonly Dictionary<int, (int Abstract, Dictionary<int, int> Overrides)> nums = [];
    readonly Dictionary<string, Style> styles = [];
    readonly Dictionary<int, int[]> counters = [];
    readonly HashSet<int> usedNums = [];

    public NumberingRenderer(MainDocumentPart main)
    {
        foreach (var s in main.StyleDefinitionsPart?.Styles?.Elements<Style>() ?? [])
            if (s.StyleId?.Value is { } id) styles.TryAdd(id, s);
        var numbering = main.NumberingDefinitionsPart?.Numbering;
        if (numbering is null) return;
        foreach (var a in numbering.Elements<AbstractNum>())
        {
            if (a.AbstractNumberId?.Value is not { } aid) continue;
            var levels = new Dictionary<int, Lvl>();
            foreach (var l in a.Elements<Level>())
            {
                if (l.LevelIndex?.Value is not { } li || li is < 0 or > 8) continue;
                levels[li] = new Lvl(l.StartNumberingValue?.Val?.Value ?? 1, l.NumberingFormat?.Val?.InnerText ?? "decimal",
                    l.LevelText?.Val?.Value ?? "");
            }
            abstracts.TryAdd(aid, levels);
        }
        foreach (var n in numbering.Elements<NumberingInstance>())
        {
            if (n.NumberID?.Value is not { } nid || n.AbstractNumId?.Val?.Value is not { } aid) continue;
            var overrides = new Dictionary<int, int>();
            foreach (var o in n.Elements<LevelOverride>())
                if (o.LevelIndex?.Value is { } li && o.StartOverrideNumberingValue?.Val?.Value is { } start) overrides[li] = start;
            nums.TryAdd(nid, (aid, overrides));
        }
    }

    /// <summary>The rendered number of the paragraph ("一、", "（二）", "3.") or "" when it has none.</summary>
    public string Label(Paragraph p)
    {
        var (numId, ilvl) = NumPr(p);
        if (numId is not { } nid || nid == 0 || !nums.TryGetValue(nid, out var num) || !abstracts.TryGetValue(num.Abstract, out var levels))
            return "";
        var level = Math.Clamp(ilvl ?? 0, 0, 8);
        if (!levels.TryGetValue(level, out var lvl)) return "";
        if (!counters.TryGetValue(num.Abstract, out var c))
        {
            c = new int[9];
            Array.Fill(c, int.MinValue);
            counters[num.Abstract] = c;
        }
        if (usedNums.Add(nid))
            foreach (var (li, start) in num.Overrides)
                if (li is >= 0 and <= 8) c[li] = start - 1;
        c[level] = c[level] == int.MinValue ? lvl.Start : c[level] + 1;
        for (int deeper = level + 1; deeper < 9; deeper++) c[deeper] = int.MinValue;
        if (lvl.Format is "bullet" or "none") return "";

        var sb = new StringBuilder();
        var text = lvl.Text;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 1 < text.Length && text[i + 1] is >= '1' and <= '9')
            {
                var li = text[i + 1] - '1';
                var value = c[li] == int.MinValue ? (levels.TryGetValue(li, out var ol) ? ol.Start : 1) : c[li];
                sb.Append(Format(value, levels.TryGetValue(li, out var fl) ? fl.Format : "decimal"));
                i++;
            }
            else sb.Append(text[i]);
        }
        return sb.ToString();
    }

    (int? NumId, int? Level) NumPr(Paragraph p)
    {
        var direct = p.ParagraphProperties?.NumberingProperties;
        int? numId = direct?.NumberingId?.Val?.Value, ilvl = direct?.NumberingLevelReference?.Val?.Value;
        var styleId = p.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
        for (int depth = 0; numId is null && styleId is not null && depth < 10; depth++)
        {
            if (!styles.TryGetValue(styleId, out var style)) break;
            var sp = style.StyleParagraphProperties?.NumberingProperties;
            numId ??= sp?.NumberingId?.Val?.Value;
            ilvl ??= sp?.NumberingLevelReference?.Val?.Value;
            styleId = style.BasedOn?.Val?.Value;
        }
        return (numId, ilvl);
    }

    /// <summary>Title and heading styles, and centred paragraphs, are kept whole (never joined to a neighbour).</summary>
    public bool IsHeadingOrCentred(Paragraph p)
    {
        if (p.ParagraphProperties?.Justification?.Val?.InnerText == "center") return true;
        var styleId = p.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
        if (styleId is null) return false;
        var name = styles.TryGetValue(styleId, out var s) ? s.StyleName?.Val?.Value ?? styleId : styleId;
        return name.StartsWith("heading", StringComparison.OrdinalIgnoreCase) || name.StartsWith("title", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("标题", StringComparison.Ordinal);
    }

    static string Format(int n, string format) => format switch
    {
        "chineseCounting" or "chineseCountingThousand" or "ideographDigital" or "japaneseCounting" or "taiwaneseCounting" => Patterns.ChineseNumeral(n),
        "chineseLegalSimplified" => Patterns.ChineseNumeral(n),
        "decimalEnclosedCircle" or "decimalEnclosedCircleChinese" when n is >= 1 and <= 20 => ((char)('①' + n - 1)).ToString(),
        "decimalFullWidth" or "decimalFullWidth2" => n.ToString(CultureInfo.InvariantCulture),
        "lowerLetter" when n is >= 1 and <= 26 => ((char)('a' + n - 1)).ToString(),
        "upperLetter" when n is >= 1 and <= 26 => ((char)('A' + n - 1)).ToString(),
        _ => n.ToString(CultureInfo.InvariantCulture),
    };
}
