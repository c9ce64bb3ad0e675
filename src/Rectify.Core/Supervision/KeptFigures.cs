using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Core.Workflow;

namespace Rectify.Core.Supervision;

/// <summary>
/// The round figures of every inspection, kept in the database as the data changes (issue 8: a round's figures at
/// province size are the sum of 2 000 stored rows, not a computation over its 80 000 problems). Table
/// <c>"KeptFigures"</c> holds one row per inspection: its problems and how many are completed, basically completed and
/// closed, its outcome sums, and its rule documents; its round, its unit's name and its rate, the order of a page of a
/// round's units (<see cref="PageAsync"/>). Table <c>"KeptFiguresHead"</c> holds the audit event up to which
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
    /// counters), a measure (its status), an outcome figure, a rule document, an inspection (created, deleted, or moved
    /// to another round: the row keeps its round), an organisation (a unit's name is kept with its rows; an event of a
    /// part of a unit computes the unit's rows again, needlessly but rarely). Refusals change nothing.
    /// </summary>
    public static readonly string[] Types =
        [nameof(Problem), nameof(Measure), nameof(OutcomeFigure), nameof(RuleDocument), nameof(Inspection), nameof(Organisation)];

    /// <summary>One inspection's kept figures.</summary>
    /// <param name="Rate">The completion rate in hundredths of a percent, as <see cref="StatusRules.CompletionRate"/>
    /// rounds it (98.71 % is 9871): with <paramref name="RoundId"/> and <paramref name="Name"/> (the unit's) the order of a
    /// page of units, read through one index (<see cref="PageAsync"/>).</param>
    /// <param name="Shared">1 when another inspection of the unit is in the same round (a page then reads every row), else 0.</param>
    public sealed record Row(long InspectionId, long UnitId, int Problems, int Completed, int Basically, int Closed,
        decimal People, decimal RulesMade, int RuleDocuments, decimal Funds, decimal Meetings, int Rate, long? RoundId, string Name, int Shared);

    /// <summary>The head, the hash of the event it names as the chain has it now, and the newest event.</summary>
    sealed record HeadRow(long? Sequence, string? Hash, string? HashNow, long? Max);

    const string Columns = "\"InspectionId\", \"UnitId\", \"Problems\", \"Completed\", \"Basically\", \"Closed\", " +
                           "\"People\", \"RulesMade\", \"RuleDocuments\", \"Funds\", \"Meetings\", \"Rate\", \"RoundId\", \"Name\", \"Shared\"";

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

    /// <summary>
    /// The columns of a page (migration <c>KeptFiguresPage</c>): <see cref="Row.Rate"/>, <see cref="Row.RoundId"/>,
    /// <see cref="Row.Name"/>, and the index in the order of a page of a round (names by code point: <see cref="Collation"/>).
    /// The head is forgotten with them, so every row is computed again.
    /// </summary>
    public static IEnumerable<string> AddPageColumnsSql(bool postgres) =>
    [
        $"ALTER TABLE \"{Table}\" ADD COLUMN \"Rate\" integer NOT NULL DEFAULT 0;",
        $"ALTER TABLE \"{Table}\" ADD COLUMN \"RoundId\" {(postgres ? "bigint" : "INTEGER")} NULL;",
        $"ALTER TABLE \"{Table}\" ADD COLUMN \"Name\" {(postgres ? "text" : "TEXT")} NOT NULL DEFAULT '';",
        $"ALTER TABLE \"{Table}\" ADD COLUMN \"Shared\" integer NOT NULL DEFAULT 0;",
        .. MigratedSums.Select(c => $"ALTER TABLE \"{Table}\" ADD COLUMN \"{c}Units\" {(postgres ? "bigint" : "INTEGER")} NULL;"),
        .. MigratedSums.Select(c => $"ALTER TABLE \"{Table}\" ADD COLUMN \"{c}Scale\" integer NOT NULL DEFAULT 0;"),
        $"CREATE INDEX \"{PageIndex}\" ON \"{Table}\" (\"RoundId\", \"Rate\", \"Name\" COLLATE \"{Collation(postgres)}\", \"UnitId\");",
        ForgetSql,
    ];

    public static IEnumerable<string> DropPageColumnsSql =>
    [
        $"DROP INDEX \"{PageIndex}\";",
        $"ALTER TABLE \"{Table}\" DROP COLUMN \"Name\";",
        $"ALTER TABLE \"{Table}\" DROP COLUMN \"Shared\";",
        .. MigratedSums.SelectMany(c => new[] { $"ALTER TABLE \"{Table}\" DROP COLUMN \"{c}Units\";", $"ALTER TABLE \"{Table}\" DROP COLUMN \"{c}Scale\";" }),
        $"ALTER TABLE \"{Table}\" DROP COLUMN \"RoundId\";",
        $"ALTER TABLE \"{Table}\" DROP COLUMN \"Rate\";",
        ForgetSql,
    ];

    const string PageIndex = "IX_KeptFigures_Page";

    /// <summary>The sums' columns as migration <c>KeptFiguresPage</c> made them (not <see cref="Sums"/>, which may change later).</summary>
    static readonly string[] MigratedSums = ["People", "RulesMade", "Funds", "Meetings"];

    /// <summary>
    /// The decimal sums of a row, each also kept as a whole number of ten-thousandths (<c>…Units</c>; null when it has
    /// more digits after the point, or is too large) and its scale (<c>…Scale</c>, its digits after the point): a page's
    /// totals add whole numbers in SQL, exactly, with the scale of the sum a decimal addition gives (the largest), where
    /// SQLite's decimal sum (EF's <c>ef_sum</c>) parses each value in .NET and drops trailing zeros (1.50 + 1.50 is 3.0).
    /// </summary>
    static readonly string[] Sums = ["People", "RulesMade", "Funds", "Meetings"];

    /// <summary>Ten-thousandths per unit of a sum kept as a whole number (<see cref="Sums"/>).</summary>
    const long UnitsPerOne = 10_000;

    /// <summary>
    /// A decimal as whole ten-thousandths, if it has at most 4 digits after the point and is under 10 billion: the sum of
    /// 90 000 rows then fits a 64-bit integer (SQLite's SUM fails beyond, PostgreSQL's gives a numeric). Else null, and a
    /// page reads every row.
    /// </summary>
    static long? UnitsOf(decimal d) => d.Scale <= 4 && Math.Abs(d) < 10_000_000_000m ? (long)(d * UnitsPerOne) : null;

    /// <summary>
    /// The collation that sorts text by code point, as <see cref="CodePoints"/> and so the whole table
    /// (<see cref="UnitOrder.InUnitOrder"/>) do: PostgreSQL's "C" and SQLite's BINARY compare UTF-8 bytes.
    /// </summary>
    static string Collation(bool postgres) => postgres ? "C" : "BINARY";

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
                // An organisation without a unit is an office: it names no kept row (an organisation never changes kind).
                Kept = Types.Contains(a.EntityType) && !a.Action.StartsWith(Refusal.ActionPrefix)
                       && (a.EntityType != nameof(Organisation) || a.UnitId != null),
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
            await db.Database.ExecuteSqlRawAsync(InsertSql(chunk, db.ProviderName == "postgresql"), chunk.Select(r => (object)r.Name), ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>One INSERT of literal numbers; the i-th row's name is parameter {i}.</summary>
    static string InsertSql(IEnumerable<Row> rows, bool postgres)
    {
        var n = 0;
        string money(decimal d) => postgres ? d.ToString(CultureInfo.InvariantCulture) : $"'{d.ToString(CultureInfo.InvariantCulture)}'";
        string units(decimal d) => UnitsOf(d)?.ToString(CultureInfo.InvariantCulture) ?? "NULL";
        var sql = new StringBuilder($"INSERT INTO \"{Table}\" ({Columns}, {string.Join(", ", Sums.Select(c => $"\"{c}Units\", \"{c}Scale\""))}) VALUES ");
        var first = true;
        foreach (var r in rows)
        {
            if (!first) sql.Append(", ");
            first = false;
            sql.Append(CultureInfo.InvariantCulture,
                $"({r.InspectionId}, {r.UnitId}, {r.Problems}, {r.Completed}, {r.Basically}, {r.Closed}, {money(r.People)}, {money(r.RulesMade)}, {r.RuleDocuments}, {money(r.Funds)}, {money(r.Meetings)}, {r.Rate}, {r.RoundId?.ToString(CultureInfo.InvariantCulture) ?? "NULL"}, {{{n++}}}, {r.Shared}, " +
                $"{units(r.People)}, {r.People.Scale}, {units(r.RulesMade)}, {r.RulesMade.Scale}, {units(r.Funds)}, {r.Funds.Scale}, {units(r.Meetings)}, {r.Meetings.Scale})");
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
        var selected = await (
            from i in inspections
            join o in db.Organisations.AsNoTracking() on i.UnitId equals o.Id into os
            from o in os.DefaultIfEmpty()
            select new { i.Id, i.UnitId, i.RoundId, Name = o.Name ?? "?" }).ToListAsync(ct);
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

        // Every inspection of a unit is computed together, so the others of its round are here.
        var shared = selected.Where(i => i.RoundId is not null).GroupBy(i => (i.UnitId, i.RoundId)).Where(g => g.Count() > 1)
            .SelectMany(g => g.Select(i => i.Id)).ToHashSet();
        return [.. selected.Select(i =>
        {
            var f = counts.GetValueOrDefault(i.Id, CompletionFigures.Zero);
            var o = outcomes.GetValueOrDefault(i.Id, OutcomeTotals.Zero);
            return new Row(i.Id, i.UnitId, f.Problems, f.Completed, f.BasicallyCompleted, f.Closed,
                o.PeopleHandled, o.RulesMade, rules.GetValueOrDefault(i.Id), o.FundsYuan, o.Meetings, RateKey(f), i.RoundId, i.Name, shared.Contains(i.Id) ? 1 : 0);
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
                units.Add(UnitFigures.Of(unit.Key, i.Name ?? "?", CompletionFigures.Of(i.Problems!.Value, i.Completed!.Value, i.Basically!.Value, i.Closed!.Value),
                    new OutcomeTotals(i.People!.Value, i.RulesMade!.Value, i.RuleDocuments!.Value, i.Funds!.Value, i.Meetings!.Value)));
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
    /// first rows in the figures' order (<see cref="UnitOrder.InUnitOrder"/>) from <see cref="Offset"/> on.
    /// </summary>
    public sealed record KeptPage(CompletionFigures Figures, OutcomeTotals Outcomes, int UnitCount, IReadOnlyList<UnitFigures> Units,
        int Offset, IReadOnlySet<long> Changed);

    /// <summary>Sums of the kept rows of the selected inspections (an aggregate query's one row).</summary>
    sealed record Totals(long Selected, long SelectedIds, long Rows, long Ids, long Shared, long Inexact, long Problems, long Completed, long Basically, long Closed, long RuleDocuments,
        long PeopleUnits, long RulesMadeUnits, long FundsUnits, long MeetingsUnits,
        int PeopleScale, int RulesMadeScale, int FundsScale, int MeetingsScale);

    /// <summary>
    /// The kept rows of a round's inspections (inside the caller's scope, and of <paramref name="unitIds"/> when given)
    /// summed, and <paramref name="take"/> of them from <paramref name="offset"/> in the figures' order: the database
    /// sums them, and reads the page through the index in that order (<c>IX_KeptFigures_Page</c>), so only a page of rows
    /// comes back and, in PostgreSQL, only a page of index entries is read. The same selection of inspections (that of
    /// <see cref="GetRoundFigures.Inspections"/>) is counted and its ids summed: the kept rows are used only when they
    /// match, none marked <see cref="Row.Shared"/>. Call inside a snapshot (<see cref="ReadSnapshot"/>). Units changed after
    /// the head are left out of both (the caller computes them and merges them in: the page then starts at 0 and holds
    /// <paramref name="offset"/> + <paramref name="take"/> rows, so that every row that may precede them is there).
    /// Null when the kept rows cannot be used (the caller reads every row, <see cref="ReadAsync"/>).
    /// </summary>
    public static async Task<KeptPage?> PageAsync(RectifyDb db, long roundId, IReadOnlyList<long>? unitIds, int offset, int take, CancellationToken ct)
    {
        if (await ChangedSinceHeadAsync(db, ct) is not { } changed) return null;
        var postgres = db.ProviderName == "postgresql";
        // The round's rows in the caller's scope (the filter every unit's row has, RectifyDb.FilterByUnit: raw SQL has
        // none), of the units asked for, without the units changed after the head: the same condition selects the kept
        // rows and the inspections (GetRoundFigures.Inspections of a round), both tables having the two columns. Lists
        // are one parameter each: an array on PostgreSQL, JSON on SQLite.
        var where = new StringBuilder("\"RoundId\" = {0}");
        List<object> parameters = [roundId];
        void Among(IEnumerable<long> ids, bool not)
        {
            var p = $"{{{parameters.Count}}}";
            where.Append(postgres ? $" AND {(not ? "NOT " : "")}\"UnitId\" = ANY({p})" : $" AND \"UnitId\" {(not ? "NOT " : "")}IN (SELECT value FROM json_each({p}))");
            parameters.Add(postgres ? ids.ToArray() : System.Text.Json.JsonSerializer.Serialize(ids));
        }
        if (!db.Scope.All) Among(db.Scope.UnitIds, not: false);
        if (unitIds is { Count: > 0 }) Among(unitIds, not: false);
        if (changed.Count > 0) Among(changed, not: true);
        // One flat aggregate of the kept rows and one of the inspections, in one command: EF's translation of a grouping
        // by a constant sorted the rows into a temporary b-tree first, twice as slow on SQLite (2.4 against 1.3 ms for
        // 2 000 rows), and the inspections' count and sum of ids were two more round trips (0.4 ms).
        var totalsSql =
                $"SELECT i.\"Selected\", i.\"SelectedIds\", k.* FROM (SELECT COUNT(*) AS \"Selected\", COALESCE(SUM(\"Id\"), 0) AS \"SelectedIds\" " +
                $"FROM \"Inspections\" WHERE {where}) AS i CROSS JOIN (SELECT {TotalsColumns} FROM \"{Table}\" WHERE {where}) AS k";
        var sums = (await db.Database.SqlQueryRaw<Totals>(totalsSql, [.. parameters]).ToListAsync(ct)).Single();
        // An inspection without a kept row of its round (new, or moved in: the count and the sum of the ids differ), a
        // unit with two, or a sum with more than 4 digits after the point or of 10 billion or more: every row is read.
        if (sums.Rows != sums.Selected || sums.Ids != sums.SelectedIds || sums.Shared > 0 || sums.Inexact > 0) return null;

        var start = changed.Count == 0 ? offset : 0;
        var count = changed.Count == 0 ? take : (int)Math.Min((long)offset + take, int.MaxValue);
        var pageSql = $"SELECT {Columns} FROM \"{Table}\" WHERE {where} ORDER BY \"Rate\", \"Name\" COLLATE \"{Collation(postgres)}\", \"UnitId\" " +
                      $"LIMIT {{{parameters.Count}}} OFFSET {{{parameters.Count + 1}}}";
        var rows = await db.Database.SqlQueryRaw<Row>(pageSql, [.. parameters, count, start]).ToListAsync(ct);
        var units = rows.Select(k => UnitFigures.Of(k.UnitId, k.Name, CompletionFigures.Of(k.Problems, k.Completed, k.Basically, k.Closed),
            new OutcomeTotals(k.People, k.RulesMade, k.RuleDocuments, k.Funds, k.Meetings))).ToList();
        return new KeptPage(CompletionFigures.Of((int)sums.Problems, (int)sums.Completed, (int)sums.Basically, (int)sums.Closed),
            new OutcomeTotals(Scaled(sums.PeopleUnits, sums.PeopleScale), Scaled(sums.RulesMadeUnits, sums.RulesMadeScale), (int)sums.RuleDocuments,
                Scaled(sums.FundsUnits, sums.FundsScale), Scaled(sums.MeetingsUnits, sums.MeetingsScale)), (int)sums.Rows, units, start, changed);
    }

    /// <summary>The aggregate of the kept rows' part of <see cref="Totals"/>, the same for every page.</summary>
    static readonly string TotalsColumns =
        "COUNT(*) AS \"Rows\", COALESCE(SUM(\"InspectionId\"), 0) AS \"Ids\", COALESCE(SUM(\"Shared\"), 0) AS \"Shared\", " +
        "COUNT(CASE WHEN " + string.Join(" OR ", Sums.Select(c => $"\"{c}Units\" IS NULL")) + " THEN 1 END) AS \"Inexact\", " +
        string.Join(", ", new[] { "Problems", "Completed", "Basically", "Closed", "RuleDocuments" }.Concat(Sums.Select(c => c + "Units"))
            .Select(c => $"COALESCE(SUM(\"{c}\"), 0) AS \"{c}\"")) + ", " +
        string.Join(", ", Sums.Select(c => $"COALESCE(MAX(\"{c}Scale\"), 0) AS \"{c}Scale\""));

    /// <summary>A sum of whole ten-thousandths as the decimal with <paramref name="scale"/> digits after the point (it has no more).</summary>
    static decimal Scaled(long units, int scale) => decimal.Round((decimal)units / UnitsPerOne, scale) + new decimal(0, 0, 0, false, (byte)scale);

    /// <summary>A row's <see cref="Row.Rate"/>: the rate as <see cref="StatusRules"/> rounds it, in hundredths of a percent.</summary>
    static int RateKey(CompletionFigures f) => (int)(f.Rate * 100);
}
