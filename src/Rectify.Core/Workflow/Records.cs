using System.Text.Json.Serialization;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

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

[JsonConverter(typeof(JsonStringEnumConverter<RequestKind>))]
public enum RequestKind
{
    /// <summary>对账销号: strike the measure off.</summary>
    [JsonStringEnumMemberName("closure")] Closure,
    /// <summary>延期申请: move the deadline.</summary>
    [JsonStringEnumMemberName("extension")] Extension,
}

/// <summary>
/// A request to strike off a measure (销号申请, with a statement of outcome and evidence files) or to extend its
/// deadline (延期申请, with a new date and a reason). It walks the unit's approval chain step by step.
/// </summary>
public sealed class ClosureRequest : Entity, IUnitOwned
{
    public long MeasureId { get; set; }
    public long UnitId { get; set; }
    public RequestKind Kind { get; set; }
    public long RequestedByUserId { get; set; }
    public DateTime RequestedAt { get; set; }
    /// <summary>Statement of outcome (closure) or reason (extension).</summary>
    public required string Statement { get; set; }
    /// <summary>The requested deadline of an extension.</summary>
    public DateOnly? NewDeadline { get; set; }
    public RequestState State { get; set; }
    /// <summary>Index of the next approval step in the unit's chain.</summary>
    public int Step { get; set; }
    /// <summary>The chain this request walks, fixed when it is made (comma-separated step kinds).</summary>
    public string Chain { get; set; } = "";
    public DateTime? DecidedAt { get; set; }

    public string[] ChainSteps => Chain.Split(',', StringSplitOptions.RemoveEmptyEntries);
    public string? CurrentStep => State == RequestState.Pending && Step < ChainSteps.Length ? ChainSteps[Step] : null;

    /// <summary>
    /// Opens a request on a measure. A closure needs at least one evidence file; an extension a later date.
    /// The measure moves to 待验收销号 or 申请延期 (StatusRules decides whether it may).
    /// </summary>
    public static ClosureRequest Open(Measure measure, RequestKind kind, string statement, int evidenceCount, DateOnly? newDeadline,
        string[] chain, long userId, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(statement))
            throw new DomainRuleException(kind == RequestKind.Closure ? "销号申请必须写明整改成效。" : "延期申请必须写明理由。", "statement");
        if (kind == RequestKind.Closure && evidenceCount < 1)
            throw new DomainRuleException("销号申请必须附至少一份佐证材料。", "evidenceIds");
        if (kind == RequestKind.Extension)
        {
            if (newDeadline is not { } d) throw new DomainRuleException("延期申请必须给出新的整改时限。", "newDeadline");
            if (measure.Deadline is { } old && d <= old) throw new DomainRuleException($"新的整改时限必须晚于现时限 {old:yyyy-MM-dd}。", "newDeadline");
        }
        if (chain.Length == 0) throw new DomainRuleException("本单位未配置审批流程。", "chain");
        measure.ChangeStatus(kind == RequestKind.Closure ? MeasureStatus.PendingClosure : MeasureStatus.ExtensionRequested);
        return new ClosureRequest
        {
            MeasureId = measure.Id, UnitId = measure.UnitId, Kind = kind, RequestedByUserId = userId, RequestedAt = now,
            Statement = statement.Trim(), NewDeadline = kind == RequestKind.Extension ? newDeadline : null,
            State = RequestState.Pending, Step = 0, Chain = string.Join(',', chain),
        };
    }

    /// <summary>
    /// Records one step's decision. Approval of the last step closes the measure (closure) or moves its deadline
    /// (extension, returning the change to store); a return sends the measure back to 整改推进中.
    /// </summary>
    public (ApprovalStep Step, DeadlineChange? Change) Decide(Measure measure, bool approve, string? opinion, long userId, DateTime now, DateOnly today, int recheckMonths)
    {
        if (State != RequestState.Pending) throw new DomainRuleException("该申请已办结，不能再审批。", "state");
        var step = new ApprovalStep
        {
            RequestId = Id, UnitId = UnitId, StepIndex = Step, StepKind = CurrentStep!, DecidedByUserId = userId,
            Decision = approve ? RequestState.Approved : RequestState.Returned, Opinion = opinion?.Trim(), At = now,
        };
        DeadlineChange? change = null;
        if (!approve)
        {
            State = RequestState.Returned;
            DecidedAt = now;
            measure.ChangeStatus(MeasureStatus.InProgress);
            return (step, null);
        }
        Step++;
        if (Step < ChainSteps.Length) return (step, null);
        State = RequestState.Approved;
        DecidedAt = now;
        if (Kind == RequestKind.Closure)
        {
            measure.ChangeStatus(MeasureStatus.Closed);
            if (measure.Mode == RectificationMode.LongTerm) measure.NextRecheck = today.AddMonths(recheckMonths);
        }
        else
        {
            change = new DeadlineChange
            {
                MeasureId = measure.Id, UnitId = UnitId, RequestId = Id, OldDeadline = measure.Deadline, NewDeadline = NewDeadline!.Value,
                Reason = Statement, ChangedByUserId = userId, At = now,
            };
            measure.OriginalDeadline ??= measure.Deadline;
            measure.Deadline = NewDeadline;
            measure.ChangeStatus(MeasureStatus.InProgress);
        }
        return (step, change);
    }
}

/// <summary>One decision on a request: which step, who, when, approve or return, with an opinion.</summary>
public sealed class ApprovalStep : Entity, IUnitOwned
{
    public long RequestId { get; set; }
    public long UnitId { get; set; }
    public int StepIndex { get; set; }
    public required string StepKind { get; set; }
    public long DecidedByUserId { get; set; }
    public RequestState Decision { get; set; }
    public string? Opinion { get; set; }
    public DateTime At { get; set; }
}

/// <summary>A change of a measure's deadline (the original stays on the measure; every change is kept here).</summary>
public sealed class DeadlineChange : Entity, IUnitOwned
{
    public long MeasureId { get; set; }
    public long UnitId { get; set; }
    public long? RequestId { get; set; }
    public DateOnly? OldDeadline { get; set; }
    public DateOnly NewDeadline { get; set; }
    public required string Reason { get; set; }
    public long ChangedByUserId { get; set; }
    public DateTime At { get; set; }
}

/// <summary>督查意见: the unit office's supervision remark on a measure for one week.</summary>
public sealed class SupervisionRemark : Entity, IUnitOwned
{
    public long MeasureId { get; set; }
    public long UnitId { get; set; }
    public DateOnly Week { get; set; }
    public required string Text { get; set; }
    public long AuthorUserId { get; set; }
    public DateTime At { get; set; }
}

/// <summary>An evidence file (佐证材料) or a rule's file: stored with size, type and SHA-256.</summary>
public sealed class EvidenceFile : Entity, IUnitOwned
{
    public long UnitId { get; set; }
    public long? MeasureId { get; set; }
    public long? ClosureRequestId { get; set; }
    public long? ProgressReportId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public DateTime UploadedAt { get; set; }
    public long UploadedByUserId { get; set; }
    /// <summary>The bytes, kept in the database so every app server serves them.</summary>
    public byte[] Content { get; set; } = [];
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
