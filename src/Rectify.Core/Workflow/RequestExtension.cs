using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

public sealed record ExtensionInput(DateOnly NewDeadline, string Reason);

/// <summary>延期申请: a new deadline and a reason, approved through the same chain as a closure.</summary>
public sealed class RequestExtension(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    public async Task<Outcome<ClosureRequest>> RunAsync(long measureId, ExtensionInput input, CancellationToken ct = default)
    {
        var m = await db.Measures.FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return WorkflowAccess.NotFound("整改措施");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || !WorkflowAccess.MayActFor(user, m))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "extension",
                new Refusal(403, "只有该措施的责任人或本单位整改办可以申请延期。"), ct);
        if (await db.ClosureRequests.AnyAsync(r => r.MeasureId == m.Id && r.State == RequestState.Pending, ct))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "extension", new Refusal(409, "该措施已有待审批的申请。"), ct);
        var stored = await db.Organisations.Where(o => o.Id == m.UnitId).Select(o => o.ApprovalChain).FirstOrDefaultAsync(ct);
        return await WorkflowAccess.GuardedAsync(db, nameof(Measure), m.Id, m.UnitId, "extension", async () =>
        {
            var request = ClosureRequest.Open(m, RequestKind.Extension, input.Reason ?? "", 0, input.NewDeadline, settings.ChainFor(m.UnitId, stored),
                user.Id, clock.GetUtcNow().UtcDateTime);
            db.ClosureRequests.Add(request);
            await db.SaveChangesAsync(ct);
            return request;
        }, ct);
    }
}
