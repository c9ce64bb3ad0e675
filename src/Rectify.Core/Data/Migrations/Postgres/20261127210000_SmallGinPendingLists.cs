using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;
using Rectify.Core.Supervision;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Small pending lists for the GIN indexes of the search (<see cref="PostgresTextSearch.GinPendingListKb"/> instead of
    /// 4 MB). New entries wait in a GIN index's pending list until a vacuum or an insert that overflows it merges them,
    /// and every search through the index reads the whole list: at province size, with the lists of the weekly reports'
    /// indexes full, each indexed statement of a search spent 8–20 ms there (a search runs up to a dozen), against 0.1 ms
    /// for the index itself. The lists present are merged now. No model change.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261127210000_SmallGinPendingLists")]
    public partial class SmallGinPendingLists : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var index in PostgresTextSearch.GinIndexes())
            {
                migrationBuilder.Sql($"ALTER INDEX \"{index}\" SET (gin_pending_list_limit = {PostgresTextSearch.GinPendingListKb});");
                migrationBuilder.Sql($"SELECT gin_clean_pending_list('\"{index}\"'::regclass);");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var index in PostgresTextSearch.GinIndexes())
                migrationBuilder.Sql($"ALTER INDEX \"{index}\" RESET (gin_pending_list_limit);");
        }
    }
}
