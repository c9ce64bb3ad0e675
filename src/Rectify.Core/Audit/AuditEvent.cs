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
    /// <summary>The hash of the event before (<see cref="GenesisHash"/> for the first); set by <see cref="AuditLink.Append"/>.</summary>
    public string PreviousHash { get; set; } = "";
    /// <summary>This event's hash (<see cref="ComputeHash"/>); set by <see cref="AuditLink.Append"/>.</summary>
    public string Hash { get; set; } = "";

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

/// <summary>
/// The end of the chain as a writer holding the audit-chain lock knows it: the newest event's sequence and hash. Every
/// writer — SaveChanges, recorded actions, the generator's bulk trail — links its events through it, one after another.
/// </summary>
public sealed class AuditLink
{
    AuditLink(long sequence, string hash) => (Sequence, Hash) = (sequence, hash);

    public long Sequence { get; private set; }
    public string Hash { get; private set; }

    /// <summary>The chain's head read from the database (an empty chain: sequence 0 and the genesis hash).</summary>
    public static async Task<AuditLink> HeadAsync(Data.RectifyDb db, CancellationToken ct = default) =>
        await AuditAnchor.HeadAsync(db, ct) is { } head ? new AuditLink(head.Sequence, head.Hash) : new AuditLink(0, AuditEvent.GenesisHash);

    /// <summary>Chains <paramref name="ev"/> after the end (its sequence, previous hash and hash); it becomes the end.</summary>
    public AuditEvent Append(AuditEvent ev)
    {
        ev.Sequence = ++Sequence;
        ev.PreviousHash = Hash;
        ev.Hash = Hash = ev.ComputeHash();
        return ev;
    }
}
