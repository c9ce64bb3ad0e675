using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Settings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Settings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    ReportDueDay = table.Column<int>(type: "integer", nullable: true),
                    ReportDueTime = table.Column<TimeOnly>(type: "time without time zone", nullable: true),
                    GreenDays = table.Column<int>(type: "integer", nullable: true),
                    YellowDays = table.Column<int>(type: "integer", nullable: true),
                    YellowForMissedReport = table.Column<bool>(type: "boolean", nullable: true),
                    ImmediateDeadlineDays = table.Column<int>(type: "integer", nullable: true),
                    LongTermRecheckMonths = table.Column<int>(type: "integer", nullable: true),
                    MaxEvidenceMegabytes = table.Column<int>(type: "integer", nullable: true),
                    PlanMonths = table.Column<int>(type: "integer", nullable: true),
                    ReportMonths = table.Column<int>(type: "integer", nullable: true),
                    FocusedRectificationMonths = table.Column<int>(type: "integer", nullable: true),
                    DisclosureMonths = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Settings", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Settings");
        }
    }
}
