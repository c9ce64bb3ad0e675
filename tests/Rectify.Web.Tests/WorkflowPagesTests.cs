using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Web.Tests;

/// <summary>
/// The rectification workflow in the browser: the unit admin assigns a measure, its owner reports weekly with an
/// attachment and asks to strike it off with evidence, the chain 责任领导 → 单位整改办 → 巡察办 approves, the ledger
/// shows 已销号 and the new completion rate; the other unit's user reaches none of it.
/// </summary>
public sealed class WorkflowPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    [BrowserFact]
    public async Task Owner_ReportsAndRequestsClosure_ChainApproves_MeasureIsClosed_OtherUnitKeptOut()
    {
        // The one problem of the seed that is not completed, and its first open measure.
        long inspectionId, measureId, problemId;
        string rateBefore;
        await using (var db = Database.Open(app.Db))
        {
            inspectionId = await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
            var ledger = (await GetLedger.RunAsync(db, inspectionId, new DeadlineSettings()))!;
            var problem = ledger.Categories.SelectMany(c => c.Problems).First(p => !StatusRules.IsCompleted(p.Status));
            var open = problem.Measures.Where(m => !StatusRules.IsCompleted(m.Status)).Select(m => m.Id).ToList();
            (measureId, problemId) = (open[0], problem.Id);
            // The problem's other measures were rectified earlier, so striking this one off completes the problem.
            var rest = open.Skip(1).ToList();
            foreach (var done in await db.Measures.Where(x => rest.Contains(x.Id)).ToListAsync()) done.ChangeStatus(MeasureStatus.Rectified);
            // The clerk set a deadline earlier (a 限期整改 measure cannot be saved without one).
            var m = await db.Measures.SingleAsync(x => x.Id == measureId);
            m.Deadline ??= DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
            await db.SaveChangesAsync();
            rateBefore = (await GetLedger.RunAsync(db, inspectionId, new DeadlineSettings()))!.Figures.Problems.RateText;
        }

        // 1. The unit admin assigns the demo owner and leader in the ledger.
        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync($"/inspections/{inspectionId}");
        await BrowserApp.WaitInteractiveAsync(unit);
        await Assertions.Expect(unit.GetByTestId("rate")).ToHaveTextAsync(rateBefore);
        await unit.Locator($"#edit-{measureId}").ClickAsync();
        var modal = unit.Locator(".ant-modal");
        await Assertions.Expect(modal).ToBeVisibleAsync();
        await modal.Locator("#e-owner").ClickAsync();
        await unit.Locator(".ant-select-dropdown:visible .ant-select-item-option", new() { HasText = "演示责任人" }).ClickAsync();
        await Assertions.Expect(unit.Locator(".ant-select-dropdown:visible")).ToHaveCountAsync(0);
        await modal.Locator("#e-leader").ClickAsync();
        await unit.Locator(".ant-select-dropdown:visible .ant-select-item-option", new() { HasText = "演示责任领导" }).ClickAsync();
        await modal.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(modal).ToBeHiddenAsync();
        await Assertions.Expect(unit.Locator($"tr:has(#edit-{measureId})")).ToContainTextAsync("演示责任领导");

        // 2. The owner submits a weekly report with a PDF attachment; an empty report is refused in Chinese.
        var owner = await app.LoginAsync("owner");
        await owner.GotoAsync($"/measures/{measureId}");
        await BrowserApp.WaitInteractiveAsync(owner);
        await owner.Locator("#r-submit").ClickAsync();
        await Assertions.Expect(owner.GetByTestId("report-error")).ToContainTextAsync("请填写本周完成情况");
        await owner.Locator("#r-done").FillAsync("召开专题会议，修订议事规则");
        await owner.Locator("#r-percent").FillAsync("100");
        await owner.Locator("#r-next").FillAsync("申请销号");
        // Eleven files at once are refused with a message (the circuit stays up); one file is then listed.
        await owner.Locator("#r-files[data-ready]").SetInputFilesAsync(Enumerable.Range(1, 11)
            .Select(i => new FilePayload { Name = $"照片{i}.png", MimeType = "image/png", Buffer = Pdf }).ToArray());
        await Assertions.Expect(owner.GetByTestId("r-files-error")).ToContainTextAsync("一次最多选择 10 个文件");
        await BrowserApp.ChooseFilesAsync(owner, "r-files", new FilePayload { Name = "会议纪要.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await owner.Locator("#r-submit").ClickAsync();
        await Assertions.Expect(owner.GetByTestId("flow-message")).ToContainTextAsync("周汇报已提交");
        await Assertions.Expect(owner.GetByTestId("reports")).ToContainTextAsync("召开专题会议，修订议事规则");
        await Assertions.Expect(owner.GetByTestId("reports")).ToContainTextAsync("会议纪要.pdf");
        var link = owner.GetByTestId("evidence").GetByRole(AriaRole.Link, new() { Name = "会议纪要.pdf" });
        var href = await link.GetAttributeAsync("href");
        var download = await owner.APIRequest.GetAsync(href!);
        Assert.Equal(200, download.Status);
        Assert.Equal(Pdf, await download.BodyAsync());

        // 3. The owner requests closure with the uploaded evidence.
        await owner.Locator("#closure-open").ClickAsync();
        await owner.Locator("#c-submit").ClickAsync();
        await Assertions.Expect(owner.GetByTestId("closure-error")).ToContainTextAsync("请填写整改成效说明");
        await owner.Locator("#c-statement").FillAsync("议事规则已修订印发，专题会议纪要为证");
        await owner.Locator("#c-submit").ClickAsync();
        await Assertions.Expect(owner.GetByTestId("flow-message")).ToContainTextAsync("销号申请已提交");
        await Assertions.Expect(owner.GetByTestId("measure-status")).ToContainTextAsync(StatusRules.Wording(MeasureStatus.PendingClosure));
        await Assertions.Expect(owner.GetByTestId("requests")).ToContainTextAsync("待责任领导审核");
        await BrowserApp.ScreenshotAsync(owner, "21-measure-owner");
        long requestId;
        await using (var db = Database.Open(app.Db))
            requestId = await db.ClosureRequests.Where(r => r.MeasureId == measureId).Select(r => r.Id).SingleAsync();

        // 4. The leader sees it with its evidence; returning without an opinion is refused; approving moves it on.
        var leader = await app.LoginAsync("leader");
        await BrowserApp.WaitInteractiveAsync(leader);
        await Assertions.Expect(leader.GetByTestId("approvals-waiting")).ToContainTextAsync("有 1 项");
        await leader.GotoAsync("/approvals");
        await BrowserApp.WaitInteractiveAsync(leader);
        var card = leader.GetByTestId($"approval-{requestId}");
        await Assertions.Expect(card).ToContainTextAsync("议事规则已修订印发");
        await Assertions.Expect(card.GetByRole(AriaRole.Link, new() { Name = "会议纪要.pdf" })).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(leader, "20-approvals");
        await leader.Locator($"#return-{requestId}").ClickAsync();
        await Assertions.Expect(card.GetByTestId("approval-error")).ToContainTextAsync("退回申请必须写明意见");
        await leader.Locator($"#opinion-{requestId}").FillAsync("同意，请整改办验收");
        await leader.Locator($"#approve-{requestId}").ClickAsync();
        await Assertions.Expect(leader.GetByTestId("approval-message")).ToContainTextAsync("转单位整改办验收");
        await Assertions.Expect(leader.GetByTestId($"approval-{requestId}")).ToHaveCountAsync(0);

        // 5. The unit office, then the 巡察办.
        await unit.GotoAsync("/approvals");
        await BrowserApp.WaitInteractiveAsync(unit);
        await unit.Locator($"#approve-{requestId}").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("approval-message")).ToContainTextAsync("转巡察办核验");
        var office = await app.LoginAsync("office");
        await office.GotoAsync("/approvals");
        await BrowserApp.WaitInteractiveAsync(office);
        await office.Locator($"#opinion-{requestId}").FillAsync("核验通过，准予销号");
        await office.Locator($"#approve-{requestId}").ClickAsync();
        await Assertions.Expect(office.GetByTestId("approval-message")).ToContainTextAsync("该措施已销号");

        // 6. The measure is 已销号 with the opinions on its history; the ledger's rate follows the Core's count.
        await owner.GotoAsync($"/measures/{measureId}");
        await BrowserApp.WaitInteractiveAsync(owner);
        await Assertions.Expect(owner.GetByTestId("measure-status")).ToContainTextAsync(StatusRules.Wording(MeasureStatus.Closed));
        await Assertions.Expect(owner.GetByTestId("requests")).ToContainTextAsync("同意，请整改办验收");
        await Assertions.Expect(owner.GetByTestId("requests")).ToContainTextAsync("核验通过，准予销号");
        await Assertions.Expect(owner.Locator("#r-submit")).ToHaveCountAsync(0);
        string rateAfter;
        await using (var db = Database.Open(app.Db))
            rateAfter = (await GetLedger.RunAsync(db, inspectionId, new DeadlineSettings()))!.Figures.Problems.RateText;
        Assert.NotEqual(rateBefore, rateAfter);
        await unit.GotoAsync($"/inspections/{inspectionId}");
        await BrowserApp.WaitInteractiveAsync(unit);
        await Assertions.Expect(unit.GetByTestId("rate")).ToHaveTextAsync(rateAfter);
        await Assertions.Expect(unit.Locator($"tr:has(#edit-{measureId})")).ToContainTextAsync(StatusRules.Wording(MeasureStatus.Closed));
        await unit.GotoAsync($"/dashboard?inspection={inspectionId}");
        await BrowserApp.WaitInteractiveAsync(unit);
        await Assertions.Expect(unit.Locator(".chart-note").First).ToContainTextAsync($"（{rateAfter}）");

        // 7. The other unit's admin: the measure is not found, nothing waits in the queue, the file is a 404.
        var other = await app.LoginAsync("other");
        await other.GotoAsync($"/measures/{measureId}");
        await BrowserApp.WaitInteractiveAsync(other);
        await Assertions.Expect(other.Locator(".ant-result")).ToBeVisibleAsync();
        await Assertions.Expect(other.Locator("body")).Not.ToContainTextAsync("议事规则已修订印发");
        await other.GotoAsync("/approvals");
        await BrowserApp.WaitInteractiveAsync(other);
        await Assertions.Expect(other.Locator(".ant-empty")).ToContainTextAsync("暂无待审批的申请");
        Assert.Equal(404, (await other.APIRequest.GetAsync(href!)).Status);
    }

    [BrowserFact]
    public async Task Viewer_SeesNoReportForm_AndLightsShowInTheLedger()
    {
        long inspectionId, measureId;
        await using (var db = Database.Open(app.Db))
        {
            inspectionId = await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
            measureId = await db.Measures.Where(m => m.InspectionId == inspectionId).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        }
        var viewer = await app.LoginAsync("viewer");
        await viewer.GotoAsync($"/measures/{measureId}");
        await BrowserApp.WaitInteractiveAsync(viewer);
        await Assertions.Expect(viewer.GetByRole(AriaRole.Heading, new() { Name = "整改措施" })).ToBeVisibleAsync();
        await Assertions.Expect(viewer.Locator("#r-submit")).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.Locator("#closure-open")).ToHaveCountAsync(0);

        await viewer.GotoAsync($"/inspections/{inspectionId}");
        await BrowserApp.WaitInteractiveAsync(viewer);
        await Assertions.Expect(viewer.Locator(".light").First).ToBeVisibleAsync();
        await Assertions.Expect(viewer.Locator(".light").First).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^(红灯|黄灯|绿灯)$"));
    }
}

