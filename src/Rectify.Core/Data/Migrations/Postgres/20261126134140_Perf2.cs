using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Perf2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_UnitId_Sequence",
                table: "AuditEvents",
                columns: new[] { "UnitId", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AuditEvents_UnitId_Sequence",
                table: "AuditEvents");
        }
    }
}
