using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Nothing to do on SQLite: the PostgreSQL migration of this name replaces that provider's trigger function (SQLite's
    /// row triggers were not affected). It exists so that both providers' migrations keep the same names, which a backup
    /// or migrate-db checks across providers.
    /// </summary>
    [DbContext(typeof(SqliteRectifyDb))]
    [Migration("20261127100000_MaskTriggerJoin")]
    public partial class MaskTriggerJoin : Migration
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
