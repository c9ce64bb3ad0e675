using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Documents;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Core.Supervision;

/// <summary>What the unit submits: an uploaded file (DOCX or PDF), or, when <see cref="Content"/> is null, the document
/// written by Rectify from the unit's ledger.</summary>
public sealed record SubmitDocumentInput(OwedDocument Kind, string? FileName, Stream? Content, string? Note = null);

/// <summary>
/// The unit office submits its 整改方案, 整改情况报告 or 整改情况通报 to the inspection office: a new version enters the round's
/// review chain (联审), fixed at submission. Refused while a version is under review or once one was accepted; a returned
/// version may be followed by a new one. Only DOCX and PDF are accepted, recognised by their bytes.
/// </summary>
public sealed class SubmitDocument(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public async Task<Outcome<RectificationDocument>> RunAsync(long inspectionId, SubmitDocumentInput input, CancellationToken ct = default)
    {
        var inspection = await db.Inspections.AsNoTracking().FirstOrDefaultAsync(i => i.Id == inspectionId, ct);
        if (inspection is null) return WorkflowAccess.NotFound("检查");
        var what = OwedDocuments.Wording(input.Kind);
        Task<Refusal> Refuse(int status, string message, string? field = null) =>
            WorkflowAccess.RefuseAsync(db, nameof(Inspection), inspection.Id, inspection.UnitId, "submit_" + OwedDocuments.Code(input.Kind), new Refusal(status, message, field), ct);

        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || !WorkflowAccess.IsUnitManager(user)) return await Refuse(403, $"只有本单位整改办可以报送{what}。");
        var round = inspection.RoundId is { } rid ? await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == rid, ct) : null;
        if (round is null) return await Refuse(400, $"该检查不属于任何巡察轮次，{what}无处报送。", "inspectionId");
        var last = await db.RectificationDocuments.AsNoTracking().Where(d => d.InspectionId == inspectionId && d.Kind == input.Kind)
            .OrderByDescending(d => d.Number).Select(d => new { d.Number, d.State }).FirstOrDefaultAsync(ct);
        if (last?.State == RequestState.Pending) return await Refuse(409, $"{what}第{last.Number}版正在审核，审核完成前不能重复报送。");
        if (last?.State == RequestState.Approved) return await Refuse(409, $"{what}第{last.Number}版已审核通过，无需再报送。");

        CheckedFile file;
        var generated = input.Content is null;
        try
        {
            file = generated ? await GenerateAsync(inspection, round, input.Kind, ct) : await ReadUploadAsync(input, ct);
        }
        catch (DomainRuleException e) { return await Refuse(400, e.Message, e.Field); }
        catch (DocumentLintException e) { return await Refuse(422, "台账不能生成文稿：" + e.Message, "ledger"); }

        var doc = new RectificationDocument
        {
            InspectionId = inspection.Id, UnitId = inspection.UnitId, Kind = input.Kind, Number = (last?.Number ?? 0) + 1,
            FileName = file.FileName, ContentType = file.ContentType, Size = file.Size, Sha256 = file.Sha256, Content = file.Content,
            Generated = generated, Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            SubmittedByUserId = user.Id, SubmittedAt = clock.GetUtcNow().UtcDateTime,
            State = RequestState.Pending, Step = 0, Chain = ReviewChain.Format(ReviewChain.For(round)),
        };
        db.RectificationDocuments.Add(doc);
        await db.SaveChangesAsync(ct);
        return doc;
    }

    async Task<CheckedFile> ReadUploadAsync(SubmitDocumentInput input, CancellationToken ct)
    {
        var name = EvidenceCheck.SafeName(input.FileName);
        var bytes = await UploadEvidence.ReadLimitedAsync(input.Content!, settings.MaxEvidenceBytes, ct)
                    ?? throw new DomainRuleException($"文件超过大小上限（{settings.MaxEvidenceBytes / 1024 / 1024} MB）。", "file");
        var file = EvidenceCheck.Run(name, bytes, settings.MaxEvidenceBytes);
        if (file.ContentType is not ("application/pdf" or Docx))
            throw new DomainRuleException("只接受 Word（.docx）或 PDF 文件。", "file");
        return file;
    }

    async Task<CheckedFile> GenerateAsync(Inspection inspection, InspectionRound round, OwedDocument kind, CancellationToken ct)
    {
        var ledger = await LedgerToDocument.RunAsync(db, inspection.Id, ct)
                     ?? throw new DomainRuleException("检查不存在或无权访问。", "inspectionId");
        var office = await db.Organisations.IgnoreQueryFilters().Where(o => o.Id == round.OfficeId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        var options = new RenderOptions
        {
            Kind = kind switch { OwedDocument.Plan => DocumentKind.Plan, OwedDocument.Report => DocumentKind.Report, _ => DocumentKind.Notice },
            Recipient = kind == OwedDocument.Report ? office : null,
            Time = clock,
        };
        using var ms = new MemoryStream();
        new DocxNoticeWriter().Write(ledger, ms, options);
        var unit = await db.Organisations.Where(o => o.Id == inspection.UnitId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        var name = $"{unit}{OwedDocuments.Wording(kind).Replace("（公开）", "", StringComparison.Ordinal)}.docx";
        return EvidenceCheck.Run(name, ms.ToArray(), long.MaxValue);
    }
}
