using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Core.Supervision;

/// <summary>
/// Which inspections the figures cover: one round, or the inspections fed back in one year; optionally only some
/// units; optionally as the ledger stood at the end of a past day (China time).
/// </summary>
public sealed record FigureQuery(long? RoundId = null, int? Year = null, IReadOnlyList<long>? UnitIds = null, DateOnly? AsOf = null)
{
    /// <summary>The instant "as of a day" means: the end of that day in China Standard Time (UTC+8).</summary>
    public static DateTime Cutoff(DateOnly day) => day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(-8);
}

/// <summary>Outcome figures summed (整改成效): people handled, rules made (figures and rule documents), money, meetings.</summary>
public sealed record OutcomeTotals(decimal PeopleHandled, decimal RulesMade, int RuleDocuments, decimal FundsYuan, decimal Meetings)
{
    public static readonly OutcomeTotals Zero = new(0, 0, 0, 0, 0);
    public OutcomeTotals Plus(OutcomeTotals o) => new(PeopleHandled + o.PeopleHandled, RulesMade + o.RulesMade, RuleDocuments + o.RuleDocuments,
        FundsYuan + o.FundsYuan, Meetings + o.Meetings);
}

/// <summary>One unit's row of the round-wide table.</summary>
public sealed record UnitFigures(long UnitId, string UnitName, CompletionFigures Figures, string RateText, OutcomeTotals Outcomes)
{
    /// <summary>The row of a unit's figures, its rate written as they give it.</summary>
    public static UnitFigures Of(long unitId, string unitName, CompletionFigures figures, OutcomeTotals outcomes) =>
        new(unitId, unitName, figures, figures.RateText, outcomes);
}

/// <summary>A problem behind a figure ("unfinished", "basically completed"): which, in which unit, in what status.</summary>
public sealed record FigureItem(long ProblemId, long UnitId, long InspectionId, MeasureStatus Status);

/// <summary>Round-wide or year-wide figures, with the units and the items behind them.</summary>
public sealed record RoundFiguresReport(
    long? RoundId, string? RoundName, int? Year, DateOnly? AsOf,
    CompletionFigures Figures, string RateText, OutcomeTotals Outcomes,
    IReadOnlyList<UnitFigures> Units, IReadOnlyList<FigureItem> Unfinished, IReadOnlyList<FigureItem> BasicallyCompleted)
{
    /// <summary>The sentence a published notice uses: 巡察反馈的697个问题，完成整改688个，基本完成4个，未完成5个，总体完成率98.71%.</summary>
    public string Sentence => SummaryDocument.Sentence(Figures);
}

/// <summary>
/// Computes round-wide figures in a fixed number of grouped queries (inspections, problems, distinct measure statuses
/// per problem, outcome sums per unit and kind, rule documents), whatever the number of units. Every count goes through
/// <see cref="StatusRules"/>. For a past date each problem's and measure's state is rebuilt from the audit trail.
/// </summary>
public static class GetRoundFigures
{
    /// <summary>Problem row as needed to derive its status.</summary>
    public sealed record ProblemRow(long Id, long UnitId, long InspectionId, MeasureStatus? StatedStatus);

    /// <summary>One distinct status among a problem's measures.</summary>
    public sealed record MeasureRow(long ProblemId, MeasureStatus Status);

    /// <summary>A counter of <see cref="ProblemCounts"/>: how many problems of an inspection have this bit set of measure
    /// statuses and stated status, the two as one <see cref="KeyOf">key</see>.</summary>
    public sealed record CountRow(long InspectionId, long UnitId, int Key, int Count);

    /// <summary>The problems of a unit or an inspection, and how many of them count as completed, basically completed and closed.</summary>
    sealed record KeyCounts(long Key, int Problems, int Completed, int Basically, int Closed)
    {
        public CompletionFigures Figures => CompletionFigures.Of(Problems, Completed, Basically, Closed);
    }

