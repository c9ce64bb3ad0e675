using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Core.Data;
using Rectify.Core.Supervision;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;
using Rectify.Tests.Support;

namespace Rectify.Tests.Reliability;

/// <summary>The restore drill: backup → restore into an empty database → backup again gives the same rows, table by table.</summary>
public class BackupRestoreTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>Pairs of (source, target) providers for migrate-db: SQLite ⇄ PostgreSQL when PostgreSQL is available.</summary>
    public static TheoryData<string, string> Moves
    {
        get
        {
            var data = new TheoryData<string, string> { { "sqlite", "sqlite" } };
            if (TestDatabases.PostgresServer is not null)
            {
                data.Add("sqlite", "postgresql");
                data.Add("postgresql", "sqlite");
            }
            return data;
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Restore_IntoEmptyDatabase_EveryTableEqualAndAuditChainVerifies(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await FillAsync(app);
        using var dir = new TempDir();
        var first = dir.File("first.zip");

        var backup = await RectifyProcess.RunAsync(null, "backup", first, "--db", app.Db.ConnectionString);
        Assert.True(backup.ExitCode == 0, backup.Err);
        Assert.Contains("已备份到", backup.Out);

        var target = await TestDatabases.CreateAsync(provider);
        try
        {
            var restore = await RectifyProcess.RunAsync(null, "restore", first, "--db", target.ConnectionString);
            Assert.True(restore.ExitCode == 0, restore.Err + restore.Out);
            Assert.Contains("审计链完好", restore.Out);

            var second = dir.File("second.zip");
            Assert.Equal(0, (await RectifyProcess.RunAsync(null, "backup", second, "--db", target.ConnectionString)).ExitCode);
            AssertSameRows(first, second);

            await using (var db = Database.Open(target))
            {
                // Ids kept, versions kept, the chain verifies and ends where the source's ended.
                var m = await db.Measures.SingleAsync(x => x.Id == w.A.MeasureId);
                Assert.Equal("第3次备注", m.Remarks);
                Assert.Equal(4, m.Version);
                await using var src = app.Open();
                Assert.Equal((await AuditAnchor.HeadAsync(src))!, (await AuditAnchor.HeadAsync(db))!);

                // New rows continue after the restored ids (identity sequences reset on PostgreSQL) and extend the chain.
                var maxId = await db.Categories.MaxAsync(c => c.Id);
                var c = new Category { InspectionId = w.A.InspectionId, UnitId = w.A.UnitId, Ordinal = 9, Title = "恢复后新增" };
                db.Categories.Add(c);
                await db.SaveChangesAsync();
                Assert.True(c.Id > maxId);
                Assert.True((await AuditChain.VerifyAsync(db)).Ok);
            }

            // The kept round figures are computed again after a restore (they are not in a backup): the head is forgotten.
            await using (var keeper = Database.Open(target, KeptFigures.Scope)) await KeptFigures.CatchUpAsync(keeper);
            Assert.Equal(1, await KeptHeadsAsync(target));

            // A database with data is not overwritten by accident; --force replaces it with the backup exactly.
            var refused = await RectifyProcess.RunAsync(null, "restore", first, "--db", target.ConnectionString);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("--force", refused.Err);
            var forced = await RectifyProcess.RunAsync(null, "restore", first, "--db", target.ConnectionString, "--force");
            Assert.True(forced.ExitCode == 0, forced.Err);
            var third = dir.File("third.zip");
            Assert.Equal(0, (await RectifyProcess.RunAsync(null, "backup", third, "--db", target.ConnectionString)).ExitCode);
            AssertSameRows(first, third);
            Assert.Equal(0, await KeptHeadsAsync(target));
        }
        finally { await TestDatabases.DropAsync(target); }
    }

    static async Task<int> KeptHeadsAsync(DatabaseLocation db)
    {
        await using var ctx = Database.Open(db);
        return await ctx.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{KeptFigures.HeadTable}\"").SingleAsync();
    }

    [Fact]
    public async Task Restore_CorruptedBackup_RefusedInChineseAndNothingWritten()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await FillAsync(app);
        using var dir = new TempDir();
        var good = dir.File("good.zip");
        Assert.Equal(0, (await RectifyProcess.RunAsync(null, "backup", good, "--db", app.Db.ConnectionString)).ExitCode);

        // One measure's text changed inside an otherwise valid zip.
        var edited = dir.File("edited.zip");
        File.Copy(good, edited);
        using (var zip = ZipFile.Open(edited, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("-Measure.jsonl", StringComparison.Ordinal));
            string text;
            using (var r = new StreamReader(entry.Open())) text = r.ReadToEnd();
            entry.Delete();
            using var w = new StreamWriter(zip.CreateEntry(entry.FullName).Open());
            w.Write(text.Replace("制定学习计划", "制定学习计戈", StringComparison.Ordinal));
        }
        var target = Path.Combine(dir.Path, "target.db");
        var r1 = await RectifyProcess.RunAsync(null, "restore", edited, "--db", target);
        Assert.Equal(2, r1.ExitCode);
        Assert.Contains("SHA-256", r1.Err);
        Assert.Contains("未写入任何数据", r1.Err);
        Assert.False(File.Exists(target));

        // A truncated file is not a zip at all.
        var truncated = dir.File("truncated.zip");
        var bytes = await File.ReadAllBytesAsync(good);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var r2 = await RectifyProcess.RunAsync(null, "restore", truncated, "--db", target);
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("已损坏", r2.Err);
        Assert.False(File.Exists(target));
        Assert.DoesNotContain("   at ", r1.Err + r2.Err);
    }

    [Theory, MemberData(nameof(Moves))]
    public async Task MigrateDb_ToOtherProvider_SameRowsAndChain(string from, string to)
    {
        await using var app = await TestApp.StartAsync(from);
        await FillAsync(app);
        var target = await TestDatabases.CreateAsync(to);
        using var dir = new TempDir();
        try
        {
            var move = await RectifyProcess.RunAsync(null, "migrate-db", "--from", app.Db.ConnectionString, "--to", target.ConnectionString);
            Assert.True(move.ExitCode == 0, move.Err + move.Out);
            Assert.Contains("审计链完好", move.Out);
            var a = dir.File("a.zip");
            var b = dir.File("b.zip");
            Assert.Equal(0, (await RectifyProcess.RunAsync(null, "backup", a, "--db", app.Db.ConnectionString)).ExitCode);
            Assert.Equal(0, (await RectifyProcess.RunAsync(null, "backup", b, "--db", target.ConnectionString)).ExitCode);
            AssertSameRows(a, b);

            // The moved database serves: the same user logs in with the same token and edits with the same versions.
            await using var db = Database.Open(target);
            Assert.True((await AuditChain.VerifyAsync(db)).Ok);
            Assert.Equal(await app.Open().Users.CountAsync(), await db.Users.CountAsync());
        }
        finally { await TestDatabases.DropAsync(target); }
    }

    [Fact]
    public async Task MigrateDb_MissingSource_ExitTwoInChinese()
    {
        using var dir = new TempDir();
        var r = await RectifyProcess.RunAsync(null, "migrate-db", "--from", Path.Combine(dir.Path, "nothing.db"), "--to", Path.Combine(dir.Path, "new.db"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("数据库文件不存在", r.Err);
    }

    /// <summary>Both backups hold the same tables with the same rows, byte for byte (and some tables are not empty).</summary>
    static void AssertSameRows(string a, string b)
    {
        using var za = ZipFile.OpenRead(a);
        using var zb = ZipFile.OpenRead(b);
        var ma = Manifest(za);
        var mb = Manifest(zb);
        Assert.Equal(ma.GetProperty("migration").GetString()![15..], mb.GetProperty("migration").GetString()![15..]);
        Assert.Equal(ma.GetProperty("auditHead").GetString(), mb.GetProperty("auditHead").GetString());
        var ta = ma.GetProperty("tables").EnumerateArray().ToList();
        var tb = mb.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(ta.Select(t => t.GetProperty("entity").GetString()), tb.Select(t => t.GetProperty("entity").GetString()));
        foreach (var (x, y) in ta.Zip(tb))
        {
            var name = x.GetProperty("entity").GetString();
            Assert.True(x.GetProperty("rows").GetInt64() == y.GetProperty("rows").GetInt64(), $"{name}: row counts differ");
            var la = Read(za, x.GetProperty("file").GetString()!).Split('\n');
            var lb = Read(zb, y.GetProperty("file").GetString()!).Split('\n');
            var diff = la.Zip(lb).FirstOrDefault(p => p.First != p.Second);
            Assert.True(diff == default, $"{name}: rows differ:\n{diff.First}\n{diff.Second}");
        }
        foreach (var table in new[] { "Organisation", "Person", "Measure", "ProgressReport", "ClosureRequest", "EvidenceFile", "RuleDocument", "OutcomeFigure", "User", "ApiToken", "AuditEvent" })
            Assert.True(ta.Single(t => t.GetProperty("entity").GetString() == table).GetProperty("rows").GetInt64() > 0, table + " is empty");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Restore_BackupFromBeforeProgressMarks_MeasuresShowTheTextTheyHeld(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await FillAsync(app);
        // Before migration ProgressFromReports a text written after a report stood in the measure itself.
        await using (var db = app.Open())
        {
            var m = await db.Measures.SingleAsync(x => x.Id == w.A.MeasureId);
            m.Progress = "已完成第一次学习并整改到位";
            await db.SaveChangesAsync();
        }
        using var dir = new TempDir();
        var now = dir.File("now.zip");
        Assert.Equal(0, (await RectifyProcess.RunAsync(null, "backup", now, "--db", app.Db.ConnectionString)).ExitCode);
        // The same backup as that version wrote it: no progress marks, the schema of migration Figures.
        var old = dir.File("old.zip");
        using (var from = ZipFile.OpenRead(now))
        using (var to = ZipFile.Open(old, ZipArchiveMode.Create))
        {
            var manifest = System.Text.Json.Nodes.JsonNode.Parse(Read(from, "manifest.json"))!;
            manifest["migration"] = "20261127080000_Figures";
            foreach (var table in manifest["tables"]!.AsArray())
            {
                var text = Read(from, table!["file"]!.GetValue<string>());
                if (table["entity"]!.GetValue<string>() == "Measure")
                    text = string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
                    {
                        var row = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
                        Assert.True(row.Remove(nameof(Measure.ProgressAsOfReportId)));
                        return row.ToJsonString() + "\n";
                    }));
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                table["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
                using (var e = to.CreateEntry(table["file"]!.GetValue<string>()).Open()) e.Write(bytes);
            }
            var manifestBytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
            using (var e = to.CreateEntry("manifest.json").Open()) e.Write(manifestBytes);
            using (var e = to.CreateEntry("manifest.sha256").Open())
                e.Write(System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifestBytes)) + "\n"));
        }

        var target = await TestDatabases.CreateAsync(provider);
        try
        {
            var restore = await RectifyProcess.RunAsync(null, "restore", old, "--db", target.ConnectionString);
            Assert.True(restore.ExitCode == 0, restore.Err + restore.Out);
            await using var db = Database.Open(target);
            var m = await db.Measures.SingleAsync(x => x.Id == w.A.MeasureId);
            Assert.True(await db.ProgressReports.AnyAsync(r => r.MeasureId == m.Id));
            Assert.Equal("已完成第一次学习并整改到位", await MeasureProgress.ShownAsync(db, m));
        }
        finally { await TestDatabases.DropAsync(target); }
    }

    static JsonElement Manifest(ZipArchive z)
    {
        using var s = z.GetEntry("manifest.json")!.Open();
        return JsonDocument.Parse(s).RootElement.Clone();
    }

    static string Read(ZipArchive z, string file)
    {
        using var r = new StreamReader(z.GetEntry(file)!.Open());
        return r.ReadToEnd();
    }

    /// <summary>The seeded world, three edits through the API, and a row in every workflow table.</summary>
    static async Task<World> FillAsync(TestApp app)
    {
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        for (int v = 1; v <= 3; v++)
        {
            app.Clock.Advance(TimeSpan.FromMilliseconds(1234.5678));
            await HttpAssert.Ok<JsonElement>(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { remarks = $"第{v}次备注", supportingDepartmentIds = new[] { w.A.DepartmentId }, deadline = "2022-09-30", version = v }));
        }
        await using var db = app.Open();
        var user = await db.Users.FirstAsync(u => u.UserName == "owner-a");
        db.ProgressReports.Add(new ProgressReport { MeasureId = w.A.MeasureId, UnitId = w.A.UnitId, Week = new DateOnly(2022, 7, 4), AuthorUserId = user.Id, Done = "完成第一次学习", Percent = 30, SubmittedAt = DateTime.UtcNow, IdempotencyKey = Guid.NewGuid().ToString() });
        db.ClosureRequests.Add(new ClosureRequest { MeasureId = w.A.MeasureId, UnitId = w.A.UnitId, RequestedByUserId = user.Id, RequestedAt = DateTime.UtcNow, Statement = "申请销号", State = RequestState.Pending, Step = 1 });
        db.EvidenceFiles.Add(new EvidenceFile { UnitId = w.A.UnitId, MeasureId = w.A.MeasureId, FileName = "学习记录.pdf", ContentType = "application/pdf", Size = 1234, Sha256 = new string('a', 64), UploadedAt = DateTime.UtcNow, UploadedByUserId = user.Id });
        db.Rules.Add(new RuleDocument { UnitId = w.A.UnitId, Title = "学习制度", IssuedOn = new DateOnly(2022, 8, 1), ProblemIds = [w.A.ProblemId] });
        db.OutcomeFigures.Add(new OutcomeFigure { UnitId = w.A.UnitId, ProblemId = w.A.ProblemId, Kind = "清退资金", Value = 12.5m, Unit = "万元", Note = "<script>alert(1)</script> ‮反向" });
        await db.SaveChangesAsync();
        return w;
    }
}

