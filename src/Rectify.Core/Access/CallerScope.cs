namespace Rectify.Core.Access;

/// <summary>
/// What the current caller may see: every unit (admin, and the system itself), or a fixed set of units.
/// The DbContext filters every unit-owned row by it, so a row of another unit is simply not found (404).
/// </summary>
public sealed class CallerScope
{
    public static CallerScope System { get; } = new(true, [], [], null, "system", null);

    public CallerScope(bool all, long[] unitIds, long[] officeIds, long? userId, string userName, Role? role)
    {
        All = all; UnitIds = unitIds; OfficeIds = officeIds; UserId = userId; UserName = userName; Role = role;
    }

    public bool All { get; }
    public long[] UnitIds { get; }
    public long[] OfficeIds { get; }
    public long? UserId { get; }
    public string UserName { get; }
    public Role? Role { get; }

    public bool CanSeeUnit(long unitId) => All || UnitIds.Contains(unitId);
}
