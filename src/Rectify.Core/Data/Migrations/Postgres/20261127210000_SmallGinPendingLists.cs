using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Small pending lists for the GIN indexes of the search (256 kB instead of 4 MB; <c>PostgresTextSearch.GinPendingListKb</c>). New entries wait in a GIN index's pending list until a vacuum or an insert that overflows it merges them,
    /// and every search through the index reads the whole list: at province size, with the lists of the weekly reports'
    /// indexes full, each indexed statement of a search spent 8–20 ms there (a search runs up to a dozen), against 0.1 ms
    /// for the index itself. The lists present are merged now. No model change.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261127210000_SmallGinPendingLists")]
    public partial class SmallGinPendingLists : Migration
    {
        /// <summary>The GIN indexes of migrations Search, SearchShort and SearchPairs, as they stand when this one runs.</summary>
        static readonly string[] Indexes =
        [
            "IX_Problems_search", "IX_Measures_search", "IX_ProgressReports_search", "IX_Rules_search",
            "IX_Problems_chars", "IX_Measures_chars", "IX_ProgressReports_chars", "IX_Rules_chars",
            "IX_Problems_pairs", "IX_Measures_pairs", "IX_Rules_pairs",
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var index in Indexes)
            {
                migrationBuilder.Sql($"ALTER INDEX \"{index}\" SET (gin_pending_list_limit = 256);");
                migrationBuilder.Sql($"DO $$ BEGIN PERFORM gin_clean_pending_list('\"{index}\"'::regclass); END $$;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var index in Indexes)
                migrationBuilder.Sql($"ALTER INDEX \"{index}\" RESET (gin_pending_list_limit);");
        }
    }
}
