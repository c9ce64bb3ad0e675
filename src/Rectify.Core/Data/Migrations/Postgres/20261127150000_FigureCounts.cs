using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Counters of problems per (inspection, unit, bit set of measure statuses, stated status), kept by triggers on
    /// "Problems" (<see cref="ProblemCounts"/>), filled from the problems. The round-wide figures read them instead of
    /// grouping every problem of the round. No model change.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261127150000_FigureCounts")]
    public partial class FigureCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(ProblemCounts.CreateTableSql(postgres: true));
            foreach (var sql in ProblemCounts.PostgresTriggers) migrationBuilder.Sql(sql);
            migrationBuilder.Sql(ProblemCounts.RecomputeAllSql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in ProblemCounts.PostgresDrop) migrationBuilder.Sql(sql);
            migrationBuilder.Sql(ProblemCounts.DropTableSql);
        }
    }
}
