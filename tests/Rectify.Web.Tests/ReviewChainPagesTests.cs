using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Rectify.Core.Data;
using Rectify.Core.Organisations;

namespace Rectify.Web.Tests;

/// <summary>联审 in the browser: the office sets the chain 巡察办 → 纪委监委; a submitted plan accepted by the office waits for 纪委监委.</summary>
public sealed class ReviewChainPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_SetsJointReviewChain_AcceptedPlanWaitsForTheNextOffice()
    {
        long inspectionId;
        await using (var db = Database.Open(app.Db))
        {
            db.Organisations.Add(new Organisation { Kind = OrganisationKind.Office, Name = "区纪委监委" });
            await db.SaveChangesAsync();
            inspectionId = await db.Inspections.Where(i => i.RoundId != null).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
        }

        var office = await app.LoginAsync("office");
        await office.GotoAsync("/documents");
        await BrowserApp.WaitInteractiveAsync(office);
        await office.GetByText("设置联审流程").ClickAsync();
        await office.Locator("#chain-1").ClickAsync();
        await office.Locator(".ant-select-dropdown:visible .ant-select-item-option", new() { HasText = "区纪委监委" }).ClickAsync();
        await office.Locator("#chain-save").ClickAsync();
        await Assertions.Expect(office.GetByTestId("chain-message")).ToContainTextAsync("联审流程已保存");
        await Assertions.Expect(office.GetByTestId("review-chain")).ToContainTextAsync("→ 区纪委监委");
        await BrowserApp.ScreenshotAsync(office, "42-documents-chain");

        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync($"/inspections/{inspectionId}/documents");
        await BrowserApp.WaitInteractiveAsync(unit);
        await unit.Locator("#generate-report").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("doc-message")).ToContainTextAsync("整改情况报告第1版已报送");

        await office.GotoAsync($"/inspections/{inspectionId}/documents");
        await BrowserApp.WaitInteractiveAsync(office);
        await office.GetByTestId("card-report").Locator("button", new() { HasText = "通" }).ClickAsync();
        await Assertions.Expect(office.GetByTestId("doc-message")).ToContainTextAsync("转下一联审部门");
        await office.GotoAsync("/documents");
        await BrowserApp.WaitInteractiveAsync(office);
        await Assertions.Expect(office.GetByTestId($"slot-{inspectionId}-report")).ToContainTextAsync("待区纪委监委审核");
    }
}
