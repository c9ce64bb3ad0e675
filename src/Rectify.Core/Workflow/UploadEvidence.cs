using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

/// <summary>
/// Stores an evidence file (佐证材料) of a measure in the database, after <see cref="EvidenceCheck"/>: content type from
/// the bytes, size limit, safe name. Only the measure's 责任人 or the unit office may upload.
/// </summary>
public sealed class UploadEvidence(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    public async Task<Outcome<EvidenceFile>> RunAsync(long measureId, string? fileName, Stream content, CancellationToken ct = default)
    {
        var m = await db.Measures.AsNoTracking().FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return WorkflowAccess.NotFound("整改措施");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || !WorkflowAccess.MayActFor(user, m))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "evidence",
                new Refusal(403, "只有该措施的责任人或本单位整改办可以上传佐证材料。"), ct);
        var bytes = await ReadLimitedAsync(content, settings.MaxEvidenceBytes, ct);
        return await WorkflowAccess.GuardedAsync(db, nameof(Measure), m.Id, m.UnitId, "evidence", async () =>
        {
            var file = bytes is null
                ? throw new DomainRuleException($"文件超过大小上限（{settings.MaxEvidenceBytes / 1024 / 1024} MB）。", "file")
                : EvidenceCheck.Run(fileName, bytes, settings.MaxEvidenceBytes);
            var row = new EvidenceFile
            {
                UnitId = m.UnitId, MeasureId = m.Id, FileName = file.FileName, ContentType = file.ContentType, Size = file.Size,
                Sha256 = file.Sha256, Content = file.Content, UploadedAt = clock.GetUtcNow().UtcDateTime, UploadedByUserId = user.Id,
            };
            db.EvidenceFiles.Add(row);
            await db.SaveChangesAsync(ct);
            return row;
        }, ct);
    }

    /// <summary>Reads at most <paramref name="max"/> bytes; null when the stream holds more.</summary>
    internal static async Task<byte[]?> ReadLimitedAsync(Stream s, long max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await s.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > max) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
