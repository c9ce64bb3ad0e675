using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rectify.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// The documents units submit to the inspection office and their joint review; and the full-text table keyed by
    /// rowid (Id × 4 + kind), so its triggers delete the old text of a changed row by rowid instead of scanning the
    /// whole table (200 ms per measure update at 200 units before).
    /// </summary>
    public partial class Office2 : Migration
    {
        static readonly (string Table, string Kind, int Code, string Body)[] Sources =
        [
            ("Problems", "problem", 0, "coalesce({0}.\"Title\",'') || ' ' || coalesce({0}.\"Description\",'')"),
            ("Measures", "measure", 1, "coalesce({0}.\"Text\",'') || ' ' || coalesce({0}.\"Progress\",'')"),
            ("ProgressReports", "report", 2, "coalesce({0}.\"Done\",'') || ' ' || coalesce({0}.\"NextStep\",'')"),
            ("Rules", "rule", 3, "coalesce({0}.\"Title\",'') || ' ' || coalesce({0}.\"Reference\",'')"),
        ];

        /// <summary>
        /// Recreates the search table and its triggers and fills it from the tables. <paramref name="pad"/> is appended to
        /// every body (migration SearchShort: two spaces, so that a one- or two-character term at the end of a text still
        /// begins a trigram).
        /// </summary>
        internal static void RebuildSearch(MigrationBuilder b, bool byRowid, string pad = "")
        {
            DropSearchTriggers(b);
            b.Sql("DROP TABLE IF EXISTS \"SearchText\";");
            b.Sql("CREATE VIRTUAL TABLE \"SearchText\" USING fts5(body, kind UNINDEXED, ref_id UNINDEXED, unit_id UNINDEXED, tokenize='trigram');");
            foreach (var (table, kind, code, body) in Sources)
                b.Sql($"INSERT INTO \"SearchText\"(rowid, body, kind, ref_id, unit_id) SELECT {Rowid("t", code, byRowid)}, {string.Format(Padded(body, pad), "t")}, '{kind}', t.\"Id\", t.\"UnitId\" FROM \"{table}\" t;");
            CreateSearchTriggers(b, byRowid, pad);
        }

        static string Padded(string body, string pad) => pad.Length == 0 ? body : $"{body} || '{pad}'";

        /// <summary>The search row's rowid for a row of the kind <paramref name="code"/> (Id × 4 + kind), or NULL before Office2.</summary>
        static string Rowid(string row, int code, bool byRowid) => byRowid ? $"{row}.\"Id\" * 4 + {code}" : "NULL";

        internal static void DropSearchTriggers(MigrationBuilder b)
        {
            foreach (var (table, _, _, _) in Sources)
                foreach (var suffix in new[] { "ai", "au", "ad" })
                    b.Sql($"DROP TRIGGER IF EXISTS \"SearchText_{table}_{suffix}\";");
        }

        /// <summary>
        /// The triggers that keep the search table in step with the tables. With <paramref name="updateOfText"/> the
        /// update trigger fires only when the searched text or the unit changes (migration Figures: a measure's status
        /// or a problem's status bit set changing does not rewrite its text in the index).
        /// </summary>
        internal static void CreateSearchTriggers(MigrationBuilder b, bool byRowid, string pad, bool updateOfText = false)
        {
            foreach (var (table, kind, code, body) in Sources)
            {
                var n = string.Format(Padded(body, pad), "NEW");
                var delete = byRowid ? $"DELETE FROM \"SearchText\" WHERE rowid = OLD.\"Id\" * 4 + {code};"
                    : $"DELETE FROM \"SearchText\" WHERE kind = '{kind}' AND ref_id = OLD.\"Id\";";
                var insert = $"INSERT INTO \"SearchText\"(rowid, body, kind, ref_id, unit_id) VALUES ({Rowid("NEW", code, byRowid)}, {n}, '{kind}', NEW.\"Id\", NEW.\"UnitId\");";
                // The columns the body reads, and the unit.
                var of = updateOfText
                    ? " OF " + string.Join(", ", System.Text.RegularExpressions.Regex.Matches(body, @"\{0\}\.(""\w+"")").Select(m => m.Groups[1].Value).Append("\"UnitId\""))
                    : "";
                b.Sql($"CREATE TRIGGER \"SearchText_{table}_ai\" AFTER INSERT ON \"{table}\" BEGIN {insert} END;");
                b.Sql($"CREATE TRIGGER \"SearchText_{table}_au\" AFTER UPDATE{of} ON \"{table}\" BEGIN {delete} {insert} END;");
                b.Sql($"CREATE TRIGGER \"SearchText_{table}_ad\" AFTER DELETE ON \"{table}\" BEGIN {delete} END;");
            }
        }

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            RebuildSearch(migrationBuilder, byRowid: true);
            migrationBuilder.AddColumn<string>(
                name: "ReviewChain",
                table: "Rounds",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RectificationDocuments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InspectionId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Generated = table.Column<bool>(type: "INTEGER", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: true),
                    SubmittedByUserId = table.Column<long>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Step = table.Column<int>(type: "INTEGER", nullable: false),
                    Chain = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    DecidedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RectificationDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RectificationDocuments_Inspections_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "Inspections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DocumentReviews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DocumentId = table.Column<long>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    StepIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    OfficeId = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedByUserId = table.Column<long>(type: "INTEGER", nullable: false),
                    Decision = table.Column<int>(type: "INTEGER", nullable: false),
                    Opinion = table.Column<string>(type: "TEXT", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DocumentReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DocumentReviews_RectificationDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "RectificationDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentReviews_DocumentId",
                table: "DocumentReviews",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_RectificationDocuments_InspectionId_Kind_Number",
                table: "RectificationDocuments",
                columns: new[] { "InspectionId", "Kind", "Number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            RebuildSearch(migrationBuilder, byRowid: false);
            migrationBuilder.DropTable(
                name: "DocumentReviews");

            migrationBuilder.DropTable(
                name: "RectificationDocuments");

            migrationBuilder.DropColumn(
                name: "ReviewChain",
                table: "Rounds");
        }
    }
}
