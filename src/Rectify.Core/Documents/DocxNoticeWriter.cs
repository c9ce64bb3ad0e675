using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>Writes a notice (整改情况通报) or report (整改情况报告) as DOCX following GB/T 9704-2012.</summary>
public sealed class DocxNoticeWriter
{
    /// <summary>
    /// Lints, then writes. Throws <see cref="DocumentLintException"/> when the lint fails without an override.
    /// <see cref="DocumentKind.Plan"/> is handed to <see cref="PlanDocxWriter"/>.
    /// </summary>
    public LintOutcome Write(LedgerDocument doc, Stream output, RenderOptions? options = null)
    {
        options ??= RenderOptions.Default;
        if (options.Kind == DocumentKind.Plan) return new PlanDocxWriter().Write(doc, output, options);
        var lint = NoticeLint.Enforce(doc, options.OverrideReason);
        var style = options.Style;
        using var w = WordprocessingDocument.Create(output, WordprocessingDocumentType.Document);
        var (body, section) = GbDocx.Create(w, style);
        var blocks = NoticeOutline.Build(doc, options);
        for (var i = 0; i < blocks.Count; i++)
        {
            var b = blocks[i];
            if (b.Kind == BlockKind.Signature)
            {
                var date = i + 1 < blocks.Count && blocks[i + 1].Kind == BlockKind.Date ? blocks[++i].Text : "";
                foreach (var p in Signature(b.Text, date, style)) body.Append(p);
                continue;
            }
            body.Append(Paragraph(b, style));
        }
        body.Append(section);
        w.MainDocumentPart!.Document.Save();
        return lint;
    }

    static Paragraph Paragraph(Block b, DocumentStyle s) => b.Kind switch
    {
        BlockKind.Title => GbDocx.Title(b.Text, s),
        BlockKind.Recipient => new Paragraph(GbDocx.ParaProps(JustificationValues.Both, GbDocx.NoIndent()),
            GbDocx.BodyRun(b.Text, s.BodyFont, s)),
        BlockKind.Heading1 => Indented(GbDocx.BodyRun(b.Text, s.Heading1Font, s)),
        BlockKind.Heading2 => Indented(GbDocx.BodyRun(b.Text, s.Heading2Font, s)),
        BlockKind.Heading3 => Indented(GbDocx.BodyRun(b.Text, s.BodyFont, s)),
        BlockKind.Blank => new Paragraph(GbDocx.ParaProps(JustificationValues.Both, GbDocx.NoIndent())),
        BlockKind.Date => new Paragraph(GbDocx.ParaProps(JustificationValues.Right, new Indentation { Right = GbDocx.Chars(4).ToString(), RightChars = 400 }),
            GbDocx.BodyRun(b.Text, s.BodyFont, s)),
        _ => b.Label is null
            ? Indented(GbDocx.BodyRun(b.Text, s.BodyFont, s))
            : Indented(GbDocx.BodyRun(b.Label, s.BodyFont, s, bold: true), GbDocx.BodyRun(b.Text, s.BodyFont, s)),
    };

    static Paragraph Indented(params Run[] runs)
    {
        var p = new Paragraph(GbDocx.ParaProps(JustificationValues.Both, GbDocx.FirstLine2()));
        p.Append(runs);
        return p;
    }

    /// <summary>
    /// 发文机关署名 and 成文日期 without seal (GB/T 9704-2012 7.3.5.2): the signature right-indented 2 characters, the date
    /// on the next line starting 2 characters right of the signature's start. When the date is longer than that leaves
    /// room for, the date is right-indented 4 characters and the signature centred over it.
    /// </summary>
    internal static IEnumerable<Paragraph> Signature(string issuer, string date, DocumentStyle s)
    {
        var issuerWidth = DocumentText.Width(issuer);
        var dateWidth = DocumentText.Width(date);
        if (issuerWidth - 2 >= dateWidth)
        {
            yield return new Paragraph(GbDocx.ParaProps(JustificationValues.Right, RightChars(2)), GbDocx.BodyRun(issuer, s.BodyFont, s));
            var left = GbDocx.CharsPerLine - 2 - issuerWidth + 2;
            yield return new Paragraph(GbDocx.ParaProps(JustificationValues.Left,
                    new Indentation { Left = GbDocx.Chars(left).ToString(), LeftChars = (int)(left * 100), FirstLineChars = 0, FirstLine = "0" }),
                GbDocx.BodyRun(date, s.BodyFont, s));
        }
        else
        {
            var right = 4 + (dateWidth - issuerWidth) / 2;
            yield return new Paragraph(GbDocx.ParaProps(JustificationValues.Right, RightChars(right)), GbDocx.BodyRun(issuer, s.BodyFont, s));
            yield return new Paragraph(GbDocx.ParaProps(JustificationValues.Right, RightChars(4)), GbDocx.BodyRun(date, s.BodyFont, s));
        }
    }

    static Indentation RightChars(decimal n) =>
        new() { Right = GbDocx.Chars(n).ToString(), RightChars = (int)(n * 100), FirstLineChars = 0, FirstLine = "0" };
}
