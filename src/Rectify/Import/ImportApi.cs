using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Core.Data;
using Rectify.Core.Import;
using Rectify.Core.Ledger;

namespace Rectify.Import;

/// <summary>
/// Import for the web wizard and API clients: preview (parse only, nothing stored) and confirm (store into an
/// inspection's ledger, all or nothing). The confirm step takes either the file again or the previewed document as
/// JSON, as the user corrected it.
/// </summary>
public static class ImportApi
{
    public sealed record ImportResult(long InspectionId, int Categories, int Problems, int Measures, IReadOnlyList<ImportWarning> Warnings);

    public static void MapImportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("导入");
        api.MapPost("/import/preview", Preview).DisableAntiforgery().WithSummary("解析上传的文件，返回问题树、统计数字与警告（不保存）");
        api.MapPost("/inspections/{id:long}/import", Confirm).DisableAntiforgery()
            .WithSummary("把文件（multipart 的 file）或预览后修改过的台账 JSON 存入该检查的台账");
    }

    static async Task<IResult> Preview(HttpRequest request, RectifyDb db, CancellationToken ct)
    {
        if (!db.Scope.Allows(Guard.SetupEditors)) return Guard.Forbidden();
        return TypedResults.Ok(await ReadAsync(request, ct));
    }

    static async Task<IResult> Confirm(long id, HttpRequest request, RectifyDb db, CancellationToken ct)
    {
        if (!await db.Inspections.AnyAsync(i => i.Id == id, ct)) return Guard.NotFound("检查");
        if (!db.Scope.Allows(Guard.LedgerEditors)) return Guard.Forbidden();
        var doc = await ReadAsync(request, ct);
        if (!doc.AllProblems.Any()) return Guard.Invalid("file", "文件中没有识别出任何问题，未保存。");
        var stored = await StoreLedger.RunAsync(db, id, doc, ct);
        return TypedResults.Created($"/api/inspections/{id}/ledger",
            new ImportResult(stored.InspectionId, stored.Categories, stored.Problems, stored.Measures, doc.Warnings));
    }

    /// <summary>A multipart upload goes through the importer; a JSON body is a (corrected) ledger document.</summary>
    static async Task<LedgerDocument> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasJsonContentType())
        {
            try
            {
                return await JsonSerializer.DeserializeAsync<LedgerDocument>(request.Body, LedgerDocument.Json, ct)
                       ?? throw new ImportException("请求体为空。");
            }
            catch (JsonException e) { throw new ImportException($"台账 JSON 格式不正确（{e.Path}）。", e); }
        }
        if (!request.HasFormContentType) throw new ImportException("请以 multipart/form-data 上传文件（字段名 file），或以 JSON 提交台账。");
        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault() ?? throw new ImportException("没有收到文件（字段名 file）。");
        await using var stream = file.OpenReadStream();
        return DocumentImporter.Read(stream, Path.GetFileName(file.FileName));
    }
}
