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
