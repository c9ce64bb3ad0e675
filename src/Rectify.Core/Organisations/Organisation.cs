using System.Text.Json.Serialization;
using Rectify.Core.Data;

namespace Rectify.Core.Organisations;

[JsonConverter(typeof(JsonStringEnumConverter<OrganisationKind>))]
public enum OrganisationKind
{
    /// <summary>巡察办: the inspection office, supervising units.</summary>
    [JsonStringEnumMemberName("office")] Office,
    /// <summary>被巡察单位: an inspected unit.</summary>
    [JsonStringEnumMemberName("unit")] Unit,
    /// <summary>股室: a department inside a unit.</summary>
    [JsonStringEnumMemberName("department")] Department,
    /// <summary>学校: a school under a unit.</summary>
    [JsonStringEnumMemberName("school")] School,
    /// <summary>党支部: a party branch under a unit.</summary>
    [JsonStringEnumMemberName("party_branch")] PartyBranch,
}

/// <summary>
/// The organisation tree: offices at the top, units under an office (ParentId), departments, schools and party
/// branches under a unit. <see cref="UnitId"/> is the unit a row belongs to (null for offices and for units themselves).
/// </summary>
public sealed class Organisation : Entity
{
    public OrganisationKind Kind { get; set; }
    public required string Name { get; set; }
    public long? ParentId { get; set; }
    public long? UnitId { get; set; }
    public int Ordinal { get; set; }
    /// <summary>A unit's own approval chain for closure and extension requests (comma-separated steps); null: the default.</summary>
    public string? ApprovalChain { get; set; }

    /// <summary>The unit whose data this organisation may see: itself for a unit, its unit for the rest.</summary>
    public long? OwningUnitId => Kind == OrganisationKind.Unit ? Id : UnitId;
}

/// <summary>A person who can be named responsible (责任领导/责任人): name, post (职务), organisation.</summary>
public sealed class Person : Entity, IUnitOwned
{
    public required string Name { get; set; }
    public string? Post { get; set; }
    public long OrganisationId { get; set; }
    public long UnitId { get; set; }
}
