using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

/// <summary>
/// 回头看: the unit office or the 巡察办 reopens a completed or struck-off measure with a reason; it goes back to
/// 整改推进中 and its re-check date is cleared. The reason is kept in the audit chain and in the measure's remarks.
/// </summary>
public sealed class ReopenMeasure(RectifyDb db)
{
    public async Task<Outcome<Measure>> RunAsync(long measureId, string reason, CancellationToken ct = default)
    {
        var m = await db.Measures.FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return WorkflowAccess.NotFound("整改措施");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || user.Role is not (Role.Admin or Role.UnitAdmin or Role.Office))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "reopen", new Refusal(403, "只有本单位整改办或巡察办可以发起回头看。"), ct);
        if (!StatusRules.IsCompleted(m.Status))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "reopen", new Refusal(400, "只有已完成或已销号的措施才能在回头看中重新打开。", "status"), ct);
        if (string.IsNullOrWhiteSpace(reason))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "reopen", new Refusal(400, "回头看重新打开必须写明原因。", "reason"), ct);
        m.ChangeStatus(MeasureStatus.InProgress);
        m.NextRecheck = null;
        m.Remarks = string.IsNullOrEmpty(m.Remarks) ? $"回头看：{reason.Trim()}" : $"{m.Remarks}\n回头看：{reason.Trim()}";
        await db.SaveChangesAsync(ct);
        return m;
    }
}
