using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Core.Supervision;

public sealed record ReviewOffice(long OfficeId, string Name);

/// <summary>One document a unit owes: its deadline, light and where its latest version stands.</summary>
public sealed record DocumentSlot(OwedDocument Kind, string KindText, DateOnly? Due, int? DaysLeft, Light Light, string LightText,
    RequestState? State, string StateText, long? LatestId, int? Number, DateTime? SubmittedAt, string? CurrentOffice);

public sealed record UnitDocuments(long InspectionId, long UnitId, string UnitName, DateOnly? FeedbackDate, Light Light, IReadOnlyList<DocumentSlot> Documents);

public sealed record RoundDocumentsView(long RoundId, string RoundName, DateOnly Today, IReadOnlyList<ReviewOffice> Chain,
    IReadOnlyList<UnitDocuments> Units, int Red, int Yellow);

public sealed record ReviewView(int StepIndex, long OfficeId, string OfficeName, string ReviewerName, RequestState Decision, string DecisionText,
    string? Opinion, DateTime At);

public sealed record DocumentVersion(long Id, long InspectionId, long UnitId, OwedDocument Kind, string KindText, int Number, string FileName,
    string ContentType, long Size, string Sha256, bool Generated, string? Note, DateTime SubmittedAt, string SubmittedBy, RequestState State,
    string StateText, IReadOnlyList<ReviewOffice> Chain, long? CurrentOfficeId, string? CurrentOfficeName, DateTime? DecidedAt, IReadOnlyList<ReviewView> Reviews);

public sealed record InspectionDocumentsView(UnitDocuments Deadlines, IReadOnlyList<ReviewOffice> Chain, IReadOnlyList<DocumentVersion> Versions);

/// <summary>
/// The deadlines of the documents each unit owes (整改方案, 整改情况报告, 公开; <see cref="InspectionDeadlines"/> from the
/// feedback date), their lights (<see cref="WarningLights.ForDocument"/>) and the state of the latest version: for a
/// whole round (the office's view) or for one inspection with every version and review opinion (the unit's view).
/// </summary>
public sealed class GetDocumentDeadlines(RectifyDb db, TimeProvider clock, WorkflowSettings settings, DeadlineSettings deadlines)
{
    sealed record Meta(long Id, long InspectionId, long UnitId, OwedDocument Kind, int Number, string FileName, string ContentType, long Size,
        string Sha256, bool Generated, string? Note, DateTime SubmittedAt, long SubmittedByUserId, RequestState State, int Step, string Chain, DateTime? DecidedAt);

    static IQueryable<Meta> Metas(IQueryable<RectificationDocument> q) => q.AsNoTracking().Select(d => new Meta(d.Id, d.InspectionId, d.UnitId, d.Kind,
        d.Number, d.FileName, d.ContentType, d.Size, d.Sha256, d.Generated, d.Note, d.SubmittedAt, d.SubmittedByUserId, d.State, d.Step, d.Chain, d.DecidedAt));

    public async Task<RoundDocumentsView?> RoundAsync(long roundId, CancellationToken ct = default)
    {
        var round = await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null) return null;
        var inspections = await db.Inspections.AsNoTracking().Where(i => i.RoundId == roundId)
            .Select(i => new { i.Id, i.UnitId, i.FeedbackDate }).ToListAsync(ct);
        var ids = inspections.Select(i => i.Id).ToList();
        var docs = await Metas(db.RectificationDocuments.Where(d => ids.Contains(d.InspectionId))).ToListAsync(ct);
        var unitIds = inspections.Select(i => i.UnitId).Distinct().ToList();
        var units = await db.Organisations.AsNoTracking().Where(o => unitIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var chain = ReviewChain.For(round);
        var offices = await OfficeNamesAsync(chain.Concat(docs.SelectMany(d => ReviewChain.Parse(d.Chain))), ct);
        var today = new WeekCalendar(settings).Today(clock.GetUtcNow());
        var rows = inspections
            .Select(i => Row(i.Id, i.UnitId, units.GetValueOrDefault(i.UnitId) ?? "", i.FeedbackDate, docs.Where(d => d.InspectionId == i.Id).ToList(), offices, today))
            .OrderByDescending(r => r.Light).ThenBy(r => r.UnitName, StringComparer.Ordinal).ToList();
        var slots = rows.SelectMany(r => r.Documents).ToList();
        return new RoundDocumentsView(round.Id, round.Name, today, [.. chain.Select(o => new ReviewOffice(o, offices.GetValueOrDefault(o) ?? ""))], rows,
            slots.Count(s => s.Light == Light.Red), slots.Count(s => s.Light == Light.Yellow));
    }

