namespace Rectify.Core.Data;

/// <summary>
/// The table <c>"ProblemCounts"</c>: how many problems each inspection has per (unit, bit set of their measures'
/// statuses <see cref="ProblemMasks"/>, stated status while that set is empty), kept by triggers on "Problems"
/// (migration <c>FigureCounts</c>). The round-wide figures sum these rows instead of grouping the round's problems
/// (issue 8's incremental counters): at most one row per (inspection, bit set), read from a narrow table — at province
/// size 48 730 rows for 80 000 problems (the generated statuses are varied), fewer where most problems are done.
/// <para>Like the bit set, the table is not in the EF model: no code writes it, and it is not in a backup (a restore
/// inserts the problems, and the triggers count them). Every write to "Problems" goes through the triggers: EF saves,
/// the masks' own triggers, PostgreSQL COPY (statement triggers with transition tables) and SQLite's bulk load (the
/// insert trigger is an upsert, which <see cref="Performance.SqliteBulkLoad"/> leaves in place, so it fires per row).
/// A later SQLite migration that rebuilds "Problems" drops these triggers with the old table: it must run
/// <see cref="SqliteTriggers"/> again and <see cref="RecomputeAllSql"/>; the figures tests that compare the counters
/// with the problems fail otherwise. On PostgreSQL two transactions that change problems of the same inspection wait
/// for each other on its counter rows (app writers are serialised by the audit-chain lock anyway; the generator and a
/// restore write their own inspections); the upsert adds to the row it finds, so concurrent writers cannot lose a count.</para>
/// </summary>
public static class ProblemCounts
{
    public const string Table = "ProblemCounts";

    /// <summary>"Stated" when it does not apply (a problem with measures) or none was stated: keys cannot be NULL.</summary>
    public const int NoStated = -1;

    const string Keys = "\"InspectionId\", \"UnitId\", \"Mask\", \"Stated\"";

    /// <summary>The key columns of a problem row (<paramref name="row"/>: NEW, OLD or a table alias), in <see cref="Keys"/> order.</summary>
    static string KeyOf(string row) =>
        $"{row}.\"InspectionId\", {row}.\"UnitId\", {row}.\"{ProblemMasks.Column}\", " +
        $"CASE WHEN {row}.\"{ProblemMasks.Column}\" = 0 THEN COALESCE({row}.\"StatedStatus\", {NoStated}) ELSE {NoStated} END";

    static string Upsert(string table) => $" ON CONFLICT ({Keys}) DO UPDATE SET \"Count\" = {table}.\"Count\" + excluded.\"Count\";";

    /// <summary>The table, on both providers: one row per key with problems (a row that falls to 0 is deleted, so the
    /// table is the same however its problems were written — row by row or in bulk).</summary>
    public static string CreateTableSql(bool postgres)
    {
        var (id, number) = postgres ? ("bigint", "integer") : ("INTEGER", "INTEGER");
        return $"CREATE TABLE \"{Table}\" (\"InspectionId\" {id} NOT NULL, \"UnitId\" {id} NOT NULL, \"Mask\" {number} NOT NULL, " +
               $"\"Stated\" {number} NOT NULL, \"Count\" {number} NOT NULL, PRIMARY KEY ({Keys}));";
    }

    public const string DropTableSql = $"DROP TABLE IF EXISTS \"{Table}\";";

    /// <summary>Counts every problem again (the migration's fill; a repair after a manual edit).</summary>
    public static string RecomputeAllSql =>
        $"DELETE FROM \"{Table}\"; INSERT INTO \"{Table}\" ({Keys}, \"Count\") SELECT {KeyOf("p")}, COUNT(*) FROM \"Problems\" p GROUP BY {KeyOf("p")};";

    static readonly string[] TriggerNames = ["ProblemCounts_Problems_ai", "ProblemCounts_Problems_au", "ProblemCounts_Problems_ad"];

