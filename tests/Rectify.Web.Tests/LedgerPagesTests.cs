using DocumentFormat.OpenXml.Packaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

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
    public async Task UnitAdmin_SeesTheSeedLedger_With23ProblemsAndRate_AndTheThreeLists()
    {
        var id = await SeedInspectionAsync();
        var page = await app.LoginAsync("unit");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "我的工作台" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("95.65%");
        await BrowserApp.ScreenshotAsync(page, "01-workbench");

        await page.GotoAsync($"/inspections/{id}");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("rate")).ToHaveTextAsync("95.65%");
        await Assertions.Expect(page.GetByTestId("figures").Locator(".ant-statistic").First).ToContainTextAsync("23");
        await BrowserApp.ScreenshotAsync(page, "02-ledger-measures");
        await page.GetByRole(AriaRole.Tab, new() { Name = "问题清单（23）" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ant-tabs-tabpane-active tbody tr.ant-table-row")).ToHaveCountAsync(23);
        await BrowserApp.ScreenshotAsync(page, "03-ledger-problems");

        // Search narrows the problem list.
        await page.GetByLabel("搜索").FillAsync("意识形态");
        await Assertions.Expect(page.Locator(".ant-tabs-tabpane-active tbody tr.ant-table-row")).Not.ToHaveCountAsync(23);
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("^责任清单") }).ClickAsync();
        await Assertions.Expect(page.Locator(".ant-tabs-tabpane-active table")).ToContainTextAsync("完成率");
    }

    [BrowserFact]
    public async Task UnitAdmin_AssignsAResponsiblePerson_AndAStaleEditShowsWhoChangedIt()
    {
        var id = await SeedInspectionAsync();
        long measureId;
        await using (var db = Database.Open(app.Db))
            measureId = await db.Measures.Where(m => m.InspectionId == id).OrderBy(m => m.Id).Select(m => m.Id).Skip(2).FirstAsync();
        var page = await app.LoginAsync("unit");
        await page.GotoAsync($"/inspections/{id}");
        await BrowserApp.WaitInteractiveAsync(page);

        await page.Locator($"#edit-{measureId}").ClickAsync();
        var modal = page.Locator(".ant-modal");
        await Assertions.Expect(modal).ToBeVisibleAsync();
        await modal.Locator("#e-owner").ClickAsync();
        await page.Locator(".ant-select-dropdown:visible .ant-select-item-option", new() { HasText = "演示责任人" }).ClickAsync();
        await BrowserApp.ScreenshotAsync(page, "04-edit-measure");
        await modal.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        // Opened again the moment the saved editor is hidden, as a clerk going on to the next change would. AntDesign
        // 1.6.2 finishes closing a dialog on timers that do not look at Visible again: a quarter of a second after the
        // close it destroyed the content of a dialog opened again meanwhile (the cause of this test's failures in CI).
        // The editor must appear and stay.
        Assert.Null(await BrowserApp.ReopenAndWatchAsync(page, ".ant-modal", $"#edit-{measureId}", ".ant-modal #e-progress", 1500));
        await Assertions.Expect(page.Locator($"tr:has(#edit-{measureId})")).ToContainTextAsync("演示责任人");
        await using (var db = Database.Open(app.Db))
        {
            var m = await db.Measures.SingleAsync(x => x.Id == measureId);
            Assert.Equal("演示责任人", (await db.People.SingleAsync(p => p.Id == m.OwnerId)).Name);
        }

        // Someone else saves while the form is open: the save is refused, naming who changed it, and offers a reload.
        await using (var db = Database.Open(app.Db, new Core.Access.CallerScope(true, [], [], null, "leader", null)))
        {
            var m = await db.Measures.SingleAsync(x => x.Id == measureId);
            m.Progress = "已召开专题会议";
            await db.SaveChangesAsync();
        }
        await modal.Locator("#e-progress").FillAsync("我的进展");
        await modal.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("conflict")).ToContainTextAsync("已被 leader");
        await BrowserApp.ScreenshotAsync(page, "05-stale-edit");
        await page.Locator("#conflict-reload").ClickAsync();
        await Assertions.Expect(modal.Locator("#e-progress")).ToHaveValueAsync("已召开专题会议");
        long problemId;
        await using (var db = Database.Open(app.Db))
        {
            var m = await db.Measures.SingleAsync(x => x.Id == measureId);
            Assert.Equal("已召开专题会议", m.Progress);
            problemId = m.ProblemId;
        }

        // The problem page keeps the history: who assigned the owner.
        await page.GotoAsync($"/problems/{problemId}");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".ant-timeline")).ToContainTextAsync("unit　修改了整改措施");
        await Assertions.Expect(page.Locator(".ant-timeline")).ToContainTextAsync("责任人");

        // The owner finds the measure on the landing page.
        var owner = await app.LoginAsync("owner");
        await BrowserApp.WaitInteractiveAsync(owner);
        await Assertions.Expect(owner.Locator(".ant-card", new() { HasText = "我负责的整改措施" })).ToContainTextAsync("责任人");
        await Assertions.Expect(owner.Locator($"a[href='/problems/{problemId}']").First).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(owner, "12-owner-workbench");
    }

    [BrowserFact]
    public async Task UnitAdmin_ExportsExcelLedgerAndNotice_FilesOpen()
    {
        var id = await SeedInspectionAsync();
        var page = await app.LoginAsync("unit");
        await page.GotoAsync($"/inspections/{id}");
        await BrowserApp.WaitInteractiveAsync(page);

        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", xlsx.SuggestedFilename);
        var xlsxPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".xlsx");
        await xlsx.SaveAsAsync(xlsxPath);
        using (var sheet = SpreadsheetDocument.Open(xlsxPath, false))
        {
            var text = (sheet.WorkbookPart!.SharedStringTablePart?.SharedStringTable.InnerText ?? "")
                       + string.Concat(sheet.WorkbookPart.WorksheetParts.Select(p => p.Worksheet.InnerText));
            Assert.Contains("整改措施", text);
            Assert.Contains("政治理论学习", text);
        }

        var docx = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-docx").ClickAsync());
        Assert.EndsWith(".docx", docx.SuggestedFilename);
        var docxPath = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".docx");
        await docx.SaveAsAsync(docxPath);
        using (var word = WordprocessingDocument.Open(docxPath, false))
            Assert.Contains("整改", word.MainDocumentPart!.Document.Body!.InnerText);
        File.Delete(xlsxPath);
        File.Delete(docxPath);
    }

    [BrowserFact]
    public async Task UnitAdmin_ImportsTheSeedThroughTheWizard_IntoANewInspection()
    {
        var page = await app.LoginAsync("unit");
        await page.GotoAsync("/import");
        await page.WaitForFunctionAsync("() => document.body.getAttribute('data-interactive') === '1' && document.querySelector('#import-file') !== null");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // A file that is not a notice: the importer's message, not an error page.
        var junk = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".docx");
        await File.WriteAllTextAsync(junk, "这不是一个 Word 文件");
        await page.Locator("#import-file[data-ready]").SetInputFilesAsync(junk);
        await Assertions.Expect(page.GetByTestId("import-error")).ToContainTextAsync("无法读取文件");
        File.Delete(junk);

        // A notice with a numbering slip and a problem without result: each warning sits beside its problem.
        var slip = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(slip, string.Join("\n", "关于某单位巡察整改进展情况的通报", "", "一、关于落实党的领导方面", "1.理论学习不深入。",
            "整改措施：一是制定学习计划；二是开展专题学习。", "整改结果：已完成整改。", "3.议事规则不健全。", "整改措施：修订议事规则。", "整改结果：已完成整改。",
            "二、关于作风建设方面", "1.公务接待不规范。", "整改措施：规范公务接待审批。"));
        await page.Locator("#import-file[data-ready]").SetInputFilesAsync(slip);
        await Assertions.Expect(page.GetByTestId("warnings")).ToContainTextAsync("编号跳过");
        File.Delete(slip);
        var skipped = page.Locator(".tree-problem", new() { Has = page.GetByLabel("问题一.3标题") });
        await Assertions.Expect(skipped.GetByTestId("node-warning")).ToHaveTextAsync("第7行类别一的问题编号跳过：1 之后是 3");
        var noResult = page.Locator(".tree-problem", new() { Has = page.GetByLabel("问题二.1标题") });
        await Assertions.Expect(noResult.GetByTestId("node-warning")).ToContainTextAsync("没有整改结果");
        await Assertions.Expect(page.Locator(".tree-problem", new() { Has = page.GetByLabel("问题一.1标题") }).GetByTestId("node-warning")).ToHaveCountAsync(0);
        await BrowserApp.ScreenshotAsync(page, "34-import-warnings-in-place");
        await page.GetByRole(AriaRole.Button, new() { Name = "重新选择文件" }).ClickAsync();

        await page.Locator("#import-file[data-ready]").SetInputFilesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "seed-notice.txt"));
        await Assertions.Expect(page.GetByTestId("preview")).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "06-import-preview");
        var firstTitle = page.GetByTestId("preview").Locator("input.title-input").Nth(1);
        await firstTitle.FillAsync("（已核对）" + await firstTitle.InputValueAsync());
        await firstTitle.PressAsync("Tab");
        long before;
        await using (var db = Database.Open(app.Db)) before = await db.Inspections.CountAsync();
        await page.Locator("#import-confirm").ClickAsync();
        await Assertions.Expect(page.GetByText("导入完成")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "查看整改台账" }).ClickAsync();
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("rate")).ToHaveTextAsync("95.65%");
        await using (var db = Database.Open(app.Db))
        {
            Assert.Equal(before + 1, await db.Inspections.CountAsync());
            Assert.True(await db.Problems.AnyAsync(p => p.Title.StartsWith("（已核对）")));
        }
    }

    [BrowserFact]
    public async Task Dashboard_ShowsTheRateGaugeAndCharts()
    {
        var id = await SeedInspectionAsync();
        var page = await app.LoginAsync("unit");
        await page.GotoAsync($"/dashboard?inspection={id}");
        try { await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=chart-rate] canvas, [data-testid=chart-rate] svg') !== null"); }
        catch (TimeoutException) { await BrowserApp.ScreenshotAsync(page, "failed-dashboard"); throw; }
        await page.WaitForFunctionAsync("() => document.querySelectorAll('.chart-card canvas, .chart-card svg').length >= 3");
        var width = await page.EvaluateAsync<double>("() => document.querySelector('[data-testid=chart-rate] canvas, [data-testid=chart-rate] svg').getBoundingClientRect().width");
        Assert.True(width > 250, $"the gauge is {width}px wide: " + await page.InnerHTMLAsync("[data-testid=chart-rate]"));
        await Assertions.Expect(page.Locator(".chart-note")).ToContainTextAsync("95.65%");
        await page.WaitForTimeoutAsync(800); // chart animation
        await BrowserApp.ScreenshotAsync(page, "07-dashboard");

        var office = await app.LoginAsync("office");
        await office.GotoAsync("/dashboard");
        await office.WaitForFunctionAsync("() => document.querySelector('[data-testid=chart-units] canvas, [data-testid=chart-units] svg') !== null");
        // The headline over every unit the office follows: its problems counted in the database.
        int problems;
        await using (var db = Database.Open(app.Db))
        {
            var officeId = await db.Users.Where(u => u.UserName == "office").Select(u => u.OfficeId).SingleAsync();
            problems = await db.Problems.CountAsync(p => db.Organisations.Any(o => o.Id == p.UnitId && o.ParentId == officeId));
        }
        Assert.True(problems > 0);
        await Assertions.Expect(office.GetByTestId("units-sentence")).ToContainTextAsync($"巡察反馈的{problems}个问题");
        await office.WaitForTimeoutAsync(800);
        await BrowserApp.ScreenshotAsync(office, "08-dashboard-office");
    }

    [BrowserFact]
    public async Task ProblemPage_ShowsFeedbackMeasuresAndHistory()
    {
        long problemId;
        await using (var db = Database.Open(app.Db)) problemId = await db.Problems.OrderBy(p => p.Id).Select(p => p.Id).FirstAsync();
        var page = await app.LoginAsync("leader");
        await page.GotoAsync($"/problems/{problemId}");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByText("修改记录")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".ant-card-head-title", new() { HasText = "整改措施（" })).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "09-problem");
    }

    [BrowserFact]
    public async Task OtherUnit_SeesNothingOfTheFirstUnit()
    {
        var id = await SeedInspectionAsync();
        long problemId;
        await using (var db = Database.Open(app.Db)) problemId = await db.Problems.Where(p => p.InspectionId == id).Select(p => p.Id).FirstAsync();
        var page = await app.LoginAsync("other");
        foreach (var url in new[] { $"/inspections/{id}", $"/problems/{problemId}", $"/dashboard?inspection={id}" })
        {
            await page.GotoAsync(url);
            await BrowserApp.WaitInteractiveAsync(page);
            await Assertions.Expect(page.GetByText("不存在或无权访问")).ToBeVisibleAsync();
            Assert.DoesNotContain("教育体育局", await page.ContentAsync());
        }
        await BrowserApp.ScreenshotAsync(page, "10-other-unit");
        var export = await page.APIRequest.GetAsync($"/api/inspections/{id}/export?to=xlsx");
        Assert.Equal(404, export.Status);
    }

    [BrowserFact]
    public async Task Login_WrongPassword_ChineseMessage_AndAnonymousIsSentToLogin()
    {
        var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/inspections");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await page.GetByLabel("用户名").FillAsync("unit");
        await page.GetByLabel("密码").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator(".plain-alert")).ToHaveTextAsync("用户名或密码不正确。");
        await BrowserApp.ScreenshotAsync(page, "00-login-error");
        await page.GetByLabel("密码").FillAsync(app.Passwords["unit"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/inspections$"));
        // Clicked on the prerendered header while the circuit redrew it, the click once submitted nothing (CI run of
        // 376ebdb+docs): click once the page is interactive, as a user would after it is drawn.
        await BrowserApp.WaitInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();
        await Assertions.Expect(page.Locator(".plain-alert")).ToHaveTextAsync("您已退出登录。");
    }

    [BrowserFact]
    public async Task Admin_SeesUsersAndRoles_UnitAdminIsRefused()
    {
        var page = await app.LoginAsync("admin");
        await page.GotoAsync("/admin");
        await BrowserApp.WaitInteractiveAsync(page);
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("^用户与角色") }).ClickAsync();
        await Assertions.Expect(page.Locator(".ant-tabs-tabpane-active table")).ToContainTextAsync("单位管理员");
        await BrowserApp.ScreenshotAsync(page, "11-admin");

        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync("/admin");
        await Assertions.Expect(unit.GetByText("无权访问").First).ToBeVisibleAsync();
        Assert.DoesNotContain("Demo-", await unit.ContentAsync());
    }

    [BrowserFact]
    public async Task LanguageSwitch_English_LoginWorkbenchAndLedger_ThenBackToChinese()
    {
        var id = await SeedInspectionAsync();
        string rate;
        await using (var db = Database.Open(app.Db))
            rate = (await GetLedger.RunAsync(db, id, new DeadlineSettings()))!.Figures.Problems.RateText;
        var page = await (await app.NewContextAsync()).NewPageAsync();
        await page.GotoAsync("/login");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await page.GetByLabel("User name").FillAsync("unit");
        await page.GetByLabel("Password").FillAsync(app.Passwords["unit"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/login"));
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My workbench" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main menu" })).ToContainTextAsync("Statistics");
        await Assertions.Expect(page.Locator(".app-user")).ToHaveTextAsync("Signed in: unit (Unit administrator)");

        await page.GetByRole(AriaRole.Link, new() { Name = "Rectification ledger" }).ClickAsync();
        await page.GotoAsync($"/inspections/{id}");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".ant-statistic-title", new() { HasText = "Completion rate" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("rate")).ToHaveTextAsync(rate);
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Measures" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("export-xlsx")).ToHaveTextAsync("Export Excel ledger");
        // AntDesign's own words follow the language: an empty table says "No data".
        await page.GetByLabel("Search").FillAsync("没有这样的措施zzz");
        await Assertions.Expect(page.Locator(".ant-tabs-tabpane-active .ant-empty-description")).ToHaveTextAsync("No data");
        await BrowserApp.ScreenshotAsync(page, "36-ledger-english");

        // Back to Chinese on the same page.
        await page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator(".ant-statistic-title", new() { HasText = "整改完成率" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
    }
}
