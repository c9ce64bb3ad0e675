using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Exceptions;

namespace Rectify.Core.Import;

/// <summary>
/// .pdf with a text layer (PdfPig): letters grouped into lines by baseline, lines marked as paragraph starts where the
/// vertical gap is wider than the usual line pitch or the line is indented; the first and last line of each page are
/// flagged so running headers and footers can be recognised. Scans without text are refused.
/// </summary>
internal static class PdfSource
{
    sealed record Line(string Text, double Baseline, double Left, double Right, double Size);

    public static Extracted Read(byte[] data)
    {
        PdfDocument pdf;
        try
        {
            pdf = PdfDocument.Open(data, new ParsingOptions { UseLenientParsing = true });
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw new ImportException("PDF 文件已加密，请先取消密码保护", ex);
        }
        using (pdf)
        {
            var x = new Extracted();
            var letters = 0;
            foreach (var page in pdf.GetPages())
            {
                var lines = Lines(page);
                letters += lines.Sum(l => l.Text.Length);
                AddPage(lines, page.Number, x);
            }
            if (letters == 0) throw new ImportException("PDF 没有文字层（可能是扫描件），无法读取文字");
            return x;
        }
    }

    static List<Line> Lines(Page page)
    {
        var lines = new List<Line>();
        var sb = new StringBuilder();
        double baseline = double.NaN, left = 0, size = 0, lastRight = double.NaN;
        foreach (var l in page.Letters)
        {
            var y = l.StartBaseLine.Y;
            var s = Math.Max(l.PointSize, 1);
            var newLine = double.IsNaN(baseline) || Math.Abs(y - baseline) > s * 0.5 || l.StartBaseLine.X < lastRight - s * 2;
            if (newLine)
            {
                if (sb.Length > 0) lines.Add(new Line(sb.ToString(), baseline, left, lastRight, size));
                sb.Clear();
                baseline = y;
                left = l.StartBaseLine.X;
                size = s;
            }
            else if (!double.IsNaN(lastRight) && l.StartBaseLine.X - lastRight > s * 0.3 && l.Value != " " && (sb.Length == 0 || sb[^1] != ' '))
                sb.Append(' ');
            sb.Append(l.Value);
            lastRight = l.EndBaseLine.X;
        }
        if (sb.Length > 0) lines.Add(new Line(sb.ToString(), baseline, left, lastRight, size));
        // Reading order of a single-column page: top to bottom (stable, so content order breaks ties).
        return lines.Where(l => l.Text.Trim().Length > 0).OrderByDescending(l => Math.Round(l.Baseline)).ToList();
    }

    static void AddPage(List<Line> lines, int pageNumber, Extracted x)
    {
        if (lines.Count == 0) return;
        var gaps = new List<double>();
        for (int i = 1; i < lines.Count; i++)
        {
            var g = lines[i - 1].Baseline - lines[i].Baseline;
            if (g > 0) gaps.Add(g);
        }
        gaps.Sort();
        var pitch = gaps.Count > 0 ? gaps[gaps.Count / 2] : 0;
        var margin = lines.Min(l => l.Left);
        var right = lines.Max(l => l.Right);
        for (int i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var gap = i > 0 ? lines[i - 1].Baseline - l.Baseline : 0;
            var brk = i > 0 && (pitch > 0 && gap > pitch * 1.5 || l.Left > margin + l.Size * 1.5);
            // A line after one that filled the text width wraps it, even when the wrap fell after a full stop.
            var wraps = i > 0 && !brk && lines[i - 1].Right >= right - lines[i - 1].Size * 2;
            x.Units.Add(new SourceUnit(l.Text, $"第{pageNumber}页", BreakBefore: brk, PageEdge: i == 0 || i == lines.Count - 1, Wraps: wraps));
        }
    }
}
