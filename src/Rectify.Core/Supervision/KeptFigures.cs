using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Core.Supervision;

/// <summary>
/// The round figures of every inspection, kept in the database as the data changes (issue 8: a round's figures at
/// province size are the sum of 2 000 stored rows, not a computation over its 80 000 problems). Table
/// <c>"KeptFigures"</c> holds one row per inspection: its problems and how many are completed, basically completed and
/// closed, its outcome sums, and its rule documents. Table <c>"KeptFiguresHead"</c> holds the audit event up to which
/// the rows are current (its sequence and hash, the hash after the rows' <see cref="Format"/>).
/// <para>
/// <b>Keeping.</b> <see cref="CatchUpAsync"/> reads the audit events after the head; every unit with an event of
/// <see cref="Types"/> has the rows of all its inspections computed again (<see cref="ComputeAsync"/>, in one snapshot
/// with the events read), and the head moves to the newest event, in one transaction that checks the head is still the
/// one it started from (two app servers on one PostgreSQL: one wins, the other finds nothing left to do). Every write of
/// the application appends audit events in its own transaction, so nothing written through it is missed; the server
/// runs it every second (<c>FigureKeeper</c>). An empty head, a head whose event now has another hash (a restore of
/// another history), or one written in another <see cref="Format"/>, computes every row again.
/// </para>
/// <para>
/// <b>Reading.</b> <see cref="ReadAsync"/> never serves a row older than the data: in the reader's snapshot it takes the
/// units with an event of <see cref="Types"/> after the head (at most a second of events while the keeper runs) and
/// leaves them to be computed from the base tables, with units that have more than one selected inspection (a rule
/// document citing problems of two of them counts once for the unit) and inspections without a kept row. When the head
/// is missing, stale by more than <see cref="MaxEventsBehind"/> events (no keeper ran: the CLI on an old database), or
/// names an event that is not there, when an event after it has no unit, or when most units would be computed anyway,
/// it returns null and the caller computes everything.
/// </para>
/// <para>
/// Like <see cref="ProblemCounts"/> the tables are not in the EF model or in a backup; a restore, and applying a
/// migration (which may change rows without audit events), empty the head, so the keeper computes every row again. A
/// write that bypasses the application (and its audit trail) is not seen until its unit changes again, or the head is
/// emptied (<see cref="ForgetSql"/>).
/// </para>
/// </summary>
public static class KeptFigures
{
    public const string Table = "KeptFigures";
    public const string HeadTable = "KeptFiguresHead";

    /// <summary>The user name of the keeper's database context (tests that count a request's SQL leave its commands out).</summary>
    public const string KeeperName = "kept-figures";

    /// <summary>The scope the keeper reads and writes in: everything.</summary>
    public static CallerScope Scope { get; } = new(true, [], [], null, KeeperName, null);

    /// <summary>Beyond this many events after the head a reader computes everything instead of looking through them.</summary>
    public const long MaxEventsBehind = 20_000;

    /// <summary>Events that change no kept row move the head once there are this many after it.</summary>
    const long HeadLag = 1_000;

    /// <summary>More units changed than this in one pass: every row is computed again.</summary>
    const int MaxUnitsPerPass = 1_000;

    /// <summary>
    /// Entity types whose events change the kept rows of their unit's inspections: a problem (its stated status, its
    /// counters), a measure (its status), an outcome figure, a rule document, an inspection (created or deleted; its
    /// round and date are read with the rows, not kept). Names and rounds are not kept. Refusals change nothing.
    /// </summary>
    public static readonly string[] Types =
        [nameof(Problem), nameof(Measure), nameof(OutcomeFigure), nameof(RuleDocument), nameof(Inspection)];

    /// <summary>One inspection's kept figures.</summary>
    /// <param name="Rate">The completion rate in hundredths of a percent, as <see cref="StatusRules.CompletionRate"/>
    /// rounds it (98.71 % is 9871): the order of a page of units in SQL.</param>
    public sealed record Row(long InspectionId, long UnitId, int Problems, int Completed, int Basically, int Closed,
        decimal People, decimal RulesMade, int RuleDocuments, decimal Funds, decimal Meetings, int Rate);