    /// <summary>A (bit set, stated status) key of <see cref="ProblemCounts"/> as one number (<see cref="KeySql"/> in SQL):
    /// the stated status is <see cref="ProblemCounts.NoStated"/> (-1) unless the bit set is 0, so the key is unique.</summary>
    static int KeyOf(int mask, int stated) => mask * 16 + stated + 1;

    const string KeySql = "\"Mask\" * 16 + \"Stated\" + 1";

    /// <summary>
    /// Every key a <see cref="ProblemCounts"/> row can have, sorted by what a problem with it counts as: its status is
    /// <see cref="StatusRules.ProblemStatus"/> of the bit set (or of the stated status when the set is empty), and
    /// <see cref="StatusRules.Count"/> of that one status says whether it is completed, basically completed, closed.
    /// A few dozen keys each, inlined into the SQL that sums the counters per unit.
    /// </summary>
    static readonly (int[] Completed, int[] Basically, int[] Closed) KeysCounted = CountedKeys();

    static (int[], int[], int[]) CountedKeys()
    {
        List<int> completed = [], basically = [], closed = [];
        var stated = new[] { ProblemCounts.NoStated }.Concat(Enum.GetValues<MeasureStatus>().Select(s => (int)s)).ToList();
        for (var mask = 0; mask < 1 << Enum.GetValues<MeasureStatus>().Length; mask++)
            foreach (var st in mask == 0 ? stated : [ProblemCounts.NoStated])
            {
                var f = StatusRules.Count([StatusRules.ProblemStatus(st == ProblemCounts.NoStated ? null : (MeasureStatus)st, [.. StatusesOf(mask)])]);
                var key = KeyOf(mask, st);
                if (f.Completed == 1) completed.Add(key);
                if (f.BasicallyCompleted == 1) basically.Add(key);
                if (f.Closed == 1) closed.Add(key);
            }
        return ([.. completed], [.. basically], [.. closed]);
    }

    /// <summary>
    /// The figures without the problem lists behind them (<see cref="RoundFiguresReport.Unfinished"/> and
    /// <see cref="RoundFiguresReport.BasicallyCompleted"/> are empty): what the figures endpoints serve. For the current
    /// state each unit's row is its inspection's <see cref="KeptFigures">kept row</see> where that is current in this
    /// snapshot; the other units' rows (changed in the last moments, or with several inspections selected), or every
    /// row when nothing is kept or only a few units are asked for, are computed by <see cref="ComputeAsync"/>. As of a
    /// past date it is <see cref="RunAsync"/> without the lists.
    /// </summary>
    public static async Task<RoundFiguresReport> FiguresAsync(RectifyDb db, FigureQuery q, CancellationToken ct = default)
    {
        if (q.AsOf is not null)
            return (await RunAsync(db, q, ct)) with { Unfinished = [], BasicallyCompleted = [] };
        // A few units (a copy brought up to date after a change in one of them, which the keeper has rarely seen yet):
        // computing them costs less than asking first which rows are kept (docs/benchmarks.md, "Round figures kept per
        // inspection": the first read after a status change).
        if (q.UnitIds is { Count: > 0 and <= FewUnits }) return await ComputeAsync(db, q, ct);
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        if (await KeptFigures.ReadAsync(db, Inspections(db, q), ct) is not { } kept) return await ComputeAsync(db, q, ct);
        var computed = kept.Compute.Count > 0 ? (await ComputeAsync(db, q with { UnitIds = [.. kept.Compute] }, ct)).Units : [];
        var roundName = q.RoundId is { } rid ? await RoundNameAsync(db, rid, ct) : null;
        return Compose(q, roundName, computed.Concat(kept.Units), []);
    }

