using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Nothing to do on SQLite: the PostgreSQL migration of this name adds indexes of character pairs for two-character
    /// search terms, which SQLite finds through its trigram index's vocabulary (SearchShort). It exists so that both
    /// providers' migrations keep the same names, which a backup or migrate-db checks across providers.
    /// </summary>
    [DbContext(typeof(SqliteRectifyDb))]
    [Migration("20261127130000_SearchPairs")]
    public partial class SearchPairs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
