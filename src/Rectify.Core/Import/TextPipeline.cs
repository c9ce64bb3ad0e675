using System.Text;
using System.Text.RegularExpressions;

namespace Rectify.Core.Import;

/// <summary>
/// One line or paragraph as a format reader produced it. <paramref name="BreakBefore"/> says the format itself marks a
/// paragraph boundary before it (a blank line, a Word paragraph, a vertical gap in a PDF); without it the unit is a
/// wrapped line of the previous paragraph unless the text says otherwise. <paramref name="Standalone"/> marks units
/// that are never joined to a neighbour (a Word heading style, a centred title, a table cell).
/// </summary>
/// <paramref name="PageEdge"/> marks the first and last lines of a PDF page, where running headers live.
/// <paramref name="Wraps"/> says the layout shows this line continues the previous one (which filled the line width).
internal sealed record SourceUnit(string Text, string Where, bool BreakBefore = true, bool Standalone = false, bool PageEdge = false,
    bool Wraps = false);

/// <summary>A repaired paragraph with the location of its first line.</summary>
internal sealed record TextParagraph(string Text, string Where);

/// <summary>
/// The text pipeline shared by every format: repair each unit, drop page numbers and running headers, unwrap
/// hard-wrapped lines, and re-join paragraphs broken mid-sentence at page breaks.
/// </summary>
internal static partial class TextPipeline
{
    public static List<TextParagraph> Run(IReadOnlyList<SourceUnit> units)
    {
        var headers = RunningHeaders(units);
        var cleaned = new List<(string Text, string Where, bool Break, bool Fixed, bool Wraps)>(units.Count);
        var pendingBreak = false;
        foreach (var u in units)
        {
            var r = TextRepair.Line(u.Text);
            if (r.Text.Length == 0 || IsPageNumber(r.Text) || headers.Contains(r.Text))
            {
                pendingBreak = true;
                continue;
            }
            cleaned.Add((r.Text, u.Where, u.BreakBefore || pendingBreak || cleaned.Count == 0, u.Standalone || r.MarkdownHeading, u.Wraps));
            pendingBreak = false;
        }

        // Stage 1: unwrap lines inside a block. Stage 2: join blocks that continue each other.
        var blocks = new List<(StringBuilder Text, string Where, bool Fixed)>();
        foreach (var (text, where, brk, fix, wraps) in cleaned)
        {
            if (!brk && blocks.Count > 0 && !blocks[^1].Fixed && !fix
                && (wraps && !Patterns.StartsBlock(text) || Continues(blocks[^1].Text, text)))
                blocks[^1].Text.Append(text);
            else blocks.Add((new StringBuilder(text), where, fix));
        }

        var result = new List<TextParagraph>(blocks.Count);
        StringBuilder? current = null;
        string currentWhere = "";
        var currentFixed = true;
        foreach (var (sb, where, fix) in blocks)
        {
            if (current is not null && !currentFixed && !fix && !(result.Count == 0 && IsTitleCandidate(current))
                && Continues(current, sb.ToString()))
            {
                current.Append(sb);
                continue;
            }
            if (current is not null) result.Add(new TextParagraph(current.ToString(), currentWhere));
            (current, currentWhere, currentFixed) = (sb, where, fix);
        }
        if (current is not null) result.Add(new TextParagraph(current.ToString(), currentWhere));
        // Emphasis markers split across two lines (** at a wrap) only meet after joining.
        for (int i = 0; i < result.Count; i++)
            if (result[i].Text.Contains("**", StringComparison.Ordinal))
                result[i] = result[i] with { Text = result[i].Text.Replace("**", "", StringComparison.Ordinal) };
        return result;
    }

    /// <summary>The first paragraph of a document that looks like a title is never continued.</summary>
    static bool IsTitleCandidate(StringBuilder text) => Patterns.LooksLikeTitle(text.ToString());

    /// <summary>
    /// Whether <paramref name="next"/> continues the paragraph <paramref name="prev"/>: the previous one does not end a
    /// sentence, is not a short heading, and the next does not start a heading, a label or a date line.
    /// </summary>
    internal static bool Continues(StringBuilder prev, string next)
    {
        if (prev.Length == 0 || Patterns.EndsSentence(prev)) return false;
        if (Patterns.StartsBlock(next) || Patterns.IsDateLine(next)) return false;
        var p = prev.ToString();
        if (Patterns.IsDateLine(p)) return false;
        // A short heading stands alone; a numbered paragraph with a run-in heading ("2. 建立台账。制定……") does not.
        var stop = p.IndexOf('。');
        if (Patterns.StartsHeading(p) && p.Length <= 50 && (stop < 0 || stop == p.Length - 1)) return false;
        return true;
    }

    /// <summary>Page-number lines: — 3 —, - 3 -, 第3页 共10页, 3/10, Page 3.</summary>
    internal static bool IsPageNumber(string text) => text.Length <= 24 && PageNumber().IsMatch(text);

    [GeneratedRegex(@"^(?:[—–\-－一~～]\s*\d{1,4}\s*[—–\-－一~～]|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$")]
    private static partial Regex PageNumber();

    /// <summary>
    /// Running headers: a short line that occurs at least twice, each time next to a page number, a form feed or the
    /// edge of a PDF page.
    /// </summary>
    static HashSet<string> RunningHeaders(IReadOnlyList<SourceUnit> units)
    {
        var nearEdge = new SortedSet<int>();
        for (int i = 0; i < units.Count; i++)
        {
            var raw = units[i].Text;
            var pageNumber = IsPageNumber(raw.Trim());
            if (units[i].PageEdge && !pageNumber) nearEdge.Add(i);
            if (!pageNumber && !raw.Contains('\f')) continue;
            for (int j = Math.Max(0, i - 2); j <= Math.Min(units.Count - 1, i + 2); j++)
                if (j != i || !pageNumber) nearEdge.Add(j);
        }
        var counts = new Dictionary<string, int>();
        foreach (var j in nearEdge)
        {
            var t = TextRepair.Line(units[j].Text).Text;
            if (t.Length is 0 or > 40 || IsPageNumber(t) || Patterns.StartsBlock(t)) continue;
            counts[t] = counts.GetValueOrDefault(t) + 1;
        }
        return counts.Where(kv => kv.Value >= 2).Select(kv => kv.Key).ToHashSet();
    }
}
