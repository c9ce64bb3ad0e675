using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

/// <summary>督查意见: the unit office (or the 巡察办) writes its supervision remark on a measure for a week.</summary>
public sealed class AddSupervisionRemark(RectifyDb db, TimeProvider clock, WorkflowSettings settings)
{
    public async Task<Outcome<SupervisionRemark>> RunAsync(long measureId, string text, DateOnly? week, CancellationToken ct = default)
    {
        var m = await db.Measures.AsNoTracking().FirstOrDefaultAsync(x => x.Id == measureId, ct);
        if (m is null) return WorkflowAccess.NotFound("整改措施");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        if (user is null || user.Role is not (Role.Admin or Role.UnitAdmin or Role.Office))
            return await WorkflowAccess.RefuseAsync(db, nameof(Measure), m.Id, m.UnitId, "remark", new Refusal(403, "只有本单位整改办或巡察办可以填写督查意见。"), ct);
        var now = clock.GetUtcNow();
        var remark = new SupervisionRemark
        {
            MeasureId = m.Id, UnitId = m.UnitId, Week = WeekCalendar.WeekOf(week ?? new WeekCalendar(settings).Today(now)), Text = text.Trim(),
            AuthorUserId = user.Id, At = now.UtcDateTime,
        };
        db.SupervisionRemarks.Add(remark);
        await db.SaveChangesAsync(ct);
        return remark;
    }
}
