namespace Rectify.Core.Data;

/// <summary>
/// Each problem's <c>"MeasureMask"</c>: the bit set of its measures' statuses (bit <c>1 &lt;&lt; status</c>; 0 while it
/// has no measure), kept in the database by triggers on "Measures" (migration <c>Figures</c>), so that the round-wide
/// figures group 80 000 problem rows instead of 240 000 measures. A problem's status depends only on which statuses its
/// measures have (<see cref="Ledger.StatusRules"/>), so the bit set is all the figures need of them.
/// <para>The column is not in the EF model: no code writes it, every write path maintains it — EF saves, the
/// generator's bulk loads (PostgreSQL COPY fires the statement triggers; <see cref="Performance.SqliteBulkLoad"/> runs
/// <see cref="SqliteBulkSql"/> once over the loaded rows) and restores from a backup (rows inserted as usual).
/// EF's SQLite provider rebuilds a table for some later migrations (altering or dropping a column, a new foreign key)
/// and copies only the columns of its model: a migration that rebuilds "Problems" loses this column (and then every
/// write to "Measures" fails on the triggers), one that rebuilds "Measures" loses the triggers. Such a migration must
/// add the column again, run <see cref="SqliteTriggers"/> and <see cref="RecomputeAllSql"/>; the test
/// <c>ProblemMasks_FollowEveryWriteToMeasures_AndTheFiguresUseThem</c> fails otherwise.</para>
/// </summary>
public static class ProblemMasks
{
    public const string Column = "MeasureMask";

    /// <summary>The bit set of the statuses of the measures of problem <paramref name="problemId"/> (an SQL expression);
    /// the sum of the distinct powers of two is their bitwise OR, on both providers.</summary>
    public static string Of(string problemId) =>
        $"(SELECT COALESCE(SUM(DISTINCT 1 << m.\"Status\"), 0) FROM \"Measures\" m WHERE m.\"ProblemId\" = {problemId})";

    /// <summary>
    /// The one statement every path uses: recounts the bit set of the problems whose id satisfies
    /// <paramref name="idCondition"/> (an SQL condition on <c>"Id"</c>), writing only those that changed.
    /// </summary>
    static string Recount(string idCondition) =>
        $"UPDATE \"Problems\" SET \"{Column}\" = {Of("\"Problems\".\"Id\"")} WHERE {idCondition} AND \"{Column}\" <> {Of("\"Problems\".\"Id\"")};";

    /// <summary>Sets every problem's bit set from its measures (the migrations' fill; a repair after a manual edit).</summary>
    public static string RecomputeAllSql => Recount("TRUE");

    /// <summary>The triggers on "Measures": after insert, update (status or problem) and delete.</summary>
    static readonly string[] TriggerNames = ["ProblemMask_Measures_ai", "ProblemMask_Measures_au", "ProblemMask_Measures_ad"];

    public static string SqliteInsertTrigger => TriggerNames[0];

    /// <summary>SQLite: after a measure is inserted, updated (status or problem) or deleted, its problems' bit sets.</summary>
    public static IEnumerable<string> SqliteTriggers =>
    [
        $"CREATE TRIGGER \"{TriggerNames[0]}\" AFTER INSERT ON \"Measures\" BEGIN {Recount("\"Id\" = NEW.\"ProblemId\"")} END;",
        $"CREATE TRIGGER \"{TriggerNames[1]}\" AFTER UPDATE OF \"Status\", \"ProblemId\" ON \"Measures\" BEGIN {Recount("\"Id\" IN (NEW.\"ProblemId\", OLD.\"ProblemId\")")} END;",
        $"CREATE TRIGGER \"{TriggerNames[2]}\" AFTER DELETE ON \"Measures\" BEGIN {Recount("\"Id\" = OLD.\"ProblemId\"")} END;",
    ];

    public static IEnumerable<string> SqliteDrop => TriggerNames.Select(n => $"DROP TRIGGER IF EXISTS \"{n}\";");

    /// <summary>SQLite bulk load: the insert trigger's effect once for every measure from id <c>$first</c> on.</summary>
    public static string SqliteBulkSql => Recount("\"Id\" IN (SELECT \"ProblemId\" FROM \"Measures\" WHERE \"Id\" >= $first)");

    /// <summary>
    /// PostgreSQL: one function for statement-level triggers with transition tables (a COPY of 240 000 measures updates
    /// each problem once, not once per row). Writers are serialised by the audit-chain lock, so the recount sees every
    /// committed measure of the problem.
    /// </summary>
    public static IEnumerable<string> PostgresTriggers =>
    [
        PostgresFunction,
        $"CREATE TRIGGER \"{TriggerNames[0]}\" AFTER INSERT ON \"Measures\" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_masks();",
        $"CREATE TRIGGER \"{TriggerNames[1]}\" AFTER UPDATE ON \"Measures\" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_masks();",
        $"CREATE TRIGGER \"{TriggerNames[2]}\" AFTER DELETE ON \"Measures\" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_masks();",
    ];

    /// <summary>
    /// The trigger function. An update recounts only the problems of measures whose status or problem changed, found as
    /// ONE set (a UNION) so that PostgreSQL joins it to the problems' primary key: the earlier form, an OR of two
    /// IN-subqueries over the transition tables, scanned all problems and cost ~0.4 s per UPDATE of a measure at
    /// 80 000 problems (migration MaskTriggerJoin replaces it).
    /// </summary>
    public static string PostgresFunction
    {
        get
        {
            const string moved = "FROM new_rows n JOIN old_rows o ON o.\"Id\" = n.\"Id\" WHERE n.\"Status\" <> o.\"Status\" OR n.\"ProblemId\" <> o.\"ProblemId\"";
            return "CREATE OR REPLACE FUNCTION rectify_problem_masks() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
                $"IF TG_OP = 'INSERT' THEN {Recount("\"Id\" IN (SELECT \"ProblemId\" FROM new_rows)")} " +
                $"ELSIF TG_OP = 'DELETE' THEN {Recount("\"Id\" IN (SELECT \"ProblemId\" FROM old_rows)")} " +
                $"ELSE {Recount($"\"Id\" IN (SELECT n.\"ProblemId\" {moved} UNION SELECT o.\"ProblemId\" {moved})")} END IF; RETURN NULL; END $$;";
        }
    }

    public static IEnumerable<string> PostgresDrop =>
        [.. TriggerNames.Select(n => $"DROP TRIGGER IF EXISTS \"{n}\" ON \"Measures\";"), "DROP FUNCTION IF EXISTS rectify_problem_masks();"];
}
