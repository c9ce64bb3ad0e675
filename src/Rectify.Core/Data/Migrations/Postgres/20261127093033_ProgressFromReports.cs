using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// A measure's progress line is read from its newest report (<see cref="Ledger.MeasureProgress"/>) instead of being
    /// copied into the measure by every report. Existing measures already hold their newest report's line (or a later
    /// text written by hand): they are marked as written after all their reports, so they show what they showed.
    /// </summary>
    public partial class ProgressFromReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ProgressAsOfReportId",
                table: "Measures",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProgressReports_MeasureId_Id",
                table: "ProgressReports",
                columns: new[] { "MeasureId", "Id" });

            migrationBuilder.Sql(Ledger.MeasureProgress.MarkAllWrittenSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ProgressReports_MeasureId_Id",
                table: "ProgressReports");

            migrationBuilder.DropColumn(
                name: "ProgressAsOfReportId",
                table: "Measures");
        }
    }
}
