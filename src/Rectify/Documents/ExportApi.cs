using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Core.Data;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;

namespace Rectify.Documents;

/// <summary>Downloads of a stored ledger: the Excel ledger and the notice as DOCX, HTML or Markdown.</summary>
public static class ExportApi
{
    public static void MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/inspections/{id:long}/export", Export).RequireAuthorization().WithTags("文稿导出")
            .WithSummary("导出台账：to=xlsx（Excel 台账）、docx（整改情况通报）、html、md");
    }

    /// <summary>The formats offered, with their file suffix and content type.</summary>
    public static readonly IReadOnlyDictionary<string, (string Suffix, string ContentType)> Formats = new Dictionary<string, (string, string)>
    {
        ["xlsx"] = ("整改台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ["docx"] = ("整改情况通报.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ["html"] = ("整改情况通报.html", "text/html; charset=utf-8"),
        ["md"] = ("整改情况通报.md", "text/markdown; charset=utf-8"),
    };

    static async Task<IResult> Export(long id, string? to, RectifyDb db, IOptions<DeadlineSettings> deadlines, CancellationToken ct)
    {
        var format = (to ?? "xlsx").Trim().ToLowerInvariant();
        if (!Formats.TryGetValue(format, out var f)) return Guard.Invalid("to", "导出格式只能是 xlsx、docx、html 或 md。");
        var doc = await LedgerToDocument.RunAsync(db, id, deadlines.Value, ct);
        if (doc is null) return Guard.NotFound("检查");
        var stream = new MemoryStream();
        try
        {
            Write(doc, format, stream);
        }
        catch (DocumentLintException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "文稿与台账不一致", detail: e.Message);
        }
        stream.Position = 0;
        var unitName = await (from i in db.Inspections join o in db.Organisations on i.UnitId equals o.Id where i.Id == id select o.Name).FirstOrDefaultAsync(ct);
        var name = $"{unitName ?? "检查" + id}{f.Suffix}";
        return TypedResults.File(stream, f.ContentType, name);
    }

    /// <summary>Writes the document in the named format; the web pages use it too.</summary>
    public static void Write(LedgerDocument doc, string format, Stream output)
    {
        switch (format)
        {
            case "xlsx": new XlsxLedgerWriter().Write(doc, output); break;
            case "docx": new DocxNoticeWriter().Write(doc, output); break;
            case "html": new HtmlNoticeWriter().Write(doc, output); break;
            case "md": new MarkdownNoticeWriter().Write(doc, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(format));
        }
    }
}
