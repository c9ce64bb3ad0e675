using Microsoft.EntityFrameworkCore;
using Rectify.Core.Ledger;
using Rectify.Core.Data;

namespace Rectify.Core.Workflow;

public sealed record ClosureInput(string Statement, long[] EvidenceIds);

/// <summary>
/// 对账销号 step one: the 责任人 asks to strike a measure off with a statement of outcome and at least one evidence
/// file of that measure. The request then walks the unit's approval chain (<see cref="DecideRequest"/>).
/// </summary>
public sealed class RequestClosure(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    public async Task<Outcome<ClosureRequest>> RunAsync(long measureId, ClosureInput input, CancellationToken ct = default)
    {
        var m = await db.Measures.FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return WorkflowAccess.NotFound("整改措施");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || !WorkflowAccess.MayActFor(user, m))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "closure",
                new Refusal(403, "只有该措施的责任人或本单位整改办可以申请销号。"), ct);
        if (await db.ClosureRequests.AnyAsync(r => r.MeasureId == m.Id && r.State == RequestState.Pending, ct))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "closure", new Refusal(409, "该措施已有待审批的申请。"), ct);
        var ids = (input.EvidenceIds ?? []).Distinct().ToArray();
        var files = await db.EvidenceFiles.Where(f => ids.Contains(f.Id) && f.MeasureId == m.Id).ToListAsync(ct);
        if (files.Count != ids.Length)
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "closure", new Refusal(400, "佐证材料必须是本措施已上传的文件。", "evidenceIds"), ct);
        var stored = await db.Organisations.Where(o => o.Id == m.UnitId).Select(o => o.ApprovalChain).FirstOrDefaultAsync(ct);
        return await WorkflowAccess.GuardedAsync(db, nameof(Measure), m.Id, m.UnitId, "closure", async () =>
        {
            var request = ClosureRequest.Open(m, RequestKind.Closure, input.Statement ?? "", files.Count, null, settings.ChainFor(m.UnitId, stored),
                user.Id, clock.GetUtcNow().UtcDateTime);
            db.ClosureRequests.Add(request);
            await db.SaveChangesAsync(ct);
            foreach (var f in files) f.ClosureRequestId = request.Id;
            await db.SaveChangesAsync(ct);
            return request;
        }, ct);
    }
}
