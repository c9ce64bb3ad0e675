using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Core.Data;

namespace Rectify.Hosting;

/// <summary>
/// The newest audit sequence of every unit, and of the whole database, kept in memory so that a cached read can be
/// validated without a query. Every write appends audit events in its own transaction, so these heads say whether
/// anything behind a cached ledger or figure changed.
/// <para>
/// Kept current by an incremental read of the events after the last one seen (<c>Sequence &gt; last</c>, grouped by
/// unit): before the next answer after any commit of this process (<see cref="AuditCommits"/>), so a change is visible on
/// the very next read; and at most <c>Rectify:Perf:AuditHeadsMilliseconds</c> (default 250) after a write by another
/// process (a second app server on the same PostgreSQL, the CLI). A unit with no event since start is unknown until a
/// caller reports what it read from the database (<see cref="Observe"/>). A chain that became shorter, or whose event
/// last seen has another hash (a restore), forgets every unit.
/// </para>
/// </summary>
public sealed class AuditHeads(DatabaseLocation location, IConfiguration config)
{
    readonly long _maxAgeMs = Math.Max(0, config.GetValue("Rectify:Perf:AuditHeadsMilliseconds", 250));
    readonly ConcurrentDictionary<long, long> _units = new();
    readonly ConcurrentDictionary<long, long> _figureUnits = new();
    readonly SemaphoreSlim _gate = new(1, 1);
    long _global = -1;
    long _structure = -1;
    long _problems = -1;
    long _everyUnitFiguresHead = -1;
    string? _lastHash;
    long _generation;
    long _refreshedCommits = -1;
    long _refreshedAt;

    /// <summary>Newest audit sequence of the database as of the last refresh (-1 before the first).</summary>
    public long Global => Interlocked.Read(ref _global);

    /// <summary>Changes when the heads were forgotten (a shorter chain); pass it back to <see cref="Observe"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The unit's newest audit sequence, or null while unknown.</summary>
    public long? Unit(long unitId) => _units.TryGetValue(unitId, out var v) ? v : null;

    /// <summary>The database's newest audit sequence after <see cref="EnsureCurrentAsync"/>: the validator of reads spanning units.</summary>
    public async ValueTask<long> CurrentGlobalAsync(CancellationToken ct)
    {
        await EnsureCurrentAsync(ct);
        return Global;
    }

    /// <summary>
    /// Events of these entity types never change what the round figures and the similar-problem lists read (a weekly
    /// report, an evidence file's record): the bulk of a Friday afternoon's writes. A report that changes its measure's
    /// status also writes a Measure event, which counts. Refused requests (actions "refused:…") change nothing either.
    /// </summary>
    public static readonly string[] NotInStructure = [nameof(Core.Workflow.ProgressReport), nameof(Core.Workflow.EvidenceFile)];

    /// <summary>
    /// The newest audit sequence of any event except those of <see cref="NotInStructure"/>, after
    /// <see cref="EnsureCurrentAsync"/>: the validator of reads that do not read weekly reports or evidence (the round
    /// figures, similar problems), so that their copies outlive a stream of reports. Equal to the global head after a
    /// start or a rewound chain.
    /// </summary>
    public async ValueTask<long> CurrentStructureAsync(CancellationToken ct)
    {
        await EnsureCurrentAsync(ct);
        return Interlocked.Read(ref _structure);
    }

    /// <summary>Entity types whose events change a problem's text, unit, inspection or round: what the similar-problem index reads.</summary>
    public static readonly string[] ProblemTexts = [nameof(Core.Ledger.Problem), nameof(Core.Ledger.Inspection)];

    /// <summary>
    /// The newest audit sequence of an event of <see cref="ProblemTexts"/> (refusals aside), after
    /// <see cref="EnsureCurrentAsync"/>: the version of the similar-problem index (<see cref="Core.Supervision.ProblemSimilarity"/>),
    /// which is rebuilt when it changes. Asking the database instead (the newest such event among millions of weekly
    /// reports' events) walked the whole audit trail back to the last problem edit: 1.2–1.5 s per request at province
    /// size. Equal to the global head after a start or a rewound chain.
    /// </summary>
    public async ValueTask<long> CurrentProblemsAsync(CancellationToken ct)
    {
        await EnsureCurrentAsync(ct);
        return Interlocked.Read(ref _problems);
    }

