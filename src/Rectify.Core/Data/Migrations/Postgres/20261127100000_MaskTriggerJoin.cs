using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Rectify.Core.Data;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <summary>
    /// Replaces the trigger function of migration Figures: an UPDATE of a measure recounted its problem through a plan
    /// that scanned every problem (~0.4 s per statement at 80 000 problems); now through the primary key
    /// (<see cref="ProblemMasks.PostgresFunction"/>). No model change; SQLite's row triggers were not affected.
    /// </summary>
    [DbContext(typeof(PostgresRectifyDb))]
    [Migration("20261127100000_MaskTriggerJoin")]
    public partial class MaskTriggerJoin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(ProblemMasks.PostgresFunction);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The earlier function computed the same bit sets, only slower: nothing to undo.
        }
    }
}
