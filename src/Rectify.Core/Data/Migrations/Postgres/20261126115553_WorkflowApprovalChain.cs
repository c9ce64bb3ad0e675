using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WorkflowApprovalChain : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ApprovalChain",
                table: "Organisations",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ApprovalChain",
                table: "Organisations");
        }
    }
}
