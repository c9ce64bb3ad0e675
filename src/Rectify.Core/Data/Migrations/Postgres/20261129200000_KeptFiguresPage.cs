using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Each kept row's completion rate as StatusRules rounds it, its round and its unit's name, and an index in the order
    /// of a page of a round's units (<see cref="Supervision.KeptFigures.PageAsync"/>). The head is forgotten: the keeper
    /// computes every row again. No model change.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261129200000_KeptFiguresPage")]
    public partial class KeptFiguresPage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Supervision.KeptFigures.AddPageColumnsSql(postgres: true)) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Supervision.KeptFigures.DropPageColumnsSql) migrationBuilder.Sql(sql);
        }
    }
}