/// <summary>A temporary directory removed at the end of the test.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("rectify-rel-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}

/// <summary>Damaged backups: whatever bytes are flipped or cut, verification refuses with a BackupException or accepts a file whose tables are intact — never another exception.</summary>
public class BackupFuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Verify_RandomlyDamagedBackups_RefusedCleanlyOrIntact()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        using var dir = new TempDir();
        var good = dir.File("good.zip");
        await using (var db = app.Open()) await Rectify.Core.Operations.LogicalBackup.BackupAsync(db, good, TimeProvider.System);
        var original = await File.ReadAllBytesAsync(good);
        var intact = JsonSerializer.Serialize(Rectify.Core.Operations.LogicalBackup.Verify(good));
        var random = new Random(20261126);
        int refused = 0, accepted = 0;
        const int cases = 300;
        for (int i = 0; i < cases; i++)
        {
            var bytes = (byte[])original.Clone();
            switch (i % 3)
            {
                case 0: bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8)); break;         // one bit
                case 1: for (int k = 0; k < 16; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256); break; // scattered bytes
                default: bytes = bytes[..random.Next(bytes.Length)]; break;                             // cut short
            }
            var path = dir.File($"damaged-{i}.zip");
            await File.WriteAllBytesAsync(path, bytes);
            try
            {
                // Accepted only when the damage missed the data: same manifest, and every table matched its SHA-256.
                Assert.Equal(intact, JsonSerializer.Serialize(Rectify.Core.Operations.LogicalBackup.Verify(path)));
                accepted++;
            }
            catch (Rectify.Core.Operations.BackupException e)
            {
                Assert.Contains(e.Message, c => c is >= '\u4E00' and <= '\u9FFF');
                refused++;
            }
            File.Delete(path);
        }
        output.WriteLine($"backup fuzz: {cases} damaged backups — refused {refused}, accepted {accepted} (damage outside the data), crashes 0");
        Assert.True(refused > cases / 2);
    }
}
