using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Tests.Support;

namespace Rectify.Tests.Import;

public class ImportApiTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    static MultipartFormDataContent Upload(byte[] content, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return form;
    }

    static byte[] Seed => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "seed-notice.txt"));

    [Theory, MemberData(nameof(Providers))]
    public async Task ImportSeed_PreviewThenConfirm_LedgerHoldsTheNotice(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");

        var preview = await HttpAssert.Ok<JsonElement>(await c.PostAsync("/api/import/preview", Upload(Seed, "通报.txt")));
        Assert.Equal(4, preview.GetProperty("categories").GetArrayLength());
        await using (var db = app.Open()) Assert.Equal(1, await db.Problems.CountAsync(p => p.UnitId == w.A.UnitId)); // preview stored nothing

        var stored = await HttpAssert.Ok<JsonElement>(await c.PostAsync($"/api/inspections/{w.A.InspectionId}/import", Upload(Seed, "通报.txt")));
        Assert.Equal(23, stored.GetProperty("problems").GetInt32());
        Assert.Contains(stored.GetProperty("warnings").EnumerateArray(), x => x.GetProperty("message").GetString()!.Contains("编号重复"));

        var ledger = await HttpAssert.Ok<JsonElement>(await c.GetAsync($"/api/inspections/{w.A.InspectionId}/ledger"));
        var figures = ledger.GetProperty("figures").GetProperty("problems");
        // The seeded world had one problem in progress; the seed adds 22 completed and one in progress.
        Assert.Equal(24, figures.GetProperty("problems").GetInt32());
        Assert.Equal(22, figures.GetProperty("completed").GetInt32());
        var titles = ledger.GetProperty("categories").EnumerateArray().SelectMany(x => x.GetProperty("problems").EnumerateArray())
            .Select(p => p.GetProperty("title").GetString()).ToList();
        Assert.Contains("长期违规借调教师", titles);

        await using var check = app.Open();
        var refs = await check.FeedbackDocuments.Where(f => f.InspectionId == w.A.InspectionId).Select(f => f.Reference).ToListAsync();
        Assert.Equal(["平龙巡〔2022〕28号", "平龙巡〔2022〕29号"], refs.Order().ToArray());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_CorruptFile_ChineseProblemAndNothingStored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        var corrupt = new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
        var p = await HttpAssert.Problem(await c.PostAsync($"/api/inspections/{w.A.InspectionId}/import", Upload(corrupt, "台账.xlsx")), 400);
        Assert.Equal("无法读取文件", p.GetProperty("title").GetString());
        await using var db = app.Open();
        Assert.Equal(1, await db.Problems.CountAsync(x => x.UnitId == w.A.UnitId));
    }

    [Fact]
    public async Task Import_ReadOnlyRole_Forbidden()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("owner-a");
        await HttpAssert.Problem(await c.PostAsync($"/api/inspections/{w.A.InspectionId}/import", Upload(Seed, "通报.txt")), 403);
    }
}
