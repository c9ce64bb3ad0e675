using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Each kept row's completion rate as StatusRules rounds it, the order of a page of units in SQL
    /// (<see cref="Supervision.KeptFigures.PageAsync"/>). The head is forgotten: the keeper computes every row again.
    /// No model change.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261129200000_KeptFiguresRate")]
    public partial class KeptFiguresRate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Supervision.KeptFigures.AddRateSql) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Supervision.KeptFigures.DropRateSql) migrationBuilder.Sql(sql);
        }
    }
}