    /// <summary>
    /// One page of the figures' unit rows with the totals of all: <see cref="RoundFiguresReport.Units"/> holds the rows
    /// from <paramref name="offset"/>, at most <paramref name="take"/>; <c>UnitCount</c> is the number of all rows. From
    /// the kept rows the database sums the totals and sorts out the page (<see cref="KeptFigures.PageAsync"/>), so a
    /// meeting's page of the units furthest behind does not read 2 000 rows; units changed since the keeper's last pass
    /// are computed and merged in. Otherwise it is <see cref="FiguresAsync"/> cut to the page.
    /// </summary>
    public static async Task<(RoundFiguresReport Report, int UnitCount)> PageAsync(RectifyDb db, FigureQuery q, int offset, int take, CancellationToken ct = default)
    {
        if (q is { AsOf: null, RoundId: { } roundId, Year: null } && q.UnitIds is not { Count: > 0 and <= FewUnits })
        {
            await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
            if (await KeptFigures.PageAsync(db, roundId, q.UnitIds, offset, take, ct) is { } kept)
            {
                var changed = SelectedOf(q, kept.Changed).ToList();
                // An empty unit filter would mean every unit.
                var computed = changed.Count > 0 ? (await ComputeAsync(db, q with { UnitIds = changed }, ct)).Units : [];
                var roundName = await RoundNameAsync(db, roundId, ct);
                var figures = computed.Aggregate(kept.Figures, (a, u) => a.Plus(u.Figures));
                var page = kept.Units.Concat(computed).InUnitOrder().Skip(offset - kept.Offset).Take(take).ToList();
                return (new RoundFiguresReport(q.RoundId, roundName, q.Year, null, figures, figures.RateText,
                    computed.Aggregate(kept.Outcomes, (a, u) => a.Plus(u.Outcomes)), page, [], []), kept.UnitCount + computed.Count);
            }
        }
        var all = await FiguresAsync(db, q, ct);
        return (all with { Units = [.. all.Units.Skip(offset).Take(take)] }, all.Units.Count);
    }

    /// <summary>Up to this many units in a query's unit filter, <see cref="FiguresAsync"/> computes them without the kept rows.</summary>
    public const int FewUnits = 8;

    /// <summary>
    /// The figures computed from the counters and the base tables, in one snapshot: the database sums its counters of
    /// problems per (inspection, set of distinct measure statuses of a problem), kept by triggers
    /// (<see cref="ProblemCounts"/>, <see cref="ProblemMasks"/>), into one row per unit: its problems, and those whose
    /// set (or stated status) is among <see cref="KeysCounted"/> — what <see cref="StatusRules"/> makes of each set,
    /// exactly as for a list of statuses (a problem's status depends only on which statuses its measures have). Outcome
    /// sums and rule documents per unit in SQL.
    /// </summary>
    public static async Task<RoundFiguresReport> ComputeAsync(RectifyDb db, FigureQuery q, CancellationToken ct = default)
    {
        if (q.AsOf is not null) throw new ArgumentException("Figures as of a past day come from the audit trail (RunAsync).", nameof(q));
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
        var inspections = Inspections(db, q);
        var inspectionIds = inspections.Select(i => i.Id);
        var counts = await CountsAsync(db, inspections, c => c.UnitId, ct);
        var unitIds = await inspections.Select(i => i.UnitId).Distinct().ToListAsync(ct);

        var (figures, problemQuery) = CurrentOutcomeFigures(db, inspectionIds);
        return await ReportAsync(db, q, unitIds,
            u => counts.GetValueOrDefault(u, CompletionFigures.Zero), figures,
            rules => rules.Where(r => r.ProblemIds.Any(id => problemQuery.Contains(id)))
                .GroupBy(r => r.UnitId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct), [], ct);
    }

    /// <summary>
    /// The figures of each of the given inspections (inside the caller's scope) as of now, from the same counters in
    /// the same grouped query as the round figures: one row per inspection, whatever their number. An inspection without
    /// problems is not in the answer.
    /// </summary>
    public static Task<Dictionary<long, CompletionFigures>> ByInspectionAsync(RectifyDb db, IQueryable<Inspection> inspections, CancellationToken ct = default) =>
        CountsAsync(db, inspections, c => c.InspectionId, ct);