/// <summary>An extension request from the measure page (own fixture: the journey above closes the seed's open problem).</summary>
public sealed class ExtensionPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task UnitAdmin_RequestsAnExtension_ItWaitsForTheLeader()
    {
        long measureId;
        await using (var db = Database.Open(app.Db))
        {
            var inspectionId = await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
            var m = await db.Measures.Where(x => x.InspectionId == inspectionId && (x.Status == MeasureStatus.InProgress || x.Status == MeasureStatus.NotStarted))
                .OrderByDescending(x => x.Id).FirstAsync();
            measureId = m.Id;
        }
        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync($"/measures/{measureId}");
        await BrowserApp.WaitInteractiveAsync(unit);
        await unit.Locator("#x-submit").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("extension-error")).ToContainTextAsync("请选择新的整改时限");
        await unit.Locator("#x-deadline").FillAsync("2099-12-31");
        await unit.Locator("#x-reason").FillAsync("需等待上级批复编制调整");
        await unit.Locator("#x-submit").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("flow-message")).ToContainTextAsync("延期申请已提交");
        await Assertions.Expect(unit.GetByTestId("requests")).ToContainTextAsync("申请延期至 2099-12-31");
        await Assertions.Expect(unit.GetByTestId("measure-status")).ToContainTextAsync(StatusRules.Wording(MeasureStatus.ExtensionRequested));
    }
}
