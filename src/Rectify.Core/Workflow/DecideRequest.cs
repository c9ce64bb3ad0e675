using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

public sealed record DecisionInput(bool Approve, string? Opinion);

/// <summary>
/// One step of the approval chain approves or returns a closure or extension request, with an opinion. Nobody decides
/// on their own request; a 责任领导 only on measures they lead; the unit office only in its unit; the 巡察办 only for
/// units it supervises. A refusal leaves only an audit entry.
/// </summary>
public sealed class DecideRequest(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    public async Task<Outcome<ClosureRequest>> RunAsync(long requestId, DecisionInput input, CancellationToken ct = default)
    {
        var r = await db.ClosureRequests.FirstOrDefaultAsync(x => x.Id == requestId, ct);
        if (r is null) return WorkflowAccess.NotFound("申请");
        var m = await db.Measures.FirstAsync(x => x.Id == r.MeasureId, ct);
        var user = await WorkflowAccess.CallerAsync(db, ct);
        Task<Refusal> Refuse(int status, string message) =>
            WorkflowAccess.RefuseAsync(db, nameof(ClosureRequest), r.Id, r.UnitId, input.Approve ? "approve" : "return", new Refusal(status, message), ct);

        if (r.State != RequestState.Pending) return await Refuse(409, "该申请已办结，不能再审批。");
        if (user is null) return await Refuse(403, "无法识别审批人。");
        if (user.Id == r.RequestedByUserId) return await Refuse(403, "不能审批本人提出的申请。");
        if (!input.Approve && string.IsNullOrWhiteSpace(input.Opinion)) return await Refuse(400, "退回申请必须写明意见。");
        if (Mismatch(r.CurrentStep!, user, m) is { } why) return await Refuse(403, why);

        return await WorkflowAccess.GuardedAsync(db, nameof(ClosureRequest), r.Id, r.UnitId, "decide", async () =>
        {
            var now = clock.GetUtcNow();
            var (step, change) = r.Decide(m, input.Approve, input.Opinion, user.Id, now.UtcDateTime, new WeekCalendar(settings).Today(now), settings.LongTermRecheckMonths);
            db.ApprovalSteps.Add(step);
            if (change is not null) db.DeadlineChanges.Add(change);
            await db.SaveChangesAsync(ct);
            return r;
        }, ct);
    }

    /// <summary>Why this user may not decide the given step, or null when they may. Admins may decide any step.</summary>
    static string? Mismatch(string step, User user, Measure m) => user.Role == Role.Admin ? null : step switch
    {
        ApprovalChain.Leader when user.PersonId is not { } p || p != m.LeaderId => "只有该措施的责任领导可以审核此步骤。",
        ApprovalChain.UnitAdmin when user.Role != Role.UnitAdmin => "此步骤须由本单位整改办验收。",
        ApprovalChain.Office when user.Role != Role.Office => "此步骤须由负责督导本单位的巡察办核验。",
        ApprovalChain.Leader or ApprovalChain.UnitAdmin or ApprovalChain.Office => null,
        _ => "审批流程配置有误：未知步骤 " + step + "。",
    };
}
