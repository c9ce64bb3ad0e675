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
    /// <summary>A paragraph being assembled, with what the joining rules need to know about its start.</summary>
    sealed class Block(string text, string where, bool fixedBlock, bool markdownHeading, bool opensBlock, bool heading, bool date)
    {
        public readonly StringBuilder Text = new(text);
        public readonly string Where = where;
        /// <summary>Never joined to a neighbour (Word heading, table cell).</summary>
        public readonly bool Fixed = fixedBlock;
        /// <summary>A Markdown heading: its own wrapped lines join it, paragraphs after a blank line do not.</summary>
        public readonly bool MarkdownHeading = markdownHeading;
        public readonly bool OpensBlock = opensBlock;
        readonly bool heading = heading;
        readonly bool date = date;
        int firstStop = text.IndexOf('。');

        public void Append(Block next)
        {
            if (firstStop < 0 && next.firstStop >= 0) firstStop = Text.Length + next.firstStop;
            Text.Append(next.Text);
        }

        /// <summary>
        /// Whether <paramref name="next"/> continues this paragraph: this one does not end a sentence, is not a date
        /// or a short heading ("2. 建立台账。制定……" has a run-in heading and is not short), and the next does not
        /// start a heading, a label or a date line.
        /// </summary>
        public bool ContinuesWith(Block next)
        {
            if (Text.Length == 0 || date || next.OpensBlock || Patterns.EndsSentence(Text)) return false;
            var shortHeading = heading && Text.Length <= 50 && (firstStop < 0 || firstStop == Text.Length - 1);
            return !shortHeading;
        }
    }

    public static List<TextParagraph> Run(IReadOnlyList<SourceUnit> units)
    {
        var headers = RunningHeaders(units);
        var pieces = new List<(Block Block, bool Break, bool Wraps)>(units.Count);
        var pendingBreak = false;
        foreach (var u in units)
        {
            var r = TextRepair.Line(u.Text);
            if (r.Text.Length == 0 || IsPageNumber(r.Text) || headers.Contains(r.Text))
            {
                pendingBreak = true;
                continue;
            }
            var heading = Patterns.StartsHeading(r.Text);
            var date = Patterns.IsDateLine(r.Text);
            var block = new Block(r.Text, u.Where, u.Standalone, r.MarkdownHeading,
                heading || date || Patterns.MatchLabel(r.Text) is not null, heading, date);
            pieces.Add((block, u.BreakBefore || pendingBreak || pieces.Count == 0, u.Wraps));
            pendingBreak = false;
        }

        // Stage 1: unwrap lines inside a block. Stage 2: join blocks that continue each other.
        var blocks = new List<Block>();
        foreach (var (piece, brk, wraps) in pieces)
        {
            var last = blocks.Count > 0 ? blocks[^1] : null;
            if (!brk && last is not null && !last.Fixed && !piece.Fixed && !piece.MarkdownHeading && (wraps && !piece.OpensBlock || last.ContinuesWith(piece)))
                last.Append(piece);
            else blocks.Add(piece);
        }

        var result = new List<TextParagraph>(blocks.Count);
        Block? current = null;
        var titleLines = 0; // leading paragraphs that look like (a line of) the title are never continued
        foreach (var block in blocks)
        {
            var inTitle = current is not null && titleLines == result.Count && result.Count < 3
                          && Patterns.LooksLikeTitle(current.Text.ToString());
            if (current is not null && !current.Fixed && !block.Fixed && !current.MarkdownHeading && !block.MarkdownHeading
                && current.ContinuesWith(block) && !inTitle)
            {
                current.Append(block);
                continue;
            }
            if (current is not null)
            {
                if (inTitle) titleLines++;
                result.Add(Finish(current));
            }
            current = block;
        }
        if (current is not null) result.Add(Finish(current));
        return result;
    }

    /// <summary>Emphasis markers split across two lines (** at a wrap) only meet after joining.</summary>
    static TextParagraph Finish(Block b)
    {
        var text = b.Text.ToString();
        if (text.Contains("**", StringComparison.Ordinal)) text = text.Replace("**", "", StringComparison.Ordinal);
        return new TextParagraph(text, b.Where);
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
