using DocumentFormat.OpenXml.Packaging;
using Rectify.Tests.Support;

namespace Rectify.Tests.Documents;

public class ExportApiTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Export_StoredLedger_ExcelAndNoticeOpenAndCarryTheProblem(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var client = await app.ClientFor("viewer-a");

        var xlsx = await client.GetAsync($"/api/inspections/{w.A.InspectionId}/export?to=xlsx");
        Assert.True(xlsx.IsSuccessStatusCode, await xlsx.Content.ReadAsStringAsync());
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("整改台账.xlsx", xlsx.Content.Headers.ContentDisposition?.FileNameStar);
        using (var sheet = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false))
        {
            var strings = sheet.WorkbookPart!.SharedStringTablePart?.SharedStringTable.InnerText ?? "";
            var cells = string.Concat(sheet.WorkbookPart.WorksheetParts.Select(p => p.Worksheet.InnerText));
            Assert.Contains("学习贯彻不深入", strings + cells);
            Assert.Contains("制定学习计划", strings + cells);
        }

        var docx = await client.GetAsync($"/api/inspections/{w.A.InspectionId}/export?to=docx");
        Assert.True(docx.IsSuccessStatusCode, await docx.Content.ReadAsStringAsync());
        using (var word = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false))
            Assert.Contains("学习贯彻不深入", word.MainDocumentPart!.Document.Body!.InnerText);

        var md = await client.GetStringAsync($"/api/inspections/{w.A.InspectionId}/export?to=md");
        Assert.Contains("学习贯彻不深入", md);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Export_UnknownFormat_400InChinese_OtherUnit_404(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var client = await app.ClientFor("unit_admin-a");
        var bad = await HttpAssert.Problem(await client.GetAsync($"/api/inspections/{w.A.InspectionId}/export?to=exe"), 400);
        Assert.Contains("xlsx", bad.GetProperty("detail").GetString());
        await HttpAssert.Problem(await client.GetAsync($"/api/inspections/{w.B.InspectionId}/export?to=xlsx"), 404);
    }
}
