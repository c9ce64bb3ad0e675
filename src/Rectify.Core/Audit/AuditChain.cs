using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;

namespace Rectify.Core.Audit;

/// <summary>The result of walking the chain: fine, or the first broken link and why.</summary>
public sealed record AuditVerification(long EventsChecked, long? BrokenSequence, long? BrokenId, string? Problem, string? HeadHash)
{
    public bool Ok => BrokenSequence is null && Problem is null;
}

public static class AuditChain
{
    /// <summary>Walks every event in sequence order, recomputing each hash. Streams; constant memory.</summary>
    public static async Task<AuditVerification> VerifyAsync(RectifyDb db, CancellationToken ct = default)
    {
        long expected = 1, count = 0;
        var previous = AuditEvent.GenesisHash;
        await foreach (var e in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (e.Sequence != expected)
                return new(count, expected, e.Id, $"缺少序号为 {expected} 的审计记录（下一条是 {e.Sequence}），记录可能被删除。", previous);
            if (e.PreviousHash != previous)
                return new(count, e.Sequence, e.Id, $"审计记录 #{e.Sequence}（id {e.Id}）的前序哈希与上一条不符，链条在此断开。", previous);
            if (e.ComputeHash() != e.Hash)
                return new(count, e.Sequence, e.Id, $"审计记录 #{e.Sequence}（id {e.Id}）的内容与其哈希不符，记录被改动过。", previous);
            previous = e.Hash;
            expected++;
            count++;
        }
        return new(count, null, null, null, previous);
    }
}

/// <summary>
/// A point of the audit chain printed outside the system (on the published notice): "SEQUENCE:HASH". As long as the
/// chain verifies and still holds this hash at this sequence, nothing up to that point was edited, deleted or rebuilt.
/// </summary>
public sealed record AuditAnchor(long Sequence, string Hash)
{
    public override string ToString() => $"{Sequence}:{Hash}";

    public static AuditAnchor? TryParse(string? text)
    {
        var parts = text?.Trim().Split(':', 2);
        if (parts is not [var seq, var hash] || !long.TryParse(seq, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) || s < 1
            || hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            return null;
        return new AuditAnchor(s, hash.ToLowerInvariant());
    }

    /// <summary>The chain's current head, or null when there are no events yet.</summary>
    public static async Task<AuditAnchor?> HeadAsync(RectifyDb db, CancellationToken ct = default) =>
        await db.AuditEvents.AsNoTracking().OrderByDescending(a => a.Sequence)
            .Select(a => new AuditAnchor(a.Sequence, a.Hash)).FirstOrDefaultAsync(ct);

    /// <summary>Null when the (verified) chain holds this anchor unchanged; otherwise why not, in Chinese.</summary>
    public async Task<string?> CheckAsync(RectifyDb db, CancellationToken ct = default)
    {
        var hash = await db.AuditEvents.AsNoTracking().Where(a => a.Sequence == Sequence).Select(a => a.Hash).FirstOrDefaultAsync(ct);
        if (hash is null) return $"审计链中没有序号为 {Sequence} 的记录：锚点之后的历史被删除或整个链被替换。";
        if (hash != Hash) return $"审计记录 #{Sequence} 的哈希与锚点不符（现为 {hash}）：锚点之前的历史被改写过。";
        return null;
    }
}
