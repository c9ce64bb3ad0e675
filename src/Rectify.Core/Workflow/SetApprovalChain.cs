using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Organisations;

namespace Rectify.Core.Workflow;

/// <summary>
/// Sets a unit's own approval chain for closure and extension requests (e.g. leader → unit_admin → unit_admin for the
/// Party group meeting → office). Empty steps restore the default from settings. Requests already made keep their chain.
/// </summary>
public sealed class SetApprovalChain(RectifyDb db)
{
    static readonly string[] Kinds = [ApprovalChain.Leader, ApprovalChain.UnitAdmin, ApprovalChain.Office];

    public async Task<Outcome<Organisation>> RunAsync(long unitId, string[] steps, CancellationToken ct = default)
    {
        var unit = await db.Organisations.FirstOrDefaultAsync(o => o.Id == unitId && o.Kind == OrganisationKind.Unit, ct);
        if (unit is null) return WorkflowAccess.NotFound("单位");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || user.Role is not (Role.Admin or Role.UnitAdmin or Role.Office))
            return await WorkflowAccess.RefuseAsync(db, nameof(Organisation), unit.Id, unit.Id, "approval_chain", new Refusal(403, "只有本单位整改办或巡察办可以设置审批流程。"), ct);
        if (steps.FirstOrDefault(s => !Kinds.Contains(s)) is { } bad)
            return new Refusal(400, $"未知的审批步骤“{bad}”，可选：leader（责任领导）、unit_admin（单位整改办）、office（巡察办）。", "steps");
        if (steps.Length > 10) return new Refusal(400, "审批流程最多 10 步。", "steps");
        unit.ApprovalChain = steps.Length == 0 ? null : string.Join(',', steps);
        await db.SaveChangesAsync(ct);
        return unit;
    }
}
