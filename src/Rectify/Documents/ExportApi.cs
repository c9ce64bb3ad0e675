using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Rectify.Access;
using Rectify.Core.Data;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Documents;

/// <summary>Downloads of a stored ledger: the Excel ledger and the notice as DOCX, HTML or Markdown.</summary>
public static class ExportApi
{
    public static void MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/inspections/{id:long}/export", Export).RequireAuthorization().WithTags("文稿导出")
            .WithSummary("导出台账：to=xlsx（Excel 台账）、docx（整改情况通报）、html、md");
        app.MapGet("/api/inspections/{id:long}/bulletin", Bulletin).RequireAuthorization().WithTags("文稿导出")
            .WithSummary("第N周整改进展通报：week=该周任一日（默认上一个完整周），to=md 或 docx");
    }

    /// <summary>The formats offered, with their file suffix and content type.</summary>
    public static readonly IReadOnlyDictionary<string, (string Suffix, string ContentType)> Formats = new Dictionary<string, (string, string)>
    {
        ["xlsx"] = ("整改台账.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ["docx"] = ("整改情况通报.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ["html"] = ("整改情况通报.html", "text/html; charset=utf-8"),
        ["md"] = ("整改情况通报.md", "text/markdown; charset=utf-8"),
    };

    static async Task<IResult> Export(long id, string? to, RectifyDb db, CancellationToken ct)
    {
        var format = (to ?? "xlsx").Trim().ToLowerInvariant();
        if (!Formats.TryGetValue(format, out var f)) return Guard.Invalid("to", "导出格式只能是 xlsx、docx、html 或 md。");
        var doc = await LedgerToDocument.RunAsync(db, id, ct);
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

    static async Task<IResult> Bulletin(long id, DateOnly? week, string? to, RectifyDb db, TimeProvider clock, IOptionsSnapshot<WorkflowSettings> settings, CancellationToken ct)
    {
        var format = (to ?? "docx").Trim().ToLowerInvariant();
        if (format is not ("md" or "docx")) return Guard.Invalid("to", "通报格式只能是 md 或 docx。");
        var outcome = await new WeeklyBulletin(db, clock, settings.Value).RunAsync(id, week, ct);
        if (outcome.Refused is { } r) return r.Status == 404 ? Guard.NotFound("检查") : Guard.Invalid(r.Field ?? "week", r.Message);
        var bulletin = outcome.Value!;
        var stream = new MemoryStream();
        if (format == "md") new MarkdownBulletinWriter().Write(bulletin, stream);
        else new DocxBulletinWriter().Write(bulletin, stream);
        stream.Position = 0;
        var name = $"{bulletin.UnitName}第{bulletin.WeekNumber}周整改进展通报.{format}";
        return TypedResults.File(stream, Formats[format].ContentType, name);
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
