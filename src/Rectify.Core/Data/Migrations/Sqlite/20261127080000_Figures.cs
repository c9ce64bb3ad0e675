using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Each problem's bit set of measure statuses, kept by triggers on "Measures" (<see cref="ProblemMasks"/>), for the
    /// round-wide figures. The search table's update triggers now fire only when a searched text or the unit changes,
    /// so setting the bit set (or a measure's status) does not rewrite the problem's text in the index. No model change.
    /// </summary>
    [DbContext(typeof(SqliteRectifyDb))]
    [Migration("20261127080000_Figures")]
    public partial class Figures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"ALTER TABLE \"Problems\" ADD COLUMN \"{ProblemMasks.Column}\" INTEGER NOT NULL DEFAULT 0;");
            Office2.DropSearchTriggers(migrationBuilder);
            Office2.CreateSearchTriggers(migrationBuilder, byRowid: true, pad: "  ", updateOfText: true);
            foreach (var sql in ProblemMasks.SqliteTriggers) migrationBuilder.Sql(sql);
            migrationBuilder.Sql(ProblemMasks.RecomputeAllSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in ProblemMasks.SqliteDrop) migrationBuilder.Sql(sql);
            Office2.DropSearchTriggers(migrationBuilder);
            Office2.CreateSearchTriggers(migrationBuilder, byRowid: true, pad: "  ");
            migrationBuilder.Sql($"ALTER TABLE \"Problems\" DROP COLUMN \"{ProblemMasks.Column}\";");
        }
    }
}
