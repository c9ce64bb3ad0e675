using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Workflow;

namespace Rectify.Core.Supervision;

/// <summary>
/// One office of the review chain (联审) accepts or returns a unit's document version, with an opinion (required for a
/// return). Only a user of the office whose turn it is (or an admin) may decide; a refusal leaves only an audit entry.
/// </summary>
public sealed class ReviewDocument(RectifyDb db, TimeProvider clock)
{
    public async Task<Outcome<RectificationDocument>> RunAsync(long documentId, DecisionInput input, CancellationToken ct = default)
    {
        var doc = await db.RectificationDocuments.FirstOrDefaultAsync(d => d.Id == documentId, ct);
        if (doc is null) return WorkflowAccess.NotFound("文稿");
        var user = await WorkflowAccess.CallerAsync(db, ct);
        Task<Refusal> Refuse(int status, string message, string? field = null) =>
            WorkflowAccess.RefuseAsync(db, nameof(RectificationDocument), doc.Id, doc.UnitId, input.Approve ? "accept" : "return", new Refusal(status, message, field), ct);

        if (user is null || user.Role is not (Role.Admin or Role.Office)) return await Refuse(403, "整改方案和报告由巡察办等联审部门审核。");
        if (doc.State != RequestState.Pending) return await Refuse(409, "该文稿已审核完毕，不能再审核。");
        var office = doc.CurrentOffice!.Value;
        if (user.Role != Role.Admin && user.OfficeId != office)
        {
            var name = await db.Organisations.IgnoreQueryFilters().Where(o => o.Id == office).Select(o => o.Name).FirstOrDefaultAsync(ct);
            return await Refuse(403, $"当前审核步骤须由{name ?? "联审部门"}办理。");
        }
        if (!input.Approve && string.IsNullOrWhiteSpace(input.Opinion)) return await Refuse(400, "退回文稿必须写明意见。", "opinion");

        return await WorkflowAccess.GuardedAsync(db, nameof(RectificationDocument), doc.Id, doc.UnitId, "review", async () =>
        {
            db.DocumentReviews.Add(doc.Decide(input.Approve, input.Opinion, user.Id, clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct);
            return doc;
        }, ct);
    }
}