    /// <summary>The head, the hash of the event it names as the chain has it now, and the newest event.</summary>
    sealed record HeadRow(long? Sequence, string? Hash, string? HashNow, long? Max);

    const string Columns = "\"InspectionId\", \"UnitId\", \"Problems\", \"Completed\", \"Basically\", \"Closed\", " +
                           "\"People\", \"RulesMade\", \"RuleDocuments\", \"Funds\", \"Meetings\", \"Rate\"";

    /// <summary>The two tables (migration <c>KeptFigures</c>). Decimals: PostgreSQL numeric; SQLite text, as EF stores them.</summary>
    public static IEnumerable<string> CreateTablesSql(bool postgres)
    {
        var (id, number, money) = postgres ? ("bigint", "integer", "numeric") : ("INTEGER", "INTEGER", "TEXT");
        return
        [
            $"CREATE TABLE \"{Table}\" (\"InspectionId\" {id} NOT NULL PRIMARY KEY, \"UnitId\" {id} NOT NULL, " +
            $"\"Problems\" {number} NOT NULL, \"Completed\" {number} NOT NULL, \"Basically\" {number} NOT NULL, \"Closed\" {number} NOT NULL, " +
            $"\"People\" {money} NOT NULL, \"RulesMade\" {money} NOT NULL, \"RuleDocuments\" {number} NOT NULL, \"Funds\" {money} NOT NULL, \"Meetings\" {money} NOT NULL);",
            $"CREATE INDEX \"IX_{Table}_UnitId\" ON \"{Table}\" (\"UnitId\");",
            $"CREATE TABLE \"{HeadTable}\" (\"Id\" {number} NOT NULL PRIMARY KEY, \"Sequence\" {id} NOT NULL, \"Hash\" {(postgres ? "text" : "TEXT")} NOT NULL);",
        ];
    }

    /// <summary>The column <see cref="Row.Rate"/> (migration <c>KeptFiguresRate</c>); the head is forgotten with it, so every row is computed again.</summary>
    public static IEnumerable<string> AddRateSql => [$"ALTER TABLE \"{Table}\" ADD COLUMN \"Rate\" integer NOT NULL DEFAULT 0;", ForgetSql];

    public static IEnumerable<string> DropRateSql => [$"ALTER TABLE \"{Table}\" DROP COLUMN \"Rate\";", ForgetSql];

    public static IEnumerable<string> DropTablesSql => [$"DROP TABLE IF EXISTS \"{HeadTable}\";", $"DROP TABLE IF EXISTS \"{Table}\";"];

    /// <summary>Empties the head (a restore, a migration, an operator's repair): the next catch-up computes every row again.</summary>
    public const string ForgetSql = $"DELETE FROM \"{HeadTable}\";";

    /// <summary>
    /// Stored before the head event's hash: rows written by code that computes them otherwise (a release that changes
    /// <see cref="ComputeAsync"/> or <see cref="Types"/> changes it) are not read, and every row is computed again.
    /// </summary>
    const string Format = "2:";

    /// <summary>The head, with the hash the chain has now at its sequence prefixed like the stored one (<see cref="Format"/>).</summary>
    static async Task<HeadRow?> HeadAsync(RectifyDb db, CancellationToken ct) =>
        await db.Database.SqlQueryRaw<HeadRow>(
            $"SELECT h.\"Sequence\", h.\"Hash\", a.\"Hash\" AS \"HashNow\", (SELECT MAX(\"Sequence\") FROM \"AuditEvents\") AS \"Max\" " +
            $"FROM (SELECT 1 AS \"One\") o LEFT JOIN \"{HeadTable}\" h ON h.\"Id\" = 1 LEFT JOIN \"AuditEvents\" a ON a.\"Sequence\" = h.\"Sequence\"")
            .FirstOrDefaultAsync(ct) is { } head ? head with { HashNow = head.HashNow is null ? null : Format + head.HashNow } : null;

