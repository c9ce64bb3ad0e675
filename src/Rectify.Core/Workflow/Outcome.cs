using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Workflow;

/// <summary>Why an action was refused: an HTTP-like status (403, 400, 404, 409) and a Chinese message.</summary>
public sealed record Refusal(int Status, string Message, string? Field = null)
{
    /// <summary>The audit action of a refused request begins with this (<c>refused:close</c>…): nothing was changed.</summary>
    public const string ActionPrefix = "refused:";
}

/// <summary>The result of a workflow use case: a value, or a refusal. Expected outcomes are results, not exceptions.</summary>
public readonly record struct Outcome<T>(T? Value, Refusal? Refused)
{
    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}

/// <summary>Shared checks of the workflow use cases: who the caller is, and how a refusal is recorded.</summary>
static class WorkflowAccess
{
    public static async Task<User?> CallerAsync(RectifyDb db, CancellationToken ct) =>
        db.Scope.UserId is { } id ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct) : null;

    /// <summary>The measure's 责任人 (User.PersonId == Measure.OwnerId), the unit office or an admin.</summary>
    public static bool MayActFor(User user, Measure m) =>
        user.Role is Role.Admin or Role.UnitAdmin || user.PersonId is { } p && p == m.OwnerId;

    public static bool IsUnitManager(User user) => user.Role is Role.Admin or Role.UnitAdmin;

    /// <summary>
    /// Records a refused action in the audit chain (and nothing else: pending changes are dropped) and returns the refusal.
    /// </summary>
    public static async Task<Refusal> RefuseAsync(RectifyDb db, string entityType, long? entityId, long? unitId, string action, Refusal refusal, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await RecordRefusalAsync(db, entityType, entityId, unitId, action, refusal, db.Scope, ct);
        return refusal;
    }

    /// <summary>The audit event of a refused action, under <paramref name="actor"/> (group commit writes for many users).</summary>
    public static Task RecordRefusalAsync(RectifyDb db, string entityType, long? entityId, long? unitId, string action, Refusal refusal, CallerScope actor, CancellationToken ct) =>
        db.RecordAsync(entityType, entityId, Refusal.ActionPrefix + action, new { reason = refusal.Message, status = refusal.Status }, unitId, actor, ct);

    /// <summary>Runs a change; a broken domain rule becomes a recorded refusal (400) with no other trace.</summary>
    public static async Task<Outcome<T>> GuardedAsync<T>(RectifyDb db, string entityType, long? entityId, long? unitId, string action,
        Func<Task<T>> change, CancellationToken ct)
    {
        try { return await change(); }
        catch (DomainRuleException e)
        {
            return await RefuseAsync(db, entityType, entityId, unitId, action, new Refusal(400, e.Message, e.Field), ct);
        }
    }

    public static Refusal NotFound(string what) => new(404, $"{what}不存在或无权访问。");
}
