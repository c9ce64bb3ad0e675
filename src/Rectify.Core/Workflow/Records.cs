using System.Text.Json.Serialization;
using Rectify.Core.Data;

namespace Rectify.Core.Workflow;

// The records of the rectification work. The foundation models and stores them; their behaviour (weekly cycle,
// approval chains, evidence checks) belongs to the workflow feature.

/// <summary>A weekly progress report (周汇报) on one measure.</summary>
public sealed class ProgressReport : Entity, IUnitOwned
{
    public long MeasureId { get; set; }
    public long UnitId { get; set; }
    /// <summary>The Monday of the reporting week (China time).</summary>
    public DateOnly Week { get; set; }
    public long AuthorUserId { get; set; }
    public required string Done { get; set; }
    public int Percent { get; set; }
    public string? NextStep { get; set; }
    public DateTime SubmittedAt { get; set; }
    /// <summary>Client-chosen key: the same submission sent twice is stored once.</summary>
    public string? IdempotencyKey { get; set; }
}

[JsonConverter(typeof(JsonStringEnumConverter<RequestState>))]
public enum RequestState
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("approved")] Approved,
    [JsonStringEnumMemberName("returned")] Returned,
}

/// <summary>A request to strike off a measure (销号申请), with a statement of outcome and evidence files.</summary>
public sealed class ClosureRequest : Entity, IUnitOwned
{
    public long MeasureId { get; set; }
    public long UnitId { get; set; }
    public long RequestedByUserId { get; set; }
    public DateTime RequestedAt { get; set; }
    public required string Statement { get; set; }
    public RequestState State { get; set; }
    /// <summary>Index of the next approval step in the unit's chain.</summary>
    public int Step { get; set; }
}

/// <summary>An evidence file (佐证材料) or a rule's file: stored with size, type and SHA-256.</summary>
public sealed class EvidenceFile : Entity, IUnitOwned
{
    public long UnitId { get; set; }
    public long? MeasureId { get; set; }
    public long? ClosureRequestId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public DateTime UploadedAt { get; set; }
    public long UploadedByUserId { get; set; }
}

/// <summary>长效机制: a rule or document issued (制度), linked to the problems it answers.</summary>
public sealed class RuleDocument : Entity, IUnitOwned
{
    public long UnitId { get; set; }
    public required string Title { get; set; }
    /// <summary>文号, e.g. 平龙教体〔2022〕31号.</summary>
    public string? Reference { get; set; }
    public DateOnly? IssuedOn { get; set; }
    public string? Issuer { get; set; }
    public long? FileId { get; set; }
    public List<long> ProblemIds { get; set; } = [];
}

/// <summary>An outcome figure (整改成效数据) of a problem or measure: kind, value, unit.</summary>
public sealed class OutcomeFigure : Entity, IUnitOwned
{
    public long UnitId { get; set; }
    public long? ProblemId { get; set; }
    public long? MeasureId { get; set; }
    /// <summary>funds_yuan, people_disciplined, rules, meetings, cases_transferred…</summary>
    public required string Kind { get; set; }
    public decimal Value { get; set; }
    public required string Unit { get; set; }
    public string? Note { get; set; }
}