    public async Task<InspectionDocumentsView?> InspectionAsync(long inspectionId, CancellationToken ct = default)
    {
        var i = await db.Inspections.AsNoTracking().FirstOrDefaultAsync(x => x.Id == inspectionId, ct);
        if (i is null) return null;
        var round = i.RoundId is { } rid ? await db.Rounds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == rid, ct) : null;
        var docs = await Metas(db.RectificationDocuments.Where(d => d.InspectionId == inspectionId)).ToListAsync(ct);
        var docIds = docs.Select(d => d.Id).ToList();
        var reviews = await db.DocumentReviews.AsNoTracking().Where(r => docIds.Contains(r.DocumentId)).OrderBy(r => r.StepIndex).ToListAsync(ct);
        var chain = round is null ? [] : ReviewChain.For(round);
        var offices = await OfficeNamesAsync(chain.Concat(docs.SelectMany(d => ReviewChain.Parse(d.Chain))), ct);
        var userIds = docs.Select(d => d.SubmittedByUserId).Concat(reviews.Select(r => r.DecidedByUserId)).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.UserName, ct);
        var unit = await db.Organisations.AsNoTracking().Where(o => o.Id == i.UnitId).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? "";
        var today = new WeekCalendar(settings).Today(clock.GetUtcNow());
        var versions = docs.OrderBy(d => d.Kind).ThenByDescending(d => d.Number).Select(d =>
        {
            var current = d.State == RequestState.Pending ? ReviewChain.Parse(d.Chain).ElementAtOrDefault(d.Step) : 0;
            return new DocumentVersion(d.Id, d.InspectionId, d.UnitId, d.Kind, OwedDocuments.Wording(d.Kind), d.Number, d.FileName, d.ContentType, d.Size, d.Sha256,
                d.Generated, d.Note, d.SubmittedAt, users.GetValueOrDefault(d.SubmittedByUserId) ?? "", d.State, OwedDocuments.StateWording(d.State),
                [.. ReviewChain.Parse(d.Chain).Select(o => new ReviewOffice(o, offices.GetValueOrDefault(o) ?? ""))],
                current == 0 ? null : current, current == 0 ? null : offices.GetValueOrDefault(current), d.DecidedAt,
                [.. reviews.Where(r => r.DocumentId == d.Id).Select(r => new ReviewView(r.StepIndex, r.OfficeId, offices.GetValueOrDefault(r.OfficeId) ?? "",
                    users.GetValueOrDefault(r.DecidedByUserId) ?? "", r.Decision, r.Decision == RequestState.Approved ? "通过" : "退回", r.Opinion, r.At))]);
        }).ToList();
        return new InspectionDocumentsView(Row(i.Id, i.UnitId, unit, i.FeedbackDate, docs, offices, today),
            [.. chain.Select(o => new ReviewOffice(o, offices.GetValueOrDefault(o) ?? ""))], versions);
    }

    UnitDocuments Row(long inspectionId, long unitId, string unitName, DateOnly? feedback, List<Meta> docs, Dictionary<long, string> offices, DateOnly today)
    {
        var due = InspectionDeadlines.From(feedback, deadlines);
        var slots = OwedDocuments.All.Select(kind =>
        {
            var d = kind switch { OwedDocument.Plan => due?.PlanDue, OwedDocument.Report => due?.ReportDue, _ => due?.DisclosureDue };
            var latest = docs.Where(x => x.Kind == kind).MaxBy(x => x.Number);
            var submitted = latest is { State: RequestState.Pending or RequestState.Approved };
            var light = WarningLights.ForDocument(submitted, d, today, settings);
            var current = latest is { State: RequestState.Pending } ? ReviewChain.Parse(latest.Chain).ElementAtOrDefault(latest.Step) : 0;
            return new DocumentSlot(kind, OwedDocuments.Wording(kind), d, d is { } x ? x.DayNumber - today.DayNumber : null, light, WarningLights.Wording(light),
                latest?.State, OwedDocuments.StateWording(latest?.State), latest?.Id, latest?.Number, latest?.SubmittedAt,
                current == 0 ? null : offices.GetValueOrDefault(current));
        }).ToList();
        return new UnitDocuments(inspectionId, unitId, unitName, feedback, WarningLights.Worst(slots.Select(s => s.Light)), slots);
    }

    /// <summary>Names of reviewing offices; not secret, so read past the caller's scope (a unit sees who reviews it).</summary>
    async Task<Dictionary<long, string>> OfficeNamesAsync(IEnumerable<long> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        return await db.Organisations.IgnoreQueryFilters().AsNoTracking().Where(o => list.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
    }
}
