using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Each problem's bit set of measure statuses, kept by statement-level triggers on "Measures"
    /// (<see cref="ProblemMasks"/>), for the round-wide figures. No model change.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261127080000_Figures")]
    public partial class Figures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"ALTER TABLE \"Problems\" ADD COLUMN \"{ProblemMasks.Column}\" integer NOT NULL DEFAULT 0;");
            // Triggers first: creating them locks "Measures" until the migration commits, so no measure written by a
            // running server can fall between the fill and the triggers.
            foreach (var sql in ProblemMasks.PostgresTriggers) migrationBuilder.Sql(sql);
            migrationBuilder.Sql(ProblemMasks.RecomputeAllSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in ProblemMasks.PostgresDrop) migrationBuilder.Sql(sql);
            migrationBuilder.Sql($"ALTER TABLE \"Problems\" DROP COLUMN \"{ProblemMasks.Column}\";");
        }
    }
}
