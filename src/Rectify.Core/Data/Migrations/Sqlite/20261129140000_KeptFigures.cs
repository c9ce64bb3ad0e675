using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Supervision;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// The round figures of every inspection, kept as the data changes (<see cref="KeptFigures"/>): two tables, empty;
    /// the server's keeper fills them on its first pass. No model change.
    /// </summary>
    [DbContext(typeof(SqliteRectifyDb))]
    [Migration("20261129140000_KeptFigures")]
    public partial class KeptFigures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Supervision.KeptFigures.CreateTablesSql(postgres: false)) migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Supervision.KeptFigures.DropTablesSql) migrationBuilder.Sql(sql);
        }
    }
}
