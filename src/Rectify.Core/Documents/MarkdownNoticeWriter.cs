using System.Text;
using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>Writes a notice or report as Markdown (UTF-8, no BOM) with the same content as the DOCX.</summary>
public sealed class MarkdownNoticeWriter
{
    public LintOutcome Write(LedgerDocument doc, Stream output, RenderOptions? options = null)
    {
        options ??= RenderOptions.Default;
        if (options.Kind == DocumentKind.Plan) throw new NotSupportedException("整改方案暂只能生成 DOCX 或 PDF。");
        var lint = NoticeLint.Enforce(doc, options.OverrideReason);
        using var w = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        var first = true;
        foreach (var b in NoticeOutline.Build(doc, options))
        {
            var line = b.Kind switch
            {
                BlockKind.Title => "# " + Escape(b.Text),
                BlockKind.Heading1 => "## " + Escape(b.Text),
                BlockKind.Heading2 => "### " + Escape(b.Text),
                BlockKind.Heading3 => "#### " + Escape(b.Text),
                BlockKind.Blank => null,
                BlockKind.Signature or BlockKind.Date => "<p align=\"right\">" + System.Net.WebUtility.HtmlEncode(b.Text) + "</p>",
                _ => (b.Label is null ? "" : "**" + Escape(b.Label) + "**") + Escape(b.Text),
            };
            if (line is null) continue;
            if (!first) w.WriteLine();
            w.WriteLine(line);
            first = false;
        }
        return lint;
    }

    /// <summary>Escapes what Markdown would read as markup: emphasis, links, HTML, a leading list or heading marker.</summary>
    internal static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '|') sb.Append('\\');
            sb.Append(c);
        }
        var s = sb.ToString();
        if (s.Length > 0 && (s[0] is '#' or '+' or '-' or '=')) s = "\\" + s;
        return System.Text.RegularExpressions.Regex.Replace(s, @"^(\d+)\.", "$1\\.");
    }
}