    /// <summary>
    /// The units with an event of <see cref="Types"/> in (<paramref name="since"/>, <paramref name="max"/>]; a null among
    /// them: an event without a unit. A row moved to another unit (the API refuses it, code through the DbContext can
    /// do it) changes both: its event names the new unit, its "before" picture the old one.
    /// </summary>
    static async Task<HashSet<long?>> UnitsChangedAsync(RectifyDb db, long since, long max, CancellationToken ct)
    {
        // The range of sequences is the only condition, bounded on both sides, and the kind is worked out per event (as
        // AuditHeads does). With a condition on the entity type SQLite read every problem and measure event ever written
        // through the (EntityType, EntityId) index; grouped with the lower bound alone, it walked the whole
        // (UnitId, Sequence) index: 0.24 s at province size (6 million events), against milliseconds for the range.
        var events = await db.AuditEvents.AsNoTracking().Where(a => a.Sequence > since && a.Sequence <= max)
            .Select(a => new
            {
                a.UnitId,
                Kept = Types.Contains(a.EntityType) && !a.Action.StartsWith(Refusal.ActionPrefix),
                Before = a.Action == "updated" && Types.Contains(a.EntityType) ? a.Before : null,
            })
            .ToListAsync(ct);
        var units = new HashSet<long?>();
        foreach (var e in events.Where(e => e.Kept))
        {
            units.Add(e.UnitId);
            if (e.Before is { } before && UnitOf(before) is { } old && old != e.UnitId) units.Add(old);
        }
        return units;
    }

