using System.Net;
using System.Text;
using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>
/// Writes a notice or report as one self-contained HTML page (no external resources) with a print stylesheet that
/// lays it out on A4 with the GB/T 9704 margins, fonts and indents.
/// </summary>
public sealed class HtmlNoticeWriter
{
    public LintOutcome Write(LedgerDocument doc, Stream output, RenderOptions? options = null)
    {
        options ??= RenderOptions.Default;
        if (options.Kind == DocumentKind.Plan) throw new NotSupportedException("整改方案暂只能生成 DOCX 或 PDF。");
        var lint = NoticeLint.Enforce(doc, options.OverrideReason);
        var s = options.Style;
        var blocks = NoticeOutline.Build(doc, options);
        using var w = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        var title = blocks.FirstOrDefault(b => b.Kind == BlockKind.Title)?.Text ?? "";
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"zh-CN\">");
        w.WriteLine("<head>");
        w.WriteLine("<meta charset=\"utf-8\">");
        w.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.WriteLine($"<title>{E(title)}</title>");
        w.WriteLine("<style>");
        w.WriteLine(Css(s));
        w.WriteLine("</style>");
        w.WriteLine("</head>");
        w.WriteLine("<body>");
        w.WriteLine("<main class=\"page\">");
        decimal? signatureWidth = null;
        foreach (var b in blocks)
        {
            if (b.Kind == BlockKind.Signature) signatureWidth = DocumentText.Width(b.Text);
            w.WriteLine(b.Kind switch
            {
                BlockKind.Title => $"<h1>{string.Join("<br>", DocumentText.TitleLines(b.Text, GbDocx.TitleCharsPerLine(s)).Select(E))}</h1>",
                BlockKind.Recipient => $"<p class=\"recipient\">{E(b.Text)}</p>",
                BlockKind.Heading1 => $"<h2>{E(b.Text)}</h2>",
                BlockKind.Heading2 => $"<h3>{E(b.Text)}</h3>",
                BlockKind.Heading3 => $"<h4>{E(b.Text)}</h4>",
                BlockKind.Blank => "<p class=\"blank\">&nbsp;</p>",
                BlockKind.Signature => $"<p class=\"signature\">{E(b.Text)}</p>",
                BlockKind.Date => DateLine(b.Text, signatureWidth),
                _ => b.Label is null ? $"<p>{E(b.Text)}</p>" : $"<p><strong>{E(b.Label)}</strong>{E(b.Text)}</p>",
            });
        }
        w.WriteLine("</main>");
        w.WriteLine("</body>");
        w.WriteLine("</html>");
        return lint;
    }

    /// <summary>The date starts 2 characters right of the signature's start, as in the DOCX.</summary>
    static string DateLine(string date, decimal? signatureWidth)
    {
        if (signatureWidth is not { } sw || sw - 2 < DocumentText.Width(date)) return $"<p class=\"date\">{E(date)}</p>";
        var left = (GbDocx.CharsPerLine - sw).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return $"<p class=\"date\" style=\"text-align: left; padding-right: 0; padding-left: {left}em\">{E(date)}</p>";
    }

    static string E(string text) => WebUtility.HtmlEncode(text);

    static string Css(DocumentStyle s)
    {
        var body = s.BodyHalfPoints / 2m;
        var title = s.TitleHalfPoints / 2m;
        return $$"""
            @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
            @page :right { @bottom-right { content: "— " counter(page) " —"; font-family: "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: {{s.PageNumberHalfPoints / 2m}}pt; vertical-align: top; padding-top: 7mm; padding-right: 1em; } }
            @page :left { @bottom-left { content: "— " counter(page) " —"; font-family: "宋体", SimSun, "Noto Serif CJK SC", serif; font-size: {{s.PageNumberHalfPoints / 2m}}pt; vertical-align: top; padding-top: 7mm; padding-left: 1em; } }
            html { background: #eee; }
            body { margin: 0; color: #000; }
            .page { box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 10mm auto; padding: 37mm 26mm 35mm 28mm;
                    background: #fff; font-family: {{s.HtmlBodyFonts}}; font-size: {{body}}pt; line-height: 28.95pt; }
            h1 { font-family: {{s.HtmlTitleFonts}}; font-size: {{title}}pt; font-weight: normal; text-align: center;
                 line-height: 28.95pt; margin: 0; }
            h2, h3, h4, p { font-size: {{body}}pt; font-weight: normal; margin: 0; text-indent: 2em; text-align: justify; }
            h2 { font-family: {{s.HtmlHeading1Fonts}}; }
            h3 { font-family: {{s.HtmlHeading2Fonts}}; }
            h4 { font-family: {{s.HtmlBodyFonts}}; }
            p.recipient { text-indent: 0; }
            p.blank { text-indent: 0; }
            p.signature { text-indent: 0; text-align: right; padding-right: 2em; }
            p.date { text-indent: 0; text-align: right; padding-right: 4em; }
            @media print {
              html { background: none; }
              .page { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
              h2, h3, h4 { break-after: avoid; }
              p { orphans: 2; widows: 2; }
            }
            """;
    }
}
