using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Full-text search (SQLite only): one FTS5 table with the trigram tokenizer over problems, measures, progress reports
    /// and rules, kept in sync by triggers. No model change: the table is read with raw SQL by SqliteTextSearch.
    /// </summary>
    [DbContext(typeof(SqliteRectifyDb))]
    [Migration("20261126113000_Search")]
    public partial class Search : Migration
    {
        static readonly (string Table, string Kind, string Body)[] Sources =
        [
            ("Problems", "problem", "coalesce({0}.\"Title\",'') || ' ' || coalesce({0}.\"Description\",'')"),
            ("Measures", "measure", "coalesce({0}.\"Text\",'') || ' ' || coalesce({0}.\"Progress\",'')"),
            ("ProgressReports", "report", "coalesce({0}.\"Done\",'') || ' ' || coalesce({0}.\"NextStep\",'')"),
            ("Rules", "rule", "coalesce({0}.\"Title\",'') || ' ' || coalesce({0}.\"Reference\",'')"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE VIRTUAL TABLE \"SearchText\" USING fts5(body, kind UNINDEXED, ref_id UNINDEXED, unit_id UNINDEXED, tokenize='trigram');");
            foreach (var (table, kind, body) in Sources)
            {
                var n = string.Format(body, "NEW");
                migrationBuilder.Sql($"INSERT INTO \"SearchText\"(body, kind, ref_id, unit_id) SELECT {string.Format(body, "t")}, '{kind}', t.\"Id\", t.\"UnitId\" FROM \"{table}\" t;");
                migrationBuilder.Sql($"CREATE TRIGGER \"SearchText_{table}_ai\" AFTER INSERT ON \"{table}\" BEGIN INSERT INTO \"SearchText\"(body, kind, ref_id, unit_id) VALUES ({n}, '{kind}', NEW.\"Id\", NEW.\"UnitId\"); END;");
                migrationBuilder.Sql($"CREATE TRIGGER \"SearchText_{table}_au\" AFTER UPDATE ON \"{table}\" BEGIN DELETE FROM \"SearchText\" WHERE kind = '{kind}' AND ref_id = OLD.\"Id\"; INSERT INTO \"SearchText\"(body, kind, ref_id, unit_id) VALUES ({n}, '{kind}', NEW.\"Id\", NEW.\"UnitId\"); END;");
                migrationBuilder.Sql($"CREATE TRIGGER \"SearchText_{table}_ad\" AFTER DELETE ON \"{table}\" BEGIN DELETE FROM \"SearchText\" WHERE kind = '{kind}' AND ref_id = OLD.\"Id\"; END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _, _) in Sources)
                foreach (var suffix in new[] { "ai", "au", "ad" })
                    migrationBuilder.Sql($"DROP TRIGGER IF EXISTS \"SearchText_{table}_{suffix}\";");
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"SearchText\";");
        }
    }
}
