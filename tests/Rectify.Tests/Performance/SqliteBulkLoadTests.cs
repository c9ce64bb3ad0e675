using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Rectify.Core.Data;
using Rectify.Core.Performance;
using Rectify.Tests.Support;

namespace Rectify.Tests.Performance;

/// <summary>
/// The SQLite bulk path of `rectify generate` (indexes and full-text triggers dropped during the load, their work
/// redone once at the end, non-durable pragmas) must leave exactly the database a row-by-row load with indexes and
/// triggers in place leaves.
/// </summary>
public class SqliteBulkLoadTests
{
    static readonly string[] GeneratedTables =
        ["Organisations", "People", "Rounds", "Inspections", "FeedbackDocuments", "Categories", "Problems", "Measures",
         "ProgressReports", "ClosureRequests", "EvidenceFiles", "Rules", "OutcomeFigures"];

    [Fact]
    public async Task RunAsync_bulk_on_sqlite_equals_row_by_row_in_schema_rows_search_ledger_and_figures()
    {
        // The kept round figures off: the keeper fills them in the background, whenever its second comes.
        await using var bulk = await TestApp.StartAsync("sqlite", ("Rectify:Perf:KeptFiguresMilliseconds", "0"));
        await using var reference = await TestApp.StartAsync("sqlite", ("Rectify:Perf:KeptFiguresMilliseconds", "0"));
        await bulk.SeedWorldAsync();
        await reference.SeedWorldAsync();
        var size = new ProvinceSize(Units: 4, ProblemsPerUnit: 7, MeasuresPerProblem: 3, Weeks: 3, Seed: 5);
        GeneratedProvince b, r;
        await using (var db = bulk.Open())
            b = await new ProvinceGenerator(db, bulk.Clock).RunAsync(size);
        await using (var db = reference.Open())
            r = await new ProvinceGenerator(db, reference.Clock, rowByRow: true).RunAsync(size);

        // The bulk path did drop and redo the work (the reference did not).
        Assert.Contains("recreate indexes", b.Timings.Keys);
        Assert.DoesNotContain("recreate indexes", r.Timings.Keys);
        Assert.Equal(r.Rows, b.Rows);
        Assert.Equal(28, b.Rows["problems"]);

        // Schema: every table, index and trigger with the SQL the migrations wrote (rootpage and order aside).
        const string schema = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name";
        var schemaB = await Query(bulk.Db, schema);
        Assert.Contains(schemaB, s => s.Contains("IX_ProgressReports_MeasureId_Week"));
        Assert.Contains(schemaB, s => s.Contains("SearchText_ProgressReports_ai"));
        Assert.Equal(await Query(reference.Db, schema), schemaB);

        // Row counts of every table; full contents of the generated ones and of the search table (its FTS5 shadow
        // tables hold the index in segments whose layout depends on the insert order: compared through the index below).
        var tables = (await Query(bulk.Db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'SearchText_%' ORDER BY name"))
            .Select(s => s["String:".Length..]).ToList();
        Assert.Contains("AuditEvents", tables);
        foreach (var table in tables)
            Assert.Equal(await Query(reference.Db, $"SELECT '{table}', count(*) FROM \"{table}\""), await Query(bulk.Db, $"SELECT '{table}', count(*) FROM \"{table}\""));
        foreach (var table in GeneratedTables)
            Assert.Equal(await Query(reference.Db, $"SELECT * FROM \"{table}\" ORDER BY rowid"), await Query(bulk.Db, $"SELECT * FROM \"{table}\" ORDER BY rowid"));
        const string search = "SELECT rowid, body, kind, ref_id, unit_id FROM \"SearchText\" ORDER BY rowid";
        var searchB = await Query(bulk.Db, search);
        Assert.True(searchB.Count > b.Rows["progress_reports"] + b.Rows["measures"] + b.Rows["problems"], "generated rows are searchable");
        Assert.Equal(await Query(reference.Db, search), searchB);
        // The full-text index itself (not only the stored texts) answers the same, and is consistent.
        const string match = "SELECT rowid FROM \"SearchText\" WHERE \"SearchText\" MATCH '\"专题会议\"' ORDER BY rowid";
        var hits = await Query(bulk.Db, match);
        Assert.NotEmpty(hits);
        Assert.Equal(await Query(reference.Db, match), hits);
        await Query(bulk.Db, "INSERT INTO \"SearchText\"(\"SearchText\") VALUES ('integrity-check')", readOnly: false);
        Assert.Equal(["String:ok"], await Query(bulk.Db, "PRAGMA integrity_check"));
        // Back to the app's durable journal.
        Assert.Equal(["String:wal"], await Query(bulk.Db, "PRAGMA journal_mode"));

        // What users read: one unit's ledger and the round figures, byte for byte; a search over HTTP.
        var adminB = await bulk.ClientFor("admin");
        var adminR = await reference.ClientFor("admin");
        async Task Same(string url)
        {
            var x = await adminB.GetAsync(url);
            var y = await adminR.GetAsync(url);
            Assert.True(x.IsSuccessStatusCode, url);
            Assert.Equal(await y.Content.ReadAsStringAsync(), await x.Content.ReadAsStringAsync());
        }
        await Same($"/api/inspections/{b.FirstInspectionId + 2}/ledger");
        await Same($"/api/rounds/{b.RoundId}/figures");
        var found = await HttpAssert.Ok<JsonElement>(await adminB.GetAsync("/api/search?q=" + Uri.EscapeDataString("专题会议")));
        Assert.Equal(JsonSerializer.Serialize(await HttpAssert.Ok<JsonElement>(await adminR.GetAsync("/api/search?q=" + Uri.EscapeDataString("专题会议")))),
            JsonSerializer.Serialize(found));
    }

    /// <summary>Rows of a query as strings (each value with its storage type), through a connection of its own.</summary>
    static async Task<List<string>> Query(DatabaseLocation db, string sql, bool readOnly = true)
    {
        var cs = new SqliteConnectionStringBuilder(db.ConnectionString) { Pooling = false, Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite };
        await using var c = new SqliteConnection(cs.ToString());
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await r.ReadAsync())
            rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "null"
                : r.GetValue(i) is byte[] bytes ? Convert.ToHexString(bytes) : r.GetFieldType(i).Name + ":" + Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture))));
        return rows;
    }
}
