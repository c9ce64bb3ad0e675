using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Full-text search (PostgreSQL only): pg_trgm and GIN trigram indexes on the searched text of problems, measures,
    /// progress reports and rules. The expressions must stay identical to those in PostgresTextSearch.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261126113000_Search")]
    public partial class Search : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.Sql("CREATE INDEX \"IX_Problems_search\" ON \"Problems\" USING gin ((coalesce(\"Title\",'') || ' ' || coalesce(\"Description\",'')) gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX \"IX_Measures_search\" ON \"Measures\" USING gin ((coalesce(\"Text\",'') || ' ' || coalesce(\"Progress\",'')) gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX \"IX_ProgressReports_search\" ON \"ProgressReports\" USING gin ((coalesce(\"Done\",'') || ' ' || coalesce(\"NextStep\",'')) gin_trgm_ops);");
            migrationBuilder.Sql("CREATE INDEX \"IX_Rules_search\" ON \"Rules\" USING gin ((coalesce(\"Title\",'') || ' ' || coalesce(\"Reference\",'')) gin_trgm_ops);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var t in new[] { "Problems", "Measures", "ProgressReports", "Rules" })
                migrationBuilder.Sql($"DROP INDEX IF EXISTS \"IX_{t}_search\";");
        }
    }
}
