using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CarryOver : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "CarriedFromProblemId",
                table: "Problems",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Problems_CarriedFromProblemId",
                table: "Problems",
                column: "CarriedFromProblemId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Problems_CarriedFromProblemId",
                table: "Problems");

            migrationBuilder.DropColumn(
                name: "CarriedFromProblemId",
                table: "Problems");
        }
    }
}
