using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Nothing to do on SQLite: the PostgreSQL migration of this name shrinks the pending lists of its GIN search
    /// indexes; SQLite's full-text table has none. It exists so that both providers' migrations keep the same names,
    /// which a backup or migrate-db checks across providers.
    /// </summary>
    [DbContext(typeof(SqliteRectifyDb))]
    [Migration("20261127210000_SmallGinPendingLists")]
    public partial class SmallGinPendingLists : Migration
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
