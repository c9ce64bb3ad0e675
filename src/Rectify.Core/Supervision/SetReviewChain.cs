using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Core.Workflow;

namespace Rectify.Core.Supervision;

/// <summary>
/// Sets a round's joint review chain (联审): the offices (e.g. 巡察办 → 纪委监委 → 组织部) that review each unit's plan and
/// report, in order. Empty restores the default (the round's own office). Only the round's office or an admin; versions
/// already submitted keep their chain.
/// </summary>
public sealed class SetReviewChain(RectifyDb db)
{
    public async Task<Outcome<InspectionRound>> RunAsync(long roundId, long[] officeIds, CancellationToken ct = default)
    {
        var round = await db.Rounds.FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null) return WorkflowAccess.NotFound("巡察轮次");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || !(user.Role == Role.Admin || user.Role == Role.Office && user.OfficeId == round.OfficeId))
            return await WorkflowAccess.RefuseAsync(db, nameof(InspectionRound), round.Id, null, "review_chain",
                new Refusal(403, "只有组织本轮巡察的巡察办可以设置联审流程。"), ct);
        if (officeIds.Length > 10) return new Refusal(400, "联审流程最多 10 步。", "officeIds");
        if (officeIds.Distinct().Count() != officeIds.Length) return new Refusal(400, "联审流程中同一部门不能出现两次。", "officeIds");
        var offices = await db.Organisations.IgnoreQueryFilters().Where(o => officeIds.Contains(o.Id) && o.Kind == OrganisationKind.Office)
            .Select(o => o.Id).ToListAsync(ct);
        if (officeIds.FirstOrDefault(id => !offices.Contains(id)) is var bad and not 0)
            return new Refusal(400, $"编号 {bad} 不是巡察办、纪委监委、组织部等监督机构。", "officeIds");
        round.ReviewChain = officeIds.Length == 0 ? null : ReviewChain.Format(officeIds);
        await db.SaveChangesAsync(ct);
        return round;
    }
}
