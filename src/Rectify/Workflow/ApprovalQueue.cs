using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Workflow;

/// <summary>
/// The pending closure and extension requests whose current step the user may decide — the same rule as
/// <see cref="DecideRequest"/>: a 责任领导 only on the measures they lead, the unit office and the 巡察办 by role, never
/// one's own request. Within the caller's scope (another unit's requests are not seen at all).
/// </summary>
public static class ApprovalQueue
{
    public static async Task<List<(ClosureRequest Request, Measure Measure)>> ForAsync(RectifyDb db, CancellationToken ct = default)
    {
        var me = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == db.Scope.UserId, ct);
        if (me is null) return [];
        var pending = await db.ClosureRequests.AsNoTracking().Where(r => r.State == RequestState.Pending && r.RequestedByUserId != me.Id)
            .OrderBy(r => r.RequestedAt).ThenBy(r => r.Id).Take(500).ToListAsync(ct);
        var ids = pending.Select(r => r.MeasureId).Distinct().ToList();
        var measures = await db.Measures.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        return [.. pending.Where(r => measures.ContainsKey(r.MeasureId) && MayDecide(r.CurrentStep, me, measures[r.MeasureId])).Select(r => (r, measures[r.MeasureId]))];
    }

    static bool MayDecide(string? step, User me, Measure m) => me.Role == Role.Admin || step switch
    {
        ApprovalChain.Leader => me.PersonId is { } p && p == m.LeaderId,
        ApprovalChain.UnitAdmin => me.Role == Role.UnitAdmin,
        ApprovalChain.Office => me.Role == Role.Office,
        _ => false,
    };
}
