using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Search terms of one or two characters through the trigram index: every text in the search table ends with two
    /// spaces, so each of its characters begins at least one trigram, and the vocabulary table "SearchVocab" lists the
    /// index's trigrams with their row counts. A short term is looked up as the trigrams that begin with it (a range of
    /// the vocabulary), instead of scanning the tables. No model change.
    /// </summary>
    [DbContext(typeof(SqliteRectifyDb))]
    [Migration("20261127040000_SearchShort")]
    public partial class SearchShort : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Office2.RebuildSearch(migrationBuilder, byRowid: true, pad: "  ");
            migrationBuilder.Sql("CREATE VIRTUAL TABLE \"SearchVocab\" USING fts5vocab('SearchText', 'row');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"SearchVocab\";");
            Office2.RebuildSearch(migrationBuilder, byRowid: true);
        }
    }
}
