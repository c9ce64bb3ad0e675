using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    ReportDueDay = table.Column<int>(type: "INTEGER", nullable: true),
                    ReportDueTime = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    GreenDays = table.Column<int>(type: "INTEGER", nullable: true),
                    YellowDays = table.Column<int>(type: "INTEGER", nullable: true),
                    YellowForMissedReport = table.Column<bool>(type: "INTEGER", nullable: true),
                    ImmediateDeadlineDays = table.Column<int>(type: "INTEGER", nullable: true),
                    LongTermRecheckMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxEvidenceMegabytes = table.Column<int>(type: "INTEGER", nullable: true),
                    PlanMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    ReportMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    FocusedRectificationMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    DisclosureMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
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
