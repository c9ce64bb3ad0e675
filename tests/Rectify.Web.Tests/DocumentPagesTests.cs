using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Rectify.Core.Data;

namespace Rectify.Web.Tests;

/// <summary>
/// 整改方案报送 in the browser: the unit uploads its plan, the inspection office returns it with an opinion, the unit
/// reads the opinion and submits the plan generated from its ledger, the office accepts it; the round's table shows the
/// deadlines, the lights and the state.
/// </summary>
public sealed class DocumentPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    [BrowserFact]
    public async Task Unit_SubmitsPlan_OfficeReturnsWithOpinion_ResubmittedAndAccepted()
    {
        long inspectionId;
        await using (var db = Database.Open(app.Db))
            inspectionId = await db.Inspections.Where(i => i.RoundId != null).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();

        // The unit uploads its plan from the nav entry's page.
        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync("/");
        // The menu navigates through the circuit: a click before the page is interactive goes nowhere.
        await BrowserApp.WaitInteractiveAsync(unit);
        await unit.GetByRole(AriaRole.Link, new() { Name = "方案报告报送" }).ClickAsync();
        await BrowserApp.WaitInteractiveAsync(unit);
        await Assertions.Expect(unit.GetByTestId($"slot-{inspectionId}-plan")).ToContainTextAsync("未提交");
        await unit.GotoAsync($"/inspections/{inspectionId}/documents");
        await BrowserApp.WaitInteractiveAsync(unit);
        await unit.Locator("#upload-plan").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("submit-error-plan")).ToContainTextAsync("请先选择要上传的文件");
        await BrowserApp.ChooseFilesAsync(unit, "file-plan", new FilePayload { Name = "整改方案.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await unit.Locator("#upload-plan").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("doc-message")).ToContainTextAsync("整改方案第1版已报送");
        await Assertions.Expect(unit.GetByTestId("card-plan")).ToContainTextAsync("审核中");

        // The office sees it under review in the round's table, and returns it with an opinion.
        var office = await app.LoginAsync("office");
        await office.GotoAsync("/documents");
        await BrowserApp.WaitInteractiveAsync(office);
        await Assertions.Expect(office.GetByTestId($"slot-{inspectionId}-plan")).ToContainTextAsync("审核中");
        await Assertions.Expect(office.GetByTestId("review-chain")).ToContainTextAsync("联审流程");
        await BrowserApp.ScreenshotAsync(office, "40-documents-round");
        await office.GotoAsync($"/inspections/{inspectionId}/documents");
        await BrowserApp.WaitInteractiveAsync(office);
        var version = office.GetByTestId("card-plan").Locator("[data-testid^=version-]").First;
        await version.Locator("button", new() { HasText = "退" }).ClickAsync();
        await Assertions.Expect(office.GetByTestId("review-error-plan")).ToContainTextAsync("退回文稿必须写明意见");
        await version.Locator("textarea").FillAsync("责任清单未落实到具体责任人");
        await version.Locator("button", new() { HasText = "退" }).ClickAsync();
        await Assertions.Expect(office.GetByTestId("doc-message")).ToContainTextAsync("已退回");

        // The unit reads the opinion and submits the plan generated from its ledger.
        await unit.ReloadAsync();
        await BrowserApp.WaitInteractiveAsync(unit);
        await Assertions.Expect(unit.GetByTestId("card-plan").GetByTestId("opinion")).ToContainTextAsync("责任清单未落实到具体责任人");
        await unit.Locator("#generate-plan").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("doc-message")).ToContainTextAsync("整改方案第2版已报送");
        await BrowserApp.ScreenshotAsync(unit, "41-documents-unit");

        // The office accepts version 2; the table says so.
        await office.ReloadAsync();
        await BrowserApp.WaitInteractiveAsync(office);
        var v2 = office.GetByTestId("card-plan").Locator("[data-testid^=version-]", new() { HasText = "第2版" });
        await v2.Locator("button", new() { HasText = "通" }).ClickAsync();
        await Assertions.Expect(office.GetByTestId("doc-message")).ToContainTextAsync("审核通过");
        await office.GotoAsync("/documents");
        await BrowserApp.WaitInteractiveAsync(office);
        await Assertions.Expect(office.GetByTestId($"slot-{inspectionId}-plan")).ToContainTextAsync("已通过（第2版）");
    }
}
