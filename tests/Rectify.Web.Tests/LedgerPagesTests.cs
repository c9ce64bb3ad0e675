using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Rectify.Core.Data;

namespace Rectify.Web.Tests;

/// <summary>The journeys of a unit admin on the demo data, and the other unit's user kept out.</summary>
public sealed class LedgerPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    async Task<long> SeedInspectionAsync()
    {
        await using var db = Database.Open(app.Db);
        return await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
    }

    [BrowserFact]
    public async Task UnitAdmin_SeesTheSeedLedger_With23ProblemsAndRate()
    {
        var id = await SeedInspectionAsync();
        var page = await app.LoginAsync("unit");
        await BrowserApp.WaitInteractiveAsync(page);
        await BrowserApp.ScreenshotAsync(page, "01-workbench");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "我的工作台" })).ToBeVisibleAsync();

        await page.GotoAsync($"/inspections/{id}");
        await BrowserApp.WaitInteractiveAsync(page);
        var figures = page.GetByTestId("figures");
        await Assertions.Expect(page.GetByTestId("rate")).ToHaveTextAsync("95.65%");
        await Assertions.Expect(figures.Locator(".ant-statistic").First).ToContainTextAsync("23");
        await BrowserApp.ScreenshotAsync(page, "02-ledger-measures");
        await page.GetByRole(AriaRole.Tab, new() { Name = "问题清单（23）" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ant-tabs-tabpane-active tbody tr.ant-table-row")).ToHaveCountAsync(23);
        await BrowserApp.ScreenshotAsync(page, "03-ledger-problems");
    }
}
