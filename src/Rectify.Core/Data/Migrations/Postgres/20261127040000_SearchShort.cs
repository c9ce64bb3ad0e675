using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;
using Rectify.Core.Supervision;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Search terms of one or two characters, which yield no trigram: a GIN index of the characters of each searched text
    /// (<c>string_to_array(lower(text), NULL)</c>, the expression PostgresTextSearch queries), with a larger statistics
    /// target so that the planner knows which characters are rare. No model change.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261127040000_SearchShort")]
    public partial class SearchShort : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, body) in TextSearch.Sources.Values)
            {
                migrationBuilder.Sql($"CREATE INDEX \"IX_{table}_chars\" ON \"{table}\" USING gin ({PostgresTextSearch.Characters(body)});");
                migrationBuilder.Sql($"ALTER INDEX \"IX_{table}_chars\" ALTER COLUMN 1 SET STATISTICS 1000;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in TextSearch.Sources.Values)
                migrationBuilder.Sql($"DROP INDEX IF EXISTS \"IX_{table}_chars\";");
        }
    }
}
