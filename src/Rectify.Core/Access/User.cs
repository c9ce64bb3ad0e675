using System.Text.Json.Serialization;
using Rectify.Core.Data;

namespace Rectify.Core.Access;

[JsonConverter(typeof(JsonStringEnumConverter<Role>))]
public enum Role
{
    [JsonStringEnumMemberName("admin")] Admin,
    /// <summary>巡察办: sees all units it supervises.</summary>
    [JsonStringEnumMemberName("office")] Office,
    /// <summary>The unit's rectification office: manages its own ledger.</summary>
    [JsonStringEnumMemberName("unit_admin")] UnitAdmin,
    /// <summary>责任领导.</summary>
    [JsonStringEnumMemberName("leader")] Leader,
    /// <summary>责任人.</summary>
    [JsonStringEnumMemberName("owner")] Owner,
    /// <summary>Read-only, e.g. the 纪委监委 liaison.</summary>
    [JsonStringEnumMemberName("viewer")] Viewer,
}

public sealed class User : Entity
{
    public required string UserName { get; set; }
    public string? DisplayName { get; set; }
    public string PasswordHash { get; set; } = "";
    public Role Role { get; set; }
    /// <summary>The unit of a unit-bound user (unit_admin, leader, owner; a viewer may have one).</summary>
    public long? UnitId { get; set; }
    /// <summary>The office of an office user (or of a viewer who follows an office's units).</summary>
    public long? OfficeId { get; set; }
    public long? PersonId { get; set; }
    /// <summary>Where e-mail reminders go (optional).</summary>
    public string? Email { get; set; }
    public int FailedLogins { get; set; }
    public DateTime? LockedUntil { get; set; }
    /// <summary>Changes when the password changes, so existing sessions end.</summary>
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    public static string RoleCode(Role r) => r switch
    {
        Role.Admin => "admin", Role.Office => "office", Role.UnitAdmin => "unit_admin",
        Role.Leader => "leader", Role.Owner => "owner", _ => "viewer",
    };

    public static Role? ParseRole(string? s) => s switch
    {
        "admin" => Role.Admin, "office" => Role.Office, "unit_admin" => Role.UnitAdmin,
        "leader" => Role.Leader, "owner" => Role.Owner, "viewer" => Role.Viewer, _ => null,
    };
}

/// <summary>A bearer token of an API client; only its SHA-256 is stored.</summary>
public sealed class ApiToken : Entity
{
    public long UserId { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}
