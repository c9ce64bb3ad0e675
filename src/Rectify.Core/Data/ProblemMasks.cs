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

    /// <summary>Sets every problem's bit set from its measures (the migration's fill; a repair after a manual edit).</summary>
    public static string RecomputeAllSql =>
        $"UPDATE \"Problems\" SET \"{Column}\" = {Of("\"Problems\".\"Id\"")} WHERE \"{Column}\" <> {Of("\"Problems\".\"Id\"")};";

    static string SqliteSet(string row) =>
        $"UPDATE \"Problems\" SET \"{Column}\" = {Of($"{row}.\"ProblemId\"")} WHERE \"Id\" = {row}.\"ProblemId\" AND \"{Column}\" <> {Of($"{row}.\"ProblemId\"")};";

    public const string SqliteInsertTrigger = "ProblemMask_Measures_ai";

    /// <summary>SQLite: after a measure is inserted, updated (status or problem) or deleted, its problems' bit sets.</summary>
    public static IEnumerable<string> SqliteTriggers =>
    [
        $"CREATE TRIGGER \"{SqliteInsertTrigger}\" AFTER INSERT ON \"Measures\" BEGIN {SqliteSet("NEW")} END;",
        $"CREATE TRIGGER \"ProblemMask_Measures_au\" AFTER UPDATE OF \"Status\", \"ProblemId\" ON \"Measures\" BEGIN {SqliteSet("NEW")} {SqliteSet("OLD")} END;",
        $"CREATE TRIGGER \"ProblemMask_Measures_ad\" AFTER DELETE ON \"Measures\" BEGIN {SqliteSet("OLD")} END;",
    ];

    public static IEnumerable<string> SqliteTriggerNames => [SqliteInsertTrigger, "ProblemMask_Measures_au", "ProblemMask_Measures_ad"];

    /// <summary>SQLite bulk load: the insert trigger's effect once for every measure from id <c>$first</c> on.</summary>
    public static string SqliteBulkSql =>
        $"UPDATE \"Problems\" SET \"{Column}\" = {Of("\"Problems\".\"Id\"")} WHERE \"Id\" IN (SELECT \"ProblemId\" FROM \"Measures\" WHERE \"Id\" >= $first);";

    /// <summary>
    /// PostgreSQL: one function for statement-level triggers with transition tables (a COPY of 240 000 measures updates
    /// each problem once, not once per row). Writers are serialised by the audit-chain lock, so the recount sees every
    /// committed measure of the problem.
    /// </summary>
    public static IEnumerable<string> PostgresTriggers
    {
        get
        {
            string Set(string ids) =>
                $"UPDATE \"Problems\" p SET \"{Column}\" = s.mask FROM (SELECT c.id, {Of("c.id")} AS mask FROM ({ids}) c) s " +
                $"WHERE p.\"Id\" = s.id AND p.\"{Column}\" <> s.mask;";
            const string changed = "SELECT n.\"ProblemId\" AS id FROM new_rows n JOIN old_rows o ON o.\"Id\" = n.\"Id\" WHERE n.\"Status\" <> o.\"Status\" OR n.\"ProblemId\" <> o.\"ProblemId\" " +
                                   "UNION SELECT o.\"ProblemId\" FROM new_rows n JOIN old_rows o ON o.\"Id\" = n.\"Id\" WHERE n.\"Status\" <> o.\"Status\" OR n.\"ProblemId\" <> o.\"ProblemId\"";
            return
            [
                "CREATE FUNCTION rectify_problem_masks() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
                $"IF TG_OP = 'INSERT' THEN {Set("SELECT DISTINCT \"ProblemId\" AS id FROM new_rows")} " +
                $"ELSIF TG_OP = 'DELETE' THEN {Set("SELECT DISTINCT \"ProblemId\" AS id FROM old_rows")} " +
                $"ELSE {Set(changed)} END IF; RETURN NULL; END $$;",
                "CREATE TRIGGER \"ProblemMask_Measures_ai\" AFTER INSERT ON \"Measures\" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_masks();",
                "CREATE TRIGGER \"ProblemMask_Measures_au\" AFTER UPDATE ON \"Measures\" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_masks();",
                "CREATE TRIGGER \"ProblemMask_Measures_ad\" AFTER DELETE ON \"Measures\" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_masks();",
            ];
        }
    }

    public static IEnumerable<string> PostgresDrop =>
    [
        "DROP TRIGGER IF EXISTS \"ProblemMask_Measures_ai\" ON \"Measures\";",
        "DROP TRIGGER IF EXISTS \"ProblemMask_Measures_au\" ON \"Measures\";",
        "DROP TRIGGER IF EXISTS \"ProblemMask_Measures_ad\" ON \"Measures\";",
        "DROP FUNCTION IF EXISTS rectify_problem_masks();",
    ];
}
