using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Nothing to do on SQLite: the PostgreSQL migration of this name lets the ids of an inspection's problems and
    /// measures be read from an index alone, which SQLite's indexes on "InspectionId" already allow (they hold the row
    /// id, which "Id" is). It exists so that both providers' migrations keep the same names, which a backup or
    /// migrate-db checks across providers.
    /// </summary>
    [DbContext(typeof(SqliteRectifyDb))]
    [Migration("20261127160000_CoveringInspectionIndexes")]
    public partial class CoveringInspectionIndexes : Migration
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