    /// <summary>
    /// The counters of the given inspections summed in SQL per <paramref name="by"/> (a unit, an inspection): the
    /// problems, and those whose key is among <see cref="KeysCounted"/>. Problems are counted per (unit, bit set of
    /// their measures' statuses), kept per inspection by the database's triggers (ProblemCounts, over the bit sets of
    /// ProblemMasks); a problem without measures (bit set 0) keeps the status stated for it, or none: not started.
    /// </summary>
    static Task<Dictionary<long, CompletionFigures>> CountsAsync(RectifyDb db, IQueryable<Inspection> inspections,
        Expression<Func<CountRow, long>> by, CancellationToken ct)
    {
        var (completed, basically, closed) = KeysCounted;
        return db.Database.SqlQueryRaw<CountRow>(
                $"SELECT \"InspectionId\", \"UnitId\", {KeySql} AS \"Key\", \"Count\" FROM \"{ProblemCounts.Table}\"")
            // Raw SQL has no query filter: the caller's scope comes with the selected inspections (their query filter),
            // whose counters these are. A second filter on the scope's unit ids led SQLite to scan the counters once per
            // unit id (0.45 s for an office of 2 000 units); testing the unit against the inspection's made PostgreSQL
            // misjudge the rows (half as fast). A counter's unit is its problem's, which is its inspection's.
            .Where(c => inspections.Select(i => i.Id).Contains(c.InspectionId))
            .GroupBy(by)
            .Select(g => new KeyCounts(g.Key, g.Sum(c => c.Count),
                g.Sum(c => EF.Constant(completed).Contains(c.Key) ? c.Count : 0),
                g.Sum(c => EF.Constant(basically).Contains(c.Key) ? c.Count : 0),
                g.Sum(c => EF.Constant(closed).Contains(c.Key) ? c.Count : 0)))
            .ToDictionaryAsync(k => k.Key, k => k.Figures, ct);
    }

    /// <summary>The outcome figures of the selected inspections' problems and measures, and the query of those problems' ids.</summary>
    static (IQueryable<OutcomeFigure> Figures, IQueryable<long> ProblemIds) CurrentOutcomeFigures(RectifyDb db, IQueryable<long> inspectionIds)
    {
        var problemQuery = db.Problems.Where(p => inspectionIds.Contains(p.InspectionId)).Select(p => p.Id);
        var measureQuery = db.Measures.Where(m => inspectionIds.Contains(m.InspectionId)).Select(m => m.Id);
        return (db.OutcomeFigures.Where(f => (f.ProblemId != null && problemQuery.Contains(f.ProblemId.Value)) || (f.MeasureId != null && measureQuery.Contains(f.MeasureId.Value))),
            problemQuery);
    }