    /// <summary>SQLite row triggers: a problem inserted adds 1 to its key, deleted takes 1 off, updated moves it.</summary>
    public static IEnumerable<string> SqliteTriggers
    {
        get
        {
            string add(string row, int n) => $"INSERT INTO \"{Table}\" ({Keys}, \"Count\") VALUES ({KeyOf(row)}, {n}){Upsert($"\"{Table}\"")}";
            var watched = $"\"InspectionId\", \"UnitId\", \"{ProblemMasks.Column}\", \"StatedStatus\"";
            var emptied = $"DELETE FROM \"{Table}\" WHERE \"InspectionId\" = OLD.\"InspectionId\" AND \"Count\" = 0;";
            return
            [
                $"CREATE TRIGGER \"{TriggerNames[0]}\" AFTER INSERT ON \"Problems\" BEGIN {add("NEW", 1)} END;",
                $"CREATE TRIGGER \"{TriggerNames[1]}\" AFTER UPDATE OF {watched} ON \"Problems\" " +
                $"WHEN ({KeyOf("OLD")}) IS NOT ({KeyOf("NEW")}) BEGIN {add("OLD", -1)} {add("NEW", 1)} {emptied} END;",
                $"CREATE TRIGGER \"{TriggerNames[2]}\" AFTER DELETE ON \"Problems\" BEGIN {add("OLD", -1)} {emptied} END;",
            ];
        }
    }

    public static IEnumerable<string> SqliteDrop => TriggerNames.Select(n => $"DROP TRIGGER IF EXISTS \"{n}\";");

    /// <summary>
    /// PostgreSQL: one function for statement-level triggers with transition tables — a COPY of 80 000 problems, or the
    /// masks' UPDATE of 80 000 after a COPY of measures, is one grouped upsert. An update counts the old rows' keys -1
    /// and the new rows' +1 and writes only the keys whose sum is not 0 (an edit of a problem's text writes nothing);
    /// keys left at 0 are deleted.
    /// </summary>
    public static IEnumerable<string> PostgresTriggers
    {
        get
        {
            string add(string rows) =>
                $"INSERT INTO \"{Table}\" AS c ({Keys}, \"Count\") SELECT \"InspectionId\", \"UnitId\", \"Mask\", \"Stated\", SUM(d) FROM ({rows}) x " +
                $"GROUP BY \"InspectionId\", \"UnitId\", \"Mask\", \"Stated\" HAVING SUM(d) <> 0 ORDER BY 1, 2, 3, 4{Upsert("c")}";
            string rowsOf(string table, int d) => $"SELECT {KeyOf("t")}, {d} AS d FROM {table} t";
            // The CASE of KeyOf has no name: name the columns for the outer query.
            string named(string sql) => $"SELECT * FROM ({sql}) k(\"InspectionId\", \"UnitId\", \"Mask\", \"Stated\", d)";
            // Only keys of old rows can fall to 0: looked up through the primary key's first column.
            var emptied = $"DELETE FROM \"{Table}\" WHERE \"Count\" = 0 AND \"InspectionId\" IN (SELECT DISTINCT \"InspectionId\" FROM old_rows);";
            var function = "CREATE OR REPLACE FUNCTION rectify_problem_counts() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
                           $"IF TG_OP = 'INSERT' THEN {add(named(rowsOf("new_rows", 1)))} " +
                           $"ELSIF TG_OP = 'DELETE' THEN {add(named(rowsOf("old_rows", -1)))} {emptied} " +
                           $"ELSE {add(named($"{rowsOf("new_rows", 1)} UNION ALL {rowsOf("old_rows", -1)}"))} {emptied} END IF; RETURN NULL; END $$;";
            return
            [
                function,
                $"CREATE TRIGGER \"{TriggerNames[0]}\" AFTER INSERT ON \"Problems\" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_counts();",
                $"CREATE TRIGGER \"{TriggerNames[1]}\" AFTER UPDATE ON \"Problems\" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_counts();",
                $"CREATE TRIGGER \"{TriggerNames[2]}\" AFTER DELETE ON \"Problems\" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rectify_problem_counts();",
            ];
        }
    }

    public static IEnumerable<string> PostgresDrop =>
        [.. TriggerNames.Select(n => $"DROP TRIGGER IF EXISTS \"{n}\" ON \"Problems\";"), "DROP FUNCTION IF EXISTS rectify_problem_counts();"];
}
