using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rectify.Core.Audit;

/// <summary>
/// One change, appended and never edited: who, when, which entity, what action, the values before and after.
/// Events form a hash chain: each hash covers the event and the previous hash, so an edited or deleted row breaks it.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    /// <summary>1, 2, 3… without gaps; unique.</summary>
    public long Sequence { get; set; }
    public DateTime At { get; set; }
    public long? UserId { get; set; }
    public required string UserName { get; set; }
    public required string EntityType { get; set; }
    public long? EntityId { get; set; }
    /// <summary>created, updated, deleted, or a named action (login_failed, lint_override…).</summary>
    public required string Action { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
    /// <summary>The unit the change concerns, when it concerns one.</summary>
    public long? UnitId { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public string ComputeHash()
    {
        var text = string.Join('\u001f',
            Sequence.ToString(CultureInfo.InvariantCulture),
            At.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            UserId?.ToString(CultureInfo.InvariantCulture) ?? "", UserName, EntityType,
            EntityId?.ToString(CultureInfo.InvariantCulture) ?? "", Action, Before ?? "", After ?? "",
            UnitId?.ToString(CultureInfo.InvariantCulture) ?? "", PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