    /// <summary>
    /// Entity types whose events can change the figures of every unit: a round (its name heads the figures; deleting it
    /// drops its inspections from them). An event of <see cref="FigureTypesOfOneUnit"/> without a unit counts the same
    /// (an office's own record, for instance).
    /// </summary>
    public static readonly string[] FigureTypesOfEveryUnit = [nameof(Core.Ledger.InspectionRound)];

    /// <summary>
    /// Entity types whose events change the figures of the unit they name (<see cref="RectifyDb"/> writes the row's own
    /// unit): a problem (its stated status; the counters follow its rows), a measure (its status), an outcome figure, a
    /// rule document (it cites only problems of its own unit: <c>RegisterRule</c> refuses others), an inspection (its
    /// round or feedback date moves the unit's rows into or out of a round's or a year's figures; its unit never
    /// changes: <c>EditInspection</c> refuses that), an organisation (a unit's own record names its row; a part of a
    /// unit names the unit, and an organisation never moves to another unit; a unit moved to another office changes
    /// the office users' scope, which is part of the cache key). Events of any type not here or in
    /// <see cref="FigureTypesOfEveryUnit"/> (users, tokens, logins, reminders, evaluations…) do not change the figures.
    /// A new kind of data that the figures read must be added to one of the two lists.
    /// </summary>
    public static readonly string[] FigureTypesOfOneUnit =
    [
        nameof(Core.Ledger.Problem), nameof(Core.Ledger.Measure), nameof(Core.Workflow.OutcomeFigure), nameof(Core.Workflow.RuleDocument),
        nameof(Core.Ledger.Inspection), nameof(Core.Organisations.Organisation),
    ];

    /// <summary>
    /// The units whose round figures may differ from a copy computed at structure head <paramref name="since"/> (from
    /// <see cref="CurrentStructureAsync"/>, in <see cref="Generation"/> <paramref name="generation"/>): those with a
    /// event of <see cref="FigureTypesOfOneUnit"/> after it. Null when the copy cannot be brought up to date unit by unit: the
    /// heads were forgotten since (another generation), or an event after it concerns every unit (<see cref="FigureTypesOfEveryUnit"/>).
    /// Call after <see cref="CurrentStructureAsync"/>: every event up to the head it returned is counted here.
    /// </summary>
    public IReadOnlyCollection<long>? FigureUnitsChangedSince(long since, long generation)
    {
        if (generation != Generation || Interlocked.Read(ref _everyUnitFiguresHead) > since) return null;
        return [.. _figureUnits.Where(u => u.Value > since).Select(u => u.Key)];
    }

    /// <summary>
    /// Makes sure the heads include every commit of this process so far and are at most the configured age; reads
    /// the database only when one of the two is not true.
    /// </summary>
    public ValueTask EnsureCurrentAsync(CancellationToken ct)
    {
        var commits = AuditCommits.Current;
        return IsCurrent(commits) ? ValueTask.CompletedTask : new ValueTask(RefreshAsync(commits, ct));
    }

    bool IsCurrent(long commits) =>
        Interlocked.Read(ref _refreshedCommits) >= commits && Environment.TickCount64 - Interlocked.Read(ref _refreshedAt) < _maxAgeMs;