    /// <summary>
    /// The report from the problem statuses of each unit: the round's name, unit names, outcome totals, the figures per
    /// unit (lowest rate first) and in total, and the unfinished and basically completed items. Every selected problem
    /// belongs to one of <paramref name="unitIds"/> (a problem's unit is its inspection's).
    /// </summary>
    static async Task<RoundFiguresReport> ReportAsync(RectifyDb db, FigureQuery q, List<long> unitIds, Func<long, CompletionFigures> figuresOfUnit,
        IQueryable<OutcomeFigure> figures, Func<IQueryable<RuleDocument>, Task<Dictionary<long, int>>> ruleCounts, List<FigureItem> items, CancellationToken ct)
    {
        var roundName = q.RoundId is { } rid ? await RoundNameAsync(db, rid, ct) : null;
        var names = await db.Organisations.AsNoTracking().Where(o => unitIds.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var outcomes = await OutcomesAsync(db, figures, unitIds, ruleCounts, q.AsOf is { } day ? FigureQuery.Cutoff(day) : null, ct);
        var units = unitIds.Select(u => UnitFigures.Of(u, names.GetValueOrDefault(u, "?"), figuresOfUnit(u), outcomes.GetValueOrDefault(u, OutcomeTotals.Zero)));
        return Compose(q, roundName, units, items);
    }

    /// <summary>The round's name, or null when it is not there (through the caller's scope).</summary>
    static Task<string?> RoundNameAsync(RectifyDb db, long roundId, CancellationToken ct) =>
        db.Rounds.AsNoTracking().Where(r => r.Id == roundId).Select(r => r.Name).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The report from its unit rows and items: the totals are the sums of the rows (every selected problem is counted
    /// in its unit's row only), the rows lowest rate first.
    /// </summary>
    static RoundFiguresReport Compose(FigureQuery q, string? roundName, IEnumerable<UnitFigures> rows, List<FigureItem> items)
    {
        var units = rows.InUnitOrder().ToList();
        var total = units.Aggregate(CompletionFigures.Zero, (a, u) => a.Plus(u.Figures));
        return new RoundFiguresReport(q.RoundId, roundName, q.Year, q.AsOf, total, total.RateText,
            units.Aggregate(OutcomeTotals.Zero, (a, u) => a.Plus(u.Outcomes)), units,
            [.. items.Where(i => !StatusRules.IsCompleted(i.Status) && i.Status != MeasureStatus.BasicallyRectified)],
            [.. items.Where(i => i.Status == MeasureStatus.BasicallyRectified)]);
    }

    /// <summary>
    /// <paramref name="previous"/> (the figures of <paramref name="q"/> as computed earlier, without the problem lists)
    /// brought up to date when only the data of <paramref name="changedUnits"/> changed since: their rows are computed
    /// again by <see cref="FiguresAsync"/> restricted to them, the other rows are kept, and the totals are summed again.
    /// The cost follows the changed units, not the round. The caller knows which units changed (their audit events; a
    /// unit that joined or left the selection — an inspection moved to or from the round — is one of them: its row is
    /// added or dropped; a change of a round concerns every unit and needs <see cref="FiguresAsync"/> instead).
    /// </summary>
    public static async Task<RoundFiguresReport> RefreshAsync(RectifyDb db, FigureQuery q, RoundFiguresReport previous,
        IReadOnlyCollection<long> changedUnits, CancellationToken ct = default)
    {
        if (q.AsOf is not null) throw new ArgumentException("Figures as of a past day do not change.", nameof(q));
        var changed = SelectedOf(q, changedUnits).ToHashSet();
        // An empty unit filter means every unit: nothing selected changed, so nothing to compute.
        if (changed.Count == 0) return previous;
        var part = await FiguresAsync(db, q with { UnitIds = [.. changed] }, ct);
        return Compose(q, previous.RoundName, previous.Units.Where(u => !changed.Contains(u.UnitId)).Concat(part.Units), []);
    }

    /// <summary>Of <paramref name="units"/>, those the query's unit filter selects (all when it has none).</summary>
    static IEnumerable<long> SelectedOf(FigureQuery q, IEnumerable<long> units) =>
        q.UnitIds is { Count: > 0 } only ? units.Where(only.Contains) : units;

    /// <summary>The statuses whose bits are set in a mask of <c>1 &lt;&lt; (int)status</c>.</summary>
    public static IEnumerable<MeasureStatus> StatusesOf(int mask) =>
        Enum.GetValues<MeasureStatus>().Where(s => (mask & (1 << (int)s)) != 0);

    public static async Task<RoundFiguresReport> RunAsync(RectifyDb db, FigureQuery q, CancellationToken ct = default)
    {
        List<ProblemRow> problems;
        List<MeasureRow> measures;
        List<long> unitIds;
        IQueryable<OutcomeFigure> figures;
        if (q.AsOf is { } day)
        {
            // The inspections as they stood then (deleted ones included), their problems and measures, from the audit trail.
            var cutoff = FigureQuery.Cutoff(day);
            var then = await InspectionsAsOfAsync(db, q, cutoff, ct);
            List<long> measureIds;
            (problems, measures, measureIds) = await AsOfAsync(db, then, cutoff, ct);
            unitIds = [.. then.Select(i => i.UnitId).Distinct()];
            var problemIds = problems.Select(p => p.Id).ToList();
            figures = db.OutcomeFigures.Where(f => (f.ProblemId != null && problemIds.Contains(f.ProblemId.Value)) || (f.MeasureId != null && measureIds.Contains(f.MeasureId.Value)));
        }
        else
        {
            var inspections = Inspections(db, q);
            var inspectionIds = inspections.Select(i => i.Id);
            problems = await db.Problems.AsNoTracking().Where(p => inspectionIds.Contains(p.InspectionId))
                .Select(p => new ProblemRow(p.Id, p.UnitId, p.InspectionId, p.StatedStatus)).ToListAsync(ct);
            measures = await db.Measures.AsNoTracking().Where(m => inspectionIds.Contains(m.InspectionId))
                .GroupBy(m => new { m.ProblemId, m.Status }).Select(g => new MeasureRow(g.Key.ProblemId, g.Key.Status)).ToListAsync(ct);
            unitIds = await inspections.Select(i => i.UnitId).Distinct().ToListAsync(ct);
            figures = CurrentOutcomeFigures(db, inspectionIds).Figures;
        }

        var statuses = DeriveStatuses(problems, measures);
        var problemIdSet = problems.Select(p => p.Id).ToHashSet();
        var byUnit = problems.ToLookup(p => p.UnitId);
        var items = problems.Select(p => new FigureItem(p.Id, p.UnitId, p.InspectionId, statuses[p.Id])).OrderBy(i => i.ProblemId).ToList();
        return await ReportAsync(db, q, unitIds, u => StatusRules.Count(byUnit[u].Select(p => statuses[p.Id])), figures,
            async rules =>
            {
                var linked = await rules.Select(r => new { r.UnitId, r.ProblemIds }).ToListAsync(ct);
                return linked.Where(r => r.ProblemIds.Any(problemIdSet.Contains)).GroupBy(r => r.UnitId).ToDictionary(g => g.Key, g => g.Count());
            }, items, ct);
    }

    /// <summary>The inspections selected by round or year and units, inside the caller's scope (query filter).</summary>
    public static IQueryable<Inspection> Inspections(RectifyDb db, FigureQuery q)
    {
        var query = db.Inspections.AsNoTracking();
        if (q.RoundId is { } rid) query = query.Where(i => i.RoundId == rid);
        if (q.Year is { } y)
        {
            var from = new DateOnly(y, 1, 1);
            var to = new DateOnly(y + 1, 1, 1);
            query = query.Where(i => i.FeedbackDate >= from && i.FeedbackDate < to);
        }
        if (q.UnitIds is { Count: > 0 } units)
        {
            var list = units.ToList();
            query = query.Where(i => list.Contains(i.UnitId));
        }
        return query;
    }

    /// <summary>Each problem's status: derived from its measures' statuses, or the stated one while it has none.</summary>
    public static Dictionary<long, MeasureStatus> DeriveStatuses(IEnumerable<ProblemRow> problems, IEnumerable<MeasureRow> measures)
    {
        var byProblem = measures.GroupBy(m => m.ProblemId).ToDictionary(g => g.Key, g => g.Select(m => m.Status).Distinct().ToList());
        return problems.ToDictionary(p => p.Id, p => StatusRules.ProblemStatus(p.StatedStatus, byProblem.GetValueOrDefault(p.Id) ?? []));
    }

    /// <summary>An inspection as it stood at a past instant: which unit, which round, when fed back.</summary>
    public sealed record InspectionAsOf(long Id, long UnitId, long? RoundId, DateOnly? FeedbackDate);

    /// <summary>
    /// The inspections selected by round or year and units as they stood at <paramref name="cutoff"/>, from each
    /// inspection's last audit event before it: one deleted since still counts, one created later or deleted before
    /// does not, and its round and feedback date are those of then. Inside the caller's scope.
    /// </summary>
    public static async Task<List<InspectionAsOf>> InspectionsAsOfAsync(RectifyDb db, FigureQuery q, DateTime cutoff, CancellationToken ct)
    {
        var list = new List<InspectionAsOf>();
        foreach (var (id, unit, after) in await LastStatesAsync(db, nameof(Inspection), cutoff, null, ct))
        {
            long? round = after.TryGetProperty(nameof(Inspection.RoundId), out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : null;
            DateOnly? feedback = after.TryGetProperty(nameof(Inspection.FeedbackDate), out var f) && f.ValueKind == JsonValueKind.String ? f.Deserialize<DateOnly>() : null;
            var i = new InspectionAsOf(id, unit, round, feedback);
            if (q.RoundId is { } rid && i.RoundId != rid) continue;
            if (q.Year is { } y && i.FeedbackDate?.Year != y) continue;
            if (q.UnitIds is { Count: > 0 } units && !units.Contains(i.UnitId)) continue;
            list.Add(i);
        }
        return list;
    }

    /// <summary>
    /// The problems and measure statuses of the given inspections as they stood at <paramref name="cutoff"/>: for each
    /// Problem and Measure the last audit event before the cutoff gives its values (a row created later, or deleted
    /// before, does not count). Audit events are not unit rows, so the caller's scope is applied explicitly.
    /// </summary>
    public static async Task<(List<ProblemRow> Problems, List<MeasureRow> Measures, List<long> MeasureIds)> AsOfAsync(RectifyDb db,
        IReadOnlyCollection<InspectionAsOf> inspections, DateTime cutoff, CancellationToken ct)
    {
        var idSet = inspections.Select(i => i.Id).ToHashSet();
        var units = inspections.Select(i => (long?)i.UnitId).Distinct().ToList();
        var problems = new List<ProblemRow>();
        foreach (var (id, unit, after) in await LastStatesAsync(db, nameof(Problem), cutoff, units, ct))
        {
            var inspection = Long(after, nameof(Problem.InspectionId));
            if (!idSet.Contains(inspection)) continue;
            var stated = after.TryGetProperty(nameof(Problem.StatedStatus), out var s) && s.ValueKind == JsonValueKind.String
                ? s.Deserialize<MeasureStatus>() : (MeasureStatus?)null;
            problems.Add(new ProblemRow(id, unit, inspection, stated));
        }
        var problemIds = problems.Select(p => p.Id).ToHashSet();
        var measures = new HashSet<MeasureRow>();
        var measureIds = new List<long>();
        foreach (var (id, _, after) in await LastStatesAsync(db, nameof(Measure), cutoff, units, ct))
        {
            if (!idSet.Contains(Long(after, nameof(Measure.InspectionId)))) continue;
            var problem = Long(after, nameof(Measure.ProblemId));
            if (!problemIds.Contains(problem)) continue;
            measures.Add(new MeasureRow(problem, after.GetProperty(nameof(Measure.Status)).Deserialize<MeasureStatus>()));
            measureIds.Add(id);
        }
        return (problems, [.. measures], measureIds);
    }

    static long Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    /// <summary>Last state before the cutoff of every entity of a type, skipping deleted ones; one grouped query.</summary>
    static async Task<List<(long Id, long UnitId, JsonElement After)>> LastStatesAsync(RectifyDb db, string type, DateTime cutoff, List<long?>? unitIds, CancellationToken ct)
    {
        var events = db.AuditEvents.Where(a => a.EntityType == type && a.At < cutoff && a.EntityId != null
                                               && (a.Action == "created" || a.Action == "updated" || a.Action == "deleted"));
        if (unitIds is not null) events = events.Where(a => unitIds.Contains(a.UnitId));
        var last = events.GroupBy(a => a.EntityId).Select(g => g.Max(a => a.Sequence));
        var rows = db.AuditEvents.AsNoTracking().Where(a => last.Contains(a.Sequence) && a.Action != "deleted" && a.After != null);
        if (!db.Scope.All)
        {
            var units = db.Scope.UnitIds;
            rows = rows.Where(a => a.UnitId != null && units.Contains(a.UnitId.Value));
        }
        var list = await rows.Select(a => new { a.EntityId, a.UnitId, a.After }).ToListAsync(ct);
        return [.. list.Select(a => (a.EntityId!.Value, a.UnitId ?? 0, JsonSerializer.Deserialize<JsonElement>(a.After!)))];
    }

    /// <summary>Sums per outcome kind folded into the totals' columns (<see cref="OutcomeKinds"/>; other kinds are not summed); no rule documents.</summary>
    public static OutcomeTotals Fold(IEnumerable<(string Kind, decimal Sum)> sums)
    {
        decimal people = 0, made = 0, funds = 0, meetings = 0;
        foreach (var (kind, sum) in sums)
        {
            if (OutcomeKinds.People.Contains(kind)) people += sum;
            else if (OutcomeKinds.Rules.Contains(kind)) made += sum;
            else if (OutcomeKinds.Funds.Contains(kind)) funds += sum;
            else if (OutcomeKinds.Meetings.Contains(kind)) meetings += sum;
        }
        return new OutcomeTotals(people, made, 0, funds, meetings);
    }

    /// <summary>Outcome figures of the selected problems (and their measures), summed per unit and kind in SQL; rule documents linked to them.</summary>
    /// <param name="ruleCounts">Of the given rule documents, how many per unit are linked to a selected problem.</param>
    static async Task<Dictionary<long, OutcomeTotals>> OutcomesAsync(RectifyDb db, IQueryable<OutcomeFigure> selected, List<long> unitIds,
        Func<IQueryable<RuleDocument>, Task<Dictionary<long, int>>> ruleCounts, DateTime? cutoff, CancellationToken ct)
    {
        var figures = selected.AsNoTracking();
        if (cutoff is { } c)
            figures = figures.Where(f => db.AuditEvents.Any(a => a.EntityType == nameof(OutcomeFigure) && a.EntityId == f.Id && a.Action == "created" && a.At < c));
        var sums = await figures.GroupBy(f => new { f.UnitId, f.Kind }).Select(g => new { g.Key.UnitId, g.Key.Kind, Sum = g.Sum(f => f.Value) }).ToListAsync(ct);

        var rulesQuery = db.Rules.AsNoTracking().Where(r => unitIds.Contains(r.UnitId));
        if (cutoff is { } c2)
        {
            var day = DateOnly.FromDateTime(c2.AddHours(8)).AddDays(-1);
            rulesQuery = rulesQuery.Where(r => r.IssuedOn == null || r.IssuedOn <= day);
        }
        var rules = await ruleCounts(rulesQuery);

        var result = new Dictionary<long, OutcomeTotals>();
        foreach (var byUnit in sums.GroupBy(s => s.UnitId))
            result[byUnit.Key] = Fold(byUnit.Select(s => (s.Kind, s.Sum))) with { RuleDocuments = rules.GetValueOrDefault(byUnit.Key) };
        foreach (var (unit, count) in rules)
            result.TryAdd(unit, OutcomeTotals.Zero with { RuleDocuments = count });
        return result;
    }
}

/// <summary>The outcome figure kinds summed into the round-wide figures (as the importer and the workflow write them).</summary>
public static class OutcomeKinds
{
    public static readonly string[] People = ["people", "people_disciplined", "people_handled"];
    public static readonly string[] Rules = ["rules"];
    public static readonly string[] Funds = ["funds_yuan"];
    public static readonly string[] Meetings = ["meetings"];
}

/// <summary>The order of the figures' unit rows.</summary>
public static class UnitOrder
{
    /// <summary>
    /// Lowest rate first, then by name in the order of its code points (the order of UTF-8 bytes, which the databases'
    /// binary collations sort by: <see cref="KeptFigures.PageAsync"/>), then by id. Each key is computed once per row
    /// (a rate is a decimal division).
    /// </summary>
    public static IOrderedEnumerable<UnitFigures> InUnitOrder(this IEnumerable<UnitFigures> rows) =>
        rows.OrderBy(u => u.Figures.Rate).ThenBy(u => u.UnitName, CodePoints.Comparer).ThenBy(u => u.UnitId);
}