    /// <summary>The "UnitId" of an audit event's picture of a row, if it has one.</summary>
    static long? UnitOf(string picture)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(picture);
        return doc.RootElement.TryGetProperty("UnitId", out var u) && u.ValueKind == System.Text.Json.JsonValueKind.Number ? u.GetInt64() : null;
    }

    /// <summary>
    /// Brings the kept rows up to the newest audit event. Returns the number of inspections whose rows were computed
    /// (0 when only the head moved, or nothing was to do, or another keeper moved it first). <paramref name="db"/> sees
    /// every unit (<see cref="Scope"/>).
    /// </summary>
    public static async Task<int> CatchUpAsync(RectifyDb db, CancellationToken ct = default)
    {
        if (!db.Scope.All) throw new ArgumentException("The keeper reads every unit.", nameof(db));
        HeadRow head;
        string newHash;
        List<long>? units;
        List<Row> rows;
        await using (await ReadSnapshot.BeginAsync(db, ct))
        {
            head = await HeadAsync(db, ct) ?? new HeadRow(null, null, null, null);
            if (head.Max is not { } max) return 0;
            var whole = head.Sequence is null || head.HashNow != head.Hash || head.Sequence > max;
            if (!whole && head.Sequence == max) return 0;
            units = null;
            if (!whole)
            {
                var changed = await UnitsChangedAsync(db, head.Sequence!.Value, max, ct);
                // Only events that change no kept row (weekly reports, logins): the head moves once they are many, so
                // that readers look through few events, without a write every second of a Friday afternoon.
                if (changed.Count == 0 && max - head.Sequence < HeadLag) return 0;
                // Many units (a bulk load): every row at once costs less than a list of thousands of units.
                if (!changed.Contains(null) && changed.Count <= MaxUnitsPerPass) units = [.. changed.Select(u => u!.Value)];
            }
            var inspections = db.Inspections.AsNoTracking();
            rows = units is null ? await ComputeAsync(db, inspections, ct)
                : units.Count == 0 ? [] : await ComputeAsync(db, inspections.Where(i => units.Contains(i.UnitId)), ct);
            newHash = Format + await db.AuditEvents.Where(a => a.Sequence == max).Select(a => a.Hash).SingleAsync(ct);
            head = head with { Max = max };
        }

        using var gate = await db.EnterWriteAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = head.Sequence is null
            ? await db.Database.ExecuteSqlRawAsync($"INSERT INTO \"{HeadTable}\" (\"Id\", \"Sequence\", \"Hash\") VALUES (1, {{0}}, {{1}}) ON CONFLICT DO NOTHING", [head.Max!.Value, newHash], ct)
            : await db.Database.ExecuteSqlRawAsync($"UPDATE \"{HeadTable}\" SET \"Sequence\" = {{0}}, \"Hash\" = {{1}} WHERE \"Id\" = 1 AND \"Sequence\" = {{2}} AND \"Hash\" = {{3}}",
                [head.Max!.Value, newHash, head.Sequence.Value, head.Hash!], ct);
        if (claimed != 1) return 0;
        if (units is null) await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{Table}\"", ct);
        else
        {
            // The rows of the units' inspections, and any row of the inspections written now (an inspection never
            // changes its unit, but a row left under another unit would otherwise block the insert for good).
            foreach (var chunk in units.Chunk(500))
            {
                var delete = $"DELETE FROM \"{Table}\" WHERE \"UnitId\" IN ({string.Join(",", chunk)})";
                await db.Database.ExecuteSqlRawAsync(delete, ct);
            }
            foreach (var chunk in rows.Chunk(500))
            {
                var delete = $"DELETE FROM \"{Table}\" WHERE \"InspectionId\" IN ({string.Join(",", chunk.Select(r => r.InspectionId))})";
                await db.Database.ExecuteSqlRawAsync(delete, ct);
            }
        }
        foreach (var chunk in rows.Chunk(500))
            await db.Database.ExecuteSqlRawAsync(InsertSql(chunk, db.ProviderName == "postgresql"), ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>One INSERT of literal numbers (no text from users goes into it).</summary>
    static string InsertSql(IEnumerable<Row> rows, bool postgres)
    {
        string money(decimal d) => postgres ? d.ToString(CultureInfo.InvariantCulture) : $"'{d.ToString(CultureInfo.InvariantCulture)}'";
        var sql = new StringBuilder($"INSERT INTO \"{Table}\" ({Columns}) VALUES ");
        var first = true;
        foreach (var r in rows)
        {
            if (!first) sql.Append(", ");
            first = false;
            sql.Append(CultureInfo.InvariantCulture,
                $"({r.InspectionId}, {r.UnitId}, {r.Problems}, {r.Completed}, {r.Basically}, {r.Closed}, {money(r.People)}, {money(r.RulesMade)}, {r.RuleDocuments}, {money(r.Funds)}, {money(r.Meetings)}, {r.Rate})");
        }
        return sql.ToString();
    }

    /// <summary>
    /// The figures of each of the given inspections from the counters and the base tables: what the kept rows hold.
    /// Every inspection has a row, one without problems too. Outcome figures count for the inspection of their problem,
    /// or of their measure when they name no problem; a rule document for every inspection one of whose problems it cites.
    /// </summary>
    public static async Task<List<Row>> ComputeAsync(RectifyDb db, IQueryable<Inspection> inspections, CancellationToken ct)
    {
        var selected = await inspections.Select(i => new { i.Id, i.UnitId }).ToListAsync(ct);
        if (selected.Count == 0) return [];
        var counts = await GetRoundFigures.ByInspectionAsync(db, inspections, ct);
        var ids = inspections.Select(i => i.Id);
        var problems = db.Problems.AsNoTracking().Where(p => ids.Contains(p.InspectionId));
        var ofProblems = await db.OutcomeFigures.AsNoTracking()
            .Join(problems, f => f.ProblemId, p => (long?)p.Id, (f, p) => new { p.InspectionId, f.Kind, f.Value })
            .GroupBy(x => new { x.InspectionId, x.Kind }).Select(g => new { g.Key.InspectionId, g.Key.Kind, Sum = g.Sum(x => x.Value) })
            .ToListAsync(ct);
        var ofMeasures = await db.OutcomeFigures.AsNoTracking().Where(f => f.ProblemId == null)
            .Join(db.Measures.AsNoTracking().Where(m => ids.Contains(m.InspectionId)), f => f.MeasureId, m => (long?)m.Id, (f, m) => new { m.InspectionId, f.Kind, f.Value })
            .GroupBy(x => new { x.InspectionId, x.Kind }).Select(g => new { g.Key.InspectionId, g.Key.Kind, Sum = g.Sum(x => x.Value) })
            .ToListAsync(ct);
        var outcomes = ofProblems.Concat(ofMeasures).GroupBy(s => s.InspectionId)
            .ToDictionary(g => g.Key, g => GetRoundFigures.Fold(g.Select(s => (s.Kind, s.Sum))));

        var inspectionOf = await problems.Select(p => new { p.Id, p.InspectionId }).ToDictionaryAsync(p => p.Id, p => p.InspectionId, ct);
        var cited = await db.Rules.AsNoTracking().Where(r => inspections.Select(i => i.UnitId).Contains(r.UnitId)).Select(r => r.ProblemIds).ToListAsync(ct);
        var rules = cited.SelectMany(c => c.Where(inspectionOf.ContainsKey).Select(p => inspectionOf[p]).Distinct())
            .GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());

        return [.. selected.Select(i =>
        {
            var f = counts.GetValueOrDefault(i.Id, CompletionFigures.Zero);
            var o = outcomes.GetValueOrDefault(i.Id, OutcomeTotals.Zero);
            return new Row(i.Id, i.UnitId, f.Problems, f.Completed, f.BasicallyCompleted, f.Closed,
                o.PeopleHandled, o.RulesMade, rules.GetValueOrDefault(i.Id), o.FundsYuan, o.Meetings, RateKey(f));
        })];
    }

    /// <summary>What a reader takes from the kept rows: the rows of the units it can serve, named, and the units left to compute.</summary>
    public sealed record Reading(IReadOnlyList<UnitFigures> Units, IReadOnlySet<long> Compute);

    /// <summary>
    /// The kept rows of the selected inspections (inside the caller's scope) with their units' names, as of the
    /// reader's snapshot: call inside one (<see cref="ReadSnapshot"/>). Units changed after the head, units with more
    /// than one selected inspection and inspections without a row are in <see cref="Reading.Compute"/>; null when the
    /// kept rows cannot be used at all.
    /// </summary>
    public static async Task<Reading?> ReadAsync(RectifyDb db, IQueryable<Inspection> inspections, CancellationToken ct)
    {
        if (await ChangedSinceHeadAsync(db, ct) is not { } changed) return null;
        // One query: every selected inspection, its kept row if any, its unit's name.
        var selected = await (
            from i in inspections
            join k in db.Database.SqlQueryRaw<Row>($"SELECT {Columns} FROM \"{Table}\"") on i.Id equals k.InspectionId into ks
            from k in ks.DefaultIfEmpty()
            join o in db.Organisations.AsNoTracking() on i.UnitId equals o.Id into os
            from o in os.DefaultIfEmpty()
            select new
            {
                i.Id, i.UnitId, Name = o.Name, Kept = (long?)k.InspectionId, KeptUnit = (long?)k.UnitId,
                Problems = (int?)k.Problems, Completed = (int?)k.Completed, Basically = (int?)k.Basically, Closed = (int?)k.Closed,
                People = (decimal?)k.People, RulesMade = (decimal?)k.RulesMade, RuleDocuments = (int?)k.RuleDocuments,
                Funds = (decimal?)k.Funds, Meetings = (decimal?)k.Meetings,
            }).ToListAsync(ct);
        var compute = changed.ToHashSet();
        var units = new List<UnitFigures>();
        foreach (var unit in selected.GroupBy(i => i.UnitId))
        {
            if (compute.Contains(unit.Key)) continue;
            if (unit.Count() == 1 && unit.First() is { Kept: not null } i && i.KeptUnit == unit.Key)
            {
                var f = CompletionFigures.Of(i.Problems!.Value, i.Completed!.Value, i.Basically!.Value, i.Closed!.Value);
                units.Add(new UnitFigures(unit.Key, i.Name ?? "?", f, f.RateText,
                    new OutcomeTotals(i.People!.Value, i.RulesMade!.Value, i.RuleDocuments!.Value, i.Funds!.Value, i.Meetings!.Value)));
            }
            else compute.Add(unit.Key);
        }
        compute.IntersectWith(selected.Select(i => i.UnitId));
        // Mostly to compute (a year in which most units had two inspections): computing all at once costs less.
        return compute.Count > units.Count ? null : new Reading(units, compute);
    }

    /// <summary>
    /// The units whose kept rows are not current in the reader's snapshot (an event of <see cref="Types"/> after the
    /// head); null when the kept rows cannot be used at all: no head, a head of another history or format, more than
    /// <see cref="MaxEventsBehind"/> events behind, or an event after it without a unit.
    /// </summary>
    static async Task<IReadOnlySet<long>?> ChangedSinceHeadAsync(RectifyDb db, CancellationToken ct)
    {
        var head = await HeadAsync(db, ct);
        if (head is not { Sequence: { } since, Max: { } max } || head.HashNow != head.Hash || max - since > MaxEventsBehind) return null;
        if (since == max) return new HashSet<long>();
        var changed = await UnitsChangedAsync(db, since, max, ct);
        return changed.Contains(null) ? null : changed.Select(u => u!.Value).ToHashSet();
    }

    /// <summary>
    /// The totals of the kept rows and one page of them, worked out in SQL. <see cref="Figures"/>, <see cref="Outcomes"/>
    /// and <see cref="UnitCount"/> cover every selected unit except <see cref="Changed"/>; <see cref="Units"/> holds the
    /// first rows in the figures' order (<see cref="GetRoundFigures.UnitOrder"/>) from <see cref="Offset"/> on.
    /// </summary>
    public sealed record KeptPage(CompletionFigures Figures, OutcomeTotals Outcomes, int UnitCount, IReadOnlyList<UnitFigures> Units,
        int Offset, IReadOnlySet<long> Changed);

    /// <summary>Sums of the kept rows of the selected inspections (an aggregate query's one row).</summary>
    sealed record Sums(int Inspections, int Units, int Kept, int Problems, int Completed, int Basically, int Closed,
        decimal People, decimal RulesMade, int RuleDocuments, decimal Funds, decimal Meetings,
        int PeopleScale, int RulesMadeScale, int FundsScale, int MeetingsScale);

    /// <summary>
    /// The kept rows of the selected inspections (inside the caller's scope) summed, and <paramref name="take"/> of them
    /// from <paramref name="offset"/> in the figures' order, in two queries whose cost does not follow the rows read
    /// into .NET: the database sums and sorts, and only a page of rows comes back. Call inside a snapshot
    /// (<see cref="ReadSnapshot"/>). Units changed after the head are left out of both (the caller computes them and
    /// merges them in: the page then starts at 0 and holds <paramref name="offset"/> + <paramref name="take"/> rows, so
    /// that every row that may precede them is there). Null when the kept rows cannot be used, or a unit has more than
    /// one selected inspection or an inspection has no kept row (the caller reads every row, <see cref="ReadAsync"/>).
    /// </summary>
    public static async Task<KeptPage?> PageAsync(RectifyDb db, IQueryable<Inspection> inspections, int offset, int take, CancellationToken ct)
    {
        if (await ChangedSinceHeadAsync(db, ct) is not { } changed) return null;
        var served = changed.Count == 0 ? inspections : inspections.Where(i => !changed.Contains(i.UnitId));
        // A kept row counts only under its inspection's unit (see ReadAsync).
        var joined =
            from i in served
            join k in db.Database.SqlQueryRaw<ScaledRow>(ScaledRowsSql(db.ProviderName == "postgresql")) on new { i.Id, i.UnitId } equals new { Id = k.InspectionId, k.UnitId } into ks
            from k in ks.DefaultIfEmpty()
            select new { i.UnitId, Kept = (long?)k.InspectionId, k };
        var sums = await joined.GroupBy(x => 1).Select(g => new Sums(g.Count(), g.Select(x => x.UnitId).Distinct().Count(), g.Count(x => x.Kept != null),
                g.Sum(x => x.k.Problems), g.Sum(x => x.k.Completed), g.Sum(x => x.k.Basically), g.Sum(x => x.k.Closed),
                g.Sum(x => x.k.People), g.Sum(x => x.k.RulesMade), g.Sum(x => x.k.RuleDocuments), g.Sum(x => x.k.Funds), g.Sum(x => x.k.Meetings),
                g.Max(x => (int?)x.k.PeopleScale) ?? 0, g.Max(x => (int?)x.k.RulesMadeScale) ?? 0, g.Max(x => (int?)x.k.FundsScale) ?? 0, g.Max(x => (int?)x.k.MeetingsScale) ?? 0))
            .FirstOrDefaultAsync(ct) ?? new Sums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        if (sums.Kept != sums.Inspections || sums.Units != sums.Inspections) return null;

        // Ties of rate in the order of the names' code points: PostgreSQL's "C" collation and SQLite's BINARY compare
        // UTF-8 bytes, which is that order, and so does GetRoundFigures.UnitOrder.
        var collation = db.ProviderName == "postgresql" ? "C" : "BINARY";
        var ordered =
            from i in served
            join k in db.Database.SqlQueryRaw<Row>($"SELECT {Columns} FROM \"{Table}\"") on new { i.Id, i.UnitId } equals new { Id = k.InspectionId, k.UnitId }
            join o in db.Organisations.AsNoTracking() on i.UnitId equals o.Id into os
            from o in os.DefaultIfEmpty()
            let name = o.Name ?? "?"
            orderby k.Rate, EF.Functions.Collate(name, collation), i.UnitId
            select new { k, Name = name };
        var start = changed.Count == 0 ? offset : 0;
        var rows = await ordered.Skip(start).Take(changed.Count == 0 ? take : offset + take).ToListAsync(ct);
        var units = rows.Select(r =>
        {
            var f = CompletionFigures.Of(r.k.Problems, r.k.Completed, r.k.Basically, r.k.Closed);
            return new UnitFigures(r.k.UnitId, r.Name, f, f.RateText, new OutcomeTotals(r.k.People, r.k.RulesMade, r.k.RuleDocuments, r.k.Funds, r.k.Meetings));
        }).ToList();
        return new KeptPage(CompletionFigures.Of(sums.Problems, sums.Completed, sums.Basically, sums.Closed),
            new OutcomeTotals(Scaled(sums.People, sums.PeopleScale), Scaled(sums.RulesMade, sums.RulesMadeScale), sums.RuleDocuments,
                Scaled(sums.Funds, sums.FundsScale), Scaled(sums.Meetings, sums.MeetingsScale)), sums.Units, units, start, changed);
    }

    /// <summary>A kept row with the scale of each sum (its digits after the point, as stored).</summary>
    sealed record ScaledRow(long InspectionId, long UnitId, int Problems, int Completed, int Basically, int Closed,
        decimal People, decimal RulesMade, int RuleDocuments, decimal Funds, decimal Meetings,
        int PeopleScale, int RulesMadeScale, int FundsScale, int MeetingsScale);

    /// <summary>
    /// The kept rows with the scale of each sum. The sum of decimals has the largest scale of its terms (12.5 + 0.25 is
    /// 12.75, 1.50 + 1.50 is 3.00), as in .NET; SQLite's decimal sum (EF's <c>ef_sum</c>) writes its result with at
    /// least one and no trailing zero digits (3.0), so the scale is summed apart and set again (<see cref="Scaled"/>).
    /// </summary>
    static string ScaledRowsSql(bool postgres)
    {
        string scale(string c) => postgres ? $"scale(\"{c}\")"
            : $"CASE WHEN instr(\"{c}\", '.') > 0 THEN length(\"{c}\") - instr(\"{c}\", '.') ELSE 0 END";
        return $"SELECT \"InspectionId\", \"UnitId\", \"Problems\", \"Completed\", \"Basically\", \"Closed\", " +
               $"\"People\", \"RulesMade\", \"RuleDocuments\", \"Funds\", \"Meetings\", {scale("People")} AS \"PeopleScale\", " +
               $"{scale("RulesMade")} AS \"RulesMadeScale\", {scale("Funds")} AS \"FundsScale\", {scale("Meetings")} AS \"MeetingsScale\" FROM \"{Table}\"";
    }

    /// <summary><paramref name="sum"/> written with <paramref name="scale"/> digits after the point (it has no more).</summary>
    static decimal Scaled(decimal sum, int scale) => decimal.Round(sum, scale) + new decimal(0, 0, 0, false, (byte)scale);

    /// <summary>A row's <see cref="Row.Rate"/>: the rate as <see cref="StatusRules"/> rounds it, in hundredths of a percent.</summary>
    public static int RateKey(CompletionFigures f) => (int)(f.Rate * 100);
}
