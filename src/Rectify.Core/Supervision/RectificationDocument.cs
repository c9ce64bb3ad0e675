using System.Text.Json.Serialization;
using Rectify.Core.Data;
using Rectify.Core.Workflow;

namespace Rectify.Core.Supervision;

/// <summary>The documents a unit owes the inspection office after feedback (domain.md §1).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OwedDocument>))]
public enum OwedDocument
{
    /// <summary>整改方案, due 1 month after feedback.</summary>
    [JsonStringEnumMemberName("plan")] Plan,
    /// <summary>整改情况报告, due 2 months after feedback.</summary>
    [JsonStringEnumMemberName("report")] Report,
    /// <summary>整改情况通报 (公开), due after the report.</summary>
    [JsonStringEnumMemberName("disclosure")] Disclosure,
}

public static class OwedDocuments
{
    public static readonly OwedDocument[] All = [OwedDocument.Plan, OwedDocument.Report, OwedDocument.Disclosure];

    public static string Code(OwedDocument k) => k switch { OwedDocument.Plan => "plan", OwedDocument.Report => "report", _ => "disclosure" };

    public static OwedDocument? Parse(string? code) => All.Cast<OwedDocument?>().FirstOrDefault(k => Code(k!.Value) == code?.Trim().ToLowerInvariant());

    public static string Wording(OwedDocument k) => k switch
    {
        OwedDocument.Plan => "整改方案",
        OwedDocument.Report => "整改情况报告",
        _ => "整改情况通报（公开）",
    };

    /// <summary>The state of a document slot as users read it.</summary>
    public static string StateWording(RequestState? s) => s switch
    {
        null => "未提交",
        RequestState.Pending => "审核中",
        RequestState.Approved => "已通过",
        _ => "已退回，待重新提交",
    };
}

/// <summary>
/// One submitted version of a unit's 整改方案, 整改情况报告 or 整改情况通报: the file (uploaded DOCX/PDF, or generated from the
/// ledger), who submitted it, and where it stands in the round's review chain (联审: one step per reviewing office,
/// fixed when it is submitted). A returned version stays; the unit submits a new version (<see cref="Number"/> + 1).
/// </summary>
public sealed class RectificationDocument : Entity, IUnitOwned
{
    public long InspectionId { get; set; }
    public long UnitId { get; set; }
    public OwedDocument Kind { get; set; }
    /// <summary>Version number per inspection and kind: 1, 2, …</summary>
    public int Number { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    public byte[] Content { get; set; } = [];
    /// <summary>Written by Rectify from the ledger rather than uploaded.</summary>
    public bool Generated { get; set; }
    public string? Note { get; set; }
    public long SubmittedByUserId { get; set; }
    public DateTime SubmittedAt { get; set; }
    public RequestState State { get; set; }
    /// <summary>Index of the next review step.</summary>
    public int Step { get; set; }
    /// <summary>The reviewing offices, in order (comma-separated organisation ids), fixed at submission.</summary>
    public string Chain { get; set; } = "";
    public DateTime? DecidedAt { get; set; }

    public long[] ChainOffices => ReviewChain.Parse(Chain);
    public long? CurrentOffice => State == RequestState.Pending && Step < ChainOffices.Length ? ChainOffices[Step] : null;

    /// <summary>Records one office's decision: a return ends the version; the last acceptance accepts it.</summary>
    public DocumentReview Decide(bool accept, string? opinion, long userId, DateTime now)
    {
        if (State != RequestState.Pending) throw new DomainRuleException("该文稿已审核完毕，不能再审核。", "state");
        if (!accept && string.IsNullOrWhiteSpace(opinion)) throw new DomainRuleException("退回文稿必须写明意见。", "opinion");
        var review = new DocumentReview
        {
            DocumentId = Id, UnitId = UnitId, StepIndex = Step, OfficeId = CurrentOffice!.Value, DecidedByUserId = userId,
            Decision = accept ? RequestState.Approved : RequestState.Returned, Opinion = string.IsNullOrWhiteSpace(opinion) ? null : opinion.Trim(), At = now,
        };
        if (!accept)
        {
            State = RequestState.Returned;
            DecidedAt = now;
            return review;
        }
        Step++;
        if (Step >= ChainOffices.Length)
        {
            State = RequestState.Approved;
            DecidedAt = now;
        }
        return review;
    }
}

/// <summary>One office's review of a document version: accept or return, with an opinion (审核意见).</summary>
public sealed class DocumentReview : Entity, IUnitOwned
{
    public long DocumentId { get; set; }
    public long UnitId { get; set; }
    public int StepIndex { get; set; }
    public long OfficeId { get; set; }
    public long DecidedByUserId { get; set; }
    public RequestState Decision { get; set; }
    public string? Opinion { get; set; }
    public DateTime At { get; set; }
}

/// <summary>The joint review chain (联审) of a round: the reviewing offices in order, stored as comma-separated ids.</summary>
public static class ReviewChain
{
    public static long[] Parse(string? chain) =>
        string.IsNullOrWhiteSpace(chain) ? [] : [.. chain.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];

    public static string Format(IEnumerable<long> offices) => string.Join(',', offices.Select(o => o.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The round's chain, or its own office alone when none is set.</summary>
    public static long[] For(Ledger.InspectionRound round) => Parse(round.ReviewChain) is { Length: > 0 } c ? c : [round.OfficeId];
}
