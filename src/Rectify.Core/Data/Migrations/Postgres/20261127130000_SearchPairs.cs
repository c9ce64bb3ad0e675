using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;
using Rectify.Core.Supervision;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Search terms of two characters: a GIN index of the pairs of adjacent characters of each searched text of problems,
    /// measures and rules (<c>rectify_search_pairs(lower(text))</c>, the expression PostgresTextSearch queries). Through the
    /// characters index of SearchShort a term such as 审计, absent from the measures, still handed over every measure
    /// holding both characters to be tested (80–170 ms per range at province size); its pair finds the matches alone.
    /// Weekly reports keep the characters index only (their insert is the hot write path). No model change.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261127130000_SearchPairs")]
    public partial class SearchPairs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgresTextSearch.PairsFunctionSql);
            foreach (var kind in PostgresTextSearch.PairIndexed)
            {
                var (table, body) = TextSearch.Sources[kind];
                // The default statistics target: 1 000 (as for the characters) made every ANALYZE of the measures sample
                // all 240 000 rows through the pairs function (+6.5 s), and the default already tells rare pairs from common.
                migrationBuilder.Sql($"CREATE INDEX \"IX_{table}_pairs\" ON \"{table}\" USING gin ({PostgresTextSearch.Pairs(body)});");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var kind in PostgresTextSearch.PairIndexed)
                migrationBuilder.Sql($"DROP INDEX IF EXISTS \"IX_{TextSearch.Sources[kind].Table}_pairs\";");
            migrationBuilder.Sql($"DROP FUNCTION IF EXISTS {PostgresTextSearch.PairsFunction}(text);");
        }
    }
}
