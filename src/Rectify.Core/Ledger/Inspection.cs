using System.Text.Json.Serialization;
using Rectify.Core.Data;

namespace Rectify.Core.Ledger;

[JsonConverter(typeof(JsonStringEnumConverter<RoundKind>))]
public enum RoundKind
{
    /// <summary>常规巡察.</summary>
    [JsonStringEnumMemberName("regular")] Regular,
    /// <summary>专项巡察.</summary>
    [JsonStringEnumMemberName("special")] Special,
    /// <summary>机动巡察.</summary>
    [JsonStringEnumMemberName("mobile")] Mobile,
    /// <summary>回头看.</summary>
    [JsonStringEnumMemberName("lookback")] Lookback,
}

/// <summary>巡察轮次: one round of an office, inspecting several units.</summary>
public sealed class InspectionRound : Entity
{
    public required string Name { get; set; }
    public RoundKind Kind { get; set; }
    public long OfficeId { get; set; }
    public DateOnly? Start { get; set; }
    public DateOnly? End { get; set; }
    /// <summary>
    /// 联审: the offices that review the units' plans and reports, in order (comma-separated organisation ids, e.g. the
    /// 巡察办, then 纪委监委, then 组织部). Null: the round's own office alone.
    /// </summary>
    public string? ReviewChain { get; set; }
    public List<Inspection> Inspections { get; set; } = [];
}

/// <summary>The inspection of one unit: team, on-site dates, feedback, and the texts the unit writes for its notice.</summary>
public sealed class Inspection : Entity, IUnitOwned
{
    public long? RoundId { get; set; }
    public long UnitId { get; set; }
    /// <summary>巡察组, e.g. 区委第一巡察组.</summary>
    public string? Team { get; set; }
    public DateOnly? OnSiteStart { get; set; }
    public DateOnly? OnSiteEnd { get; set; }
    public DateOnly? FeedbackDate { get; set; }
    /// <summary>Title of the unit's notice (整改情况通报).</summary>
    public string? NoticeTitle { get; set; }
    /// <summary>Issuer of the notice (发文机关署名).</summary>
    public string? Issuer { get; set; }
    public DateOnly? NoticeDate { get; set; }
    /// <summary>Opening, overview and next-steps paragraphs, written by the unit; newline-separated.</summary>
    public string? Opening { get; set; }
    public string? Overview { get; set; }
    public string? NextSteps { get; set; }
    public List<FeedbackDocument> FeedbackDocuments { get; set; } = [];
    public List<Category> Categories { get; set; } = [];
}

/// <summary>A feedback document (反馈意见) with its 文号 (平龙巡〔2022〕29号).</summary>
public sealed class FeedbackDocument : Entity, IUnitOwned
{
    public long InspectionId { get; set; }
    public long UnitId { get; set; }
    public string? Title { get; set; }
    public required string Reference { get; set; }
}

/// <summary>问题类别, numbered 一、二、… by its ordinal.</summary>
public sealed class Category : Entity, IUnitOwned
{
    public long InspectionId { get; set; }
    public long UnitId { get; set; }
    public int Ordinal { get; set; }
    public required string Title { get; set; }
    public List<Problem> Problems { get; set; } = [];
}

/// <summary>A problem fed back, numbered inside its category by ordinal.</summary>
public sealed class Problem : Entity, IUnitOwned
{
    public long CategoryId { get; set; }
    public long InspectionId { get; set; }
    public long UnitId { get; set; }
    public int Ordinal { get; set; }
    public required string Title { get; set; }
    /// <summary>The feedback text as given.</summary>
    public string? Description { get; set; }
    /// <summary>整改目标/标准.</summary>
    public string? Goal { get; set; }
    /// <summary>Text of the 整改措施 block before the first measure.</summary>
    public string? MeasuresPreamble { get; set; }
    /// <summary>整改成效.</summary>
    public string? Outcome { get; set; }
    /// <summary>Status stated for a problem that has no measures yet (from an imported notice); otherwise derived.</summary>
    public MeasureStatus? StatedStatus { get; set; }
    /// <summary>The unfinished problem of an earlier round this one carries over (结转/回头看), with its history.</summary>
    public long? CarriedFromProblemId { get; set; }
    public List<Measure> Measures { get; set; } = [];

    /// <summary>The problem's status: derived from its measures (StatusRules), or the stated one while it has none.</summary>
    public MeasureStatus Status => StatusRules.ProblemStatus(StatedStatus, Measures.Select(m => m.Status));
}

/// <summary>整改措施: text, mode, who is responsible, deadline and status.</summary>
public sealed class Measure : Entity, IUnitOwned
{
    public long ProblemId { get; set; }
    public long InspectionId { get; set; }
    public long UnitId { get; set; }
    public int Ordinal { get; set; }
    public required string Text { get; set; }
    public RectificationMode Mode { get; set; }
    /// <summary>责任领导 (a person).</summary>
    public long? LeaderId { get; set; }
    /// <summary>牵头责任部门.</summary>
    public long? LeadDepartmentId { get; set; }
    /// <summary>配合部门.</summary>
    public List<long> SupportingDepartmentIds { get; set; } = [];
    /// <summary>责任人 (a person).</summary>
    public long? OwnerId { get; set; }
    public DateOnly? Deadline { get; set; }
    /// <summary>The deadline first set; extensions change <see cref="Deadline"/> only.</summary>
    public DateOnly? OriginalDeadline { get; set; }
    public MeasureStatus Status { get; set; }
    /// <summary>
    /// 整改进展 as imported or last written by hand. What the ledger shows is <see cref="MeasureProgress"/>: a weekly
    /// report submitted after this text was written supersedes it.
    /// </summary>
    public string? Progress { get; set; }
    /// <summary>The id of the measure's newest weekly report when <see cref="Progress"/> was written (null: it had none).</summary>
    public long? ProgressAsOfReportId { get; set; }
    public string? Remarks { get; set; }
    /// <summary>Next 回头看 re-check of a 长期坚持 measure once struck off.</summary>
    public DateOnly? NextRecheck { get; set; }

    /// <summary>Moves the measure to a new status if the rules allow it.</summary>
    public void ChangeStatus(MeasureStatus to)
    {
        if (!StatusRules.CanTransition(Status, to))
            throw new DomainRuleException($"整改措施不能从“{StatusRules.Wording(Status)}”直接改为“{StatusRules.Wording(to)}”。", "status");
        Status = to;
    }
}