    async Task RefreshAsync(long commits, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            // A refresh that started after our need arose (while we waited) covers us.
            if (IsCurrent(commits)) return;
            // Taken before reading: every commit counted here, and every write committed before this instant, is in
            // what the queries below see (commits are serialised by the audit chain lock, in sequence order).
            var startedCommits = AuditCommits.Current;
            var startedAt = Environment.TickCount64;
            await using var db = Database.Open(location);
            var last = Global;
            // One read: the newest event, and the event last seen (a restore of another history can replace the chain
            // with one as long or longer, whose later events would otherwise be read as if they followed ours).
            var ends = await db.AuditEvents.AsNoTracking()
                .Where(a => a.Sequence == last || a.Sequence == db.AuditEvents.Max(x => (long?)x.Sequence))
                .Select(a => new { a.Sequence, a.Hash }).ToListAsync(CancellationToken.None);
            var head = ends.MaxBy(e => e.Sequence);
            var max = head?.Sequence ?? 0;
            var replaced = last > 0 && max >= last && _lastHash != ends.FirstOrDefault(e => e.Sequence == last)?.Hash;
            if (last < 0 || max < last || replaced)
            {
                // First refresh, or the chain was rewound or replaced: no unit is known; callers report them as they read them.
                if (last >= 0) { Interlocked.Increment(ref _generation); _units.Clear(); _figureUnits.Clear(); }
                Interlocked.Exchange(ref _everyUnitFiguresHead, max);
                Interlocked.Exchange(ref _structure, max);
                Interlocked.Exchange(ref _problems, max);
            }
            else if (max > last)
            {
                // The new events' heads per unit and per kind, in one grouped read. Kind: 0 outside the structure (a
                // report, an evidence file, a refusal), 1 structure, 2 structure and a problem's text (ProblemTexts).
                // Figures: 0 none, 1 the row of the event's unit (FigureTypesOfOneUnit), 2 every unit's row (FigureTypesOfEveryUnit).
                var rows = await db.AuditEvents.AsNoTracking()
                    .Where(a => a.Sequence > last && a.Sequence <= max)
                    .GroupBy(a => new
                    {
                        a.UnitId,
                        Kind = a.Action.StartsWith(Core.Workflow.Refusal.ActionPrefix) || NotInStructure.Contains(a.EntityType) ? 0 : ProblemTexts.Contains(a.EntityType) ? 2 : 1,
                        Figures = FigureTypesOfEveryUnit.Contains(a.EntityType) ? 2 : FigureTypesOfOneUnit.Contains(a.EntityType) ? 1 : 0,
                    })
                    .Select(g => new { g.Key.UnitId, g.Key.Kind, g.Key.Figures, Head = g.Max(a => a.Sequence) })
                    .ToListAsync(CancellationToken.None);
                // Before the structure head moves: a caller that reads the new head finds these units already counted.
                var structural = rows.Where(r => r.Kind >= 1).ToList();
                var figures = structural.Where(r => r.Figures >= 1).ToList();
                if (figures.Where(r => r.Figures == 2 || r.UnitId is null).Select(r => (long?)r.Head).Max() is { } all) Interlocked.Exchange(ref _everyUnitFiguresHead, all);
                foreach (var r in figures.Where(r => r.Figures == 1 && r.UnitId is not null))
                    _figureUnits.AddOrUpdate(r.UnitId!.Value, r.Head, (_, old) => Math.Max(old, r.Head));
                if (structural.Select(r => (long?)r.Head).Max() is { } structure) Interlocked.Exchange(ref _structure, structure);
                if (rows.Where(r => r.Kind == 2).Select(r => (long?)r.Head).Max() is { } problems) Interlocked.Exchange(ref _problems, problems);
                foreach (var r in rows)
                    if (r.UnitId is { } unit) _units.AddOrUpdate(unit, r.Head, (_, old) => Math.Max(old, r.Head));
            }
            _lastHash = head?.Hash;
            Interlocked.Exchange(ref _global, max);
            Interlocked.Exchange(ref _refreshedAt, startedAt);
            Interlocked.Exchange(ref _refreshedCommits, startedCommits);
        }
        finally { _gate.Release(); }
    }

    /// <summary>
    /// Records a unit's newest audit sequence as a caller read it from the database, after
    /// <see cref="EnsureCurrentAsync"/> and with the <see cref="Generation"/> it saw then: later events are added by the
    /// incremental refresh, so the unit stays known from here on.
    /// </summary>
    public void Observe(long unitId, long head, long generation)
    {
        if (Global < 0 || generation != Generation) return;
        _units.AddOrUpdate(unitId, head, (_, old) => Math.Max(old, head));
    }
}
