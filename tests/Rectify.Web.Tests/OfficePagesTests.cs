using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Web.Tests;

/// <summary>
/// The supervision pages: the weekly grid (周督查) with missing reports, remarks and the weekly bulletin; the inbox
/// (我的消息) with its count on the workbench; evidence previews in the approval queue.
/// </summary>
public sealed class OfficePagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>A 160×100 blue PNG.</summary>
    static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAKAAAABkCAIAAACO1KzYAAAAsUlEQVR42u3RAQkAAAgEsU9iTsMaxhoig0twS/XocbEAsAALsAALsAALMGABFmABFmABFmDAAizAAizAAizAAgxYgAVYgAVYgAUYsAALsAALsAALMGABFmABFmABFmABBizAAizAAizAAgxYgAVYgAVYgAUYsAuABViABViABViAAQuwAAuwAAuwAAMWYAEWYAEWYAEWYMACLMACLMACLMCABViABViABViAAQuwAOteCwtrWkcp015mAAAAAElFTkSuQmCC");

    static readonly byte[] Pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    [BrowserFact]
    public async Task UnitAdmin_WeeklyGrid_ShowsMissingReports_SavesRemark_DownloadsBulletin()
    {
        var settings = new WorkflowSettings();
        var calendar = new WeekCalendar(settings);
        var thisWeek = calendar.WeekOf(DateTimeOffset.UtcNow);
        var lastWeek = thisWeek.AddDays(-7);
        long inspectionId, reportedId, missingId;
        await using (var db = Database.Open(app.Db))
        {
            inspectionId = await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
            var open = await db.Measures.Where(m => m.InspectionId == inspectionId && (m.Status == MeasureStatus.InProgress || m.Status == MeasureStatus.NotStarted))
                .OrderBy(m => m.Id).Take(2).ToListAsync();
            (reportedId, missingId) = (open[0].Id, open[1].Id);
            // The owner reported on the first measure last week, in time; nobody reported on the second.
            var owner = await db.Users.SingleAsync(u => u.UserName == "owner");
            db.ProgressReports.Add(new ProgressReport
            {
                MeasureId = reportedId, UnitId = open[0].UnitId, Week = lastWeek, AuthorUserId = owner.Id, Done = "完成制度初稿", Percent = 80,
                SubmittedAt = calendar.DueUtc(lastWeek).AddHours(-3),
            });
            await db.SaveChangesAsync();
        }
        int expectedMissing;
        await using (var db = Database.Open(app.Db))
            expectedMissing = (await new GetWeeklyGrid(db, TimeProvider.System, settings).RunAsync(inspectionId, thisWeek.AddDays(-7 * 7)))!.Missing;

        // From the ledger to its weekly grid.
        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync($"/inspections/{inspectionId}");
        await BrowserApp.WaitInteractiveAsync(unit);
        await unit.GetByTestId("weekly-link").ClickAsync();
        await unit.WaitForURLAsync($"**/inspections/{inspectionId}/weekly");
        await BrowserApp.WaitInteractiveAsync(unit);
        await Assertions.Expect(unit.GetByRole(AriaRole.Heading, new() { Name = "周督查表" })).ToBeVisibleAsync();
        var grid = unit.GetByTestId("weekly-grid");
        await Assertions.Expect(grid.Locator("thead th")).ToHaveCountAsync(3 + 8 + 2);
        var last = lastWeek.ToString("yyyy-MM-dd");
        await Assertions.Expect(unit.GetByTestId($"row-{reportedId}").Locator($"[data-week='{last}']")).ToHaveTextAsync("已报 80%");
        var missingCell = unit.GetByTestId($"row-{missingId}").Locator($"[data-week='{last}']");
        await Assertions.Expect(missingCell).ToHaveTextAsync("未报");
        await Assertions.Expect(missingCell).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("wk-missing"));
        Assert.Equal("rgb(207, 19, 34)", await missingCell.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await Assertions.Expect(unit.GetByTestId("missing-total")).ToHaveTextAsync(expectedMissing.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A remark on the missing measure for this week: empty is refused, then saved and marked in the cell.
        await unit.Locator($"#remark-open-{missingId}").ClickAsync();
        var modal = unit.Locator(".ant-modal");
        await Assertions.Expect(modal).ToBeVisibleAsync();
        await modal.Locator("#rm-save").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("remark-error")).ToContainTextAsync("请填写督查意见");
        var current = thisWeek.ToString("yyyy-MM-dd");
        await modal.Locator("#rm-week").SelectOptionAsync(current);
        await modal.Locator("#rm-text").FillAsync("上周未报，请责任人本周五前补报");
        await modal.Locator("#rm-save").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("weekly-message")).ToContainTextAsync("督查意见已保存");
        await Assertions.Expect(unit.GetByTestId($"row-{missingId}").Locator(".wk-remark")).ToHaveAttributeAsync("title", "上周未报，请责任人本周五前补报");
        // The next row's remark, opened the moment the saved one is hidden, appears and stays, empty; its close button
        // closes it.
        Assert.Null(await BrowserApp.ReopenAndWatchAsync(unit, ".ant-modal", $"#remark-open-{reportedId}", ".ant-modal #rm-text", 1500));
        await Assertions.Expect(modal.Locator("#rm-text")).ToHaveValueAsync("");
        await modal.Locator(".ant-modal-close").ClickAsync();
        await Assertions.Expect(modal).ToBeHiddenAsync();
        await unit.EvaluateAsync("() => window.scrollTo(0, 0)");
        await BrowserApp.ScreenshotAsync(unit, "30-weekly-grid");
        await using (var db = Database.Open(app.Db))
        {
            var remark = await db.SupervisionRemarks.SingleAsync(r => r.MeasureId == missingId);
            Assert.Equal(thisWeek, remark.Week);
            Assert.True(await db.AuditEvents.AnyAsync(e => e.EntityType == nameof(SupervisionRemark) && e.EntityId == remark.Id && e.UserName == "unit"));
        }

        // This week's bulletin (the demo ledger was loaded this week), as Markdown and Word, carries the remark.
        await Assertions.Expect(unit.Locator("#b-week")).ToHaveValueAsync(last);
        await unit.Locator("#b-week").SelectOptionAsync(current);
        await Assertions.Expect(unit.GetByTestId("bulletin-md")).ToHaveAttributeAsync("href", $"/api/inspections/{inspectionId}/bulletin?to=md&week={current}");
        var download = await unit.RunAndWaitForDownloadAsync(() => unit.GetByTestId("bulletin-md").ClickAsync());
        Assert.EndsWith("整改进展通报.md", download.SuggestedFilename);
        var md = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("整改进展情况的通报", md);
        Assert.Contains("上周未报，请责任人本周五前补报", md);
        var docx = await unit.RunAndWaitForDownloadAsync(() => unit.GetByTestId("bulletin-docx").ClickAsync());
        Assert.EndsWith("整改进展通报.docx", docx.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await docx.PathAsync())!);
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);

        // The other unit's admin finds no such grid.
        var other = await app.LoginAsync("other");
        await other.GotoAsync($"/inspections/{inspectionId}/weekly");
        await BrowserApp.WaitInteractiveAsync(other);
        await Assertions.Expect(other.Locator(".ant-result")).ToContainTextAsync("不存在或无权访问");
        Assert.Equal(404, (await other.APIRequest.GetAsync($"/api/inspections/{inspectionId}/bulletin?to=md")).Status);
    }

    [BrowserFact]
    public async Task Owner_Inbox_CountOnWorkbench_MarkRead_LinkToMeasure_OthersSeeNone()
    {
        long measureId, first, second;
        await using (var db = Database.Open(app.Db))
        {
            var owner = await db.Users.SingleAsync(u => u.UserName == "owner");
            // Whatever the reminder job produced at start was read earlier.
            foreach (var r in await db.Reminders.Where(r => r.UserId == owner.Id && r.ReadAt == null).ToListAsync()) r.ReadAt = DateTime.UtcNow;
            var m = await db.Measures.OrderBy(x => x.Id).FirstAsync();
            measureId = m.Id;
            var now = DateTime.UtcNow;
            Reminder Make(string kind, string title, DateTime at) => new()
            {
                UserId = owner.Id, Kind = kind, Subject = $"measure:{m.Id}", Period = "web-test", Key = Reminder.KeyOf(owner.Id, kind, $"measure:{m.Id}", "web-test"),
                Title = title, UnitId = m.UnitId, MeasureId = m.Id, CreatedAt = at,
            };
            var a = Make("report_due", "请于周五 17:00 前提交周汇报：测试措施甲", now.AddMinutes(-5));
            var b = Make("light_red", "红灯：已超期未销号：测试措施乙", now);
            db.Reminders.AddRange(a, b);
            await db.SaveChangesAsync();
            (first, second) = (a.Id, b.Id);
        }

        var page = await app.LoginAsync("owner");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("inbox-unread")).ToContainTextAsync("您有 2 条未读消息");
        await page.GetByRole(AriaRole.Link, new() { Name = "查看我的消息" }).ClickAsync();
        await page.WaitForURLAsync("**/inbox");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#inbox-unread-tab")).ToContainTextAsync("未读（2）");
        await Assertions.Expect(page.GetByTestId($"reminder-{second}")).ToContainTextAsync("红灯");
        await Assertions.Expect(page.GetByTestId($"reminder-{first}")).ToContainTextAsync("周汇报到期");
        await BrowserApp.ScreenshotAsync(page, "31-inbox");

        // Read one: it leaves the unread list and is 已读 under 全部.
        await page.Locator($"#read-{first}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"reminder-{first}")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#inbox-unread-tab")).ToContainTextAsync("未读（1）");
        await page.Locator("#inbox-all-tab").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"reminder-{first}")).ToContainTextAsync("已读");

        // The other one's link opens its measure and marks it read.
        await page.GetByTestId($"reminder-{second}").GetByRole(AriaRole.Link, new() { Name = "查看整改措施：红灯：已超期未销号：测试措施乙" }).ClickAsync();
        await page.WaitForURLAsync($"**/measures/{measureId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "整改措施" })).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("inbox-unread")).ToHaveCountAsync(0);

        // Another user's inbox does not show the owner's reminders.
        var leader = await app.LoginAsync("leader");
        await leader.GotoAsync("/inbox");
        await BrowserApp.WaitInteractiveAsync(leader);
        await leader.Locator("#inbox-all-tab").ClickAsync();
        await Assertions.Expect(leader.Locator("body")).Not.ToContainTextAsync("测试措施乙");
    }

    [BrowserFact]
    public async Task Leader_PreviewsEvidence_ImageInline_PdfFramed_OtherUnitGets404()
    {
        long measureId;
        await using (var db = Database.Open(app.Db))
        {
            var inspectionId = await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
            // The clerk assigned the demo owner and leader to an open measure earlier.
            var m = await db.Measures.Where(x => x.InspectionId == inspectionId && (x.Status == MeasureStatus.InProgress || x.Status == MeasureStatus.NotStarted))
                .OrderByDescending(x => x.Id).Skip(1).FirstAsync();
            m.OwnerId = await db.People.Where(p => p.Name == "演示责任人").Select(p => p.Id).SingleAsync();
            m.LeaderId = await db.People.Where(p => p.Name == "演示责任领导").Select(p => p.Id).SingleAsync();
            m.Deadline ??= DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60);
            await db.SaveChangesAsync();
            measureId = m.Id;
        }

        // The owner asks to strike it off with a photo and a PDF.
        var owner = await app.LoginAsync("owner");
        await owner.GotoAsync($"/measures/{measureId}");
        await BrowserApp.WaitInteractiveAsync(owner);
        await owner.Locator("#closure-open").ClickAsync();
        await owner.Locator("#c-statement").FillAsync("整改现场已复原，照片和验收单为证");
        await BrowserApp.ChooseFilesAsync(owner, "c-files",
            new FilePayload { Name = "现场照片.png", MimeType = "image/png", Buffer = Png },
            new FilePayload { Name = "验收单.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await owner.Locator("#c-submit").ClickAsync();
        await Assertions.Expect(owner.GetByTestId("flow-message")).ToContainTextAsync("销号申请已提交");
        long imageId, pdfId;
        await using (var db = Database.Open(app.Db))
        {
            imageId = await db.EvidenceFiles.Where(f => f.MeasureId == measureId && f.FileName == "现场照片.png").Select(f => f.Id).SingleAsync();
            pdfId = await db.EvidenceFiles.Where(f => f.MeasureId == measureId && f.FileName == "验收单.pdf").Select(f => f.Id).SingleAsync();
        }

        // The leader sees the photo inline and opens the PDF in the page.
        var leader = await app.LoginAsync("leader");
        await leader.GotoAsync("/approvals");
        await BrowserApp.WaitInteractiveAsync(leader);
        var image = leader.GetByTestId($"evidence-image-{imageId}");
        await Assertions.Expect(image).ToBeVisibleAsync();
        await Assertions.Expect(image).ToHaveAttributeAsync("alt", "佐证材料：现场照片.png");
        await leader.WaitForFunctionAsync($"() => {{ const i = document.querySelector(\"[data-testid='evidence-image-{imageId}']\"); return i && i.complete && i.naturalWidth === 160; }}");
        await Assertions.Expect(leader.GetByTestId($"evidence-pdf-{pdfId}")).ToHaveCountAsync(0);
        await leader.Locator($"#preview-{pdfId}").ClickAsync();
        var frame = leader.GetByTestId($"evidence-pdf-{pdfId}");
        await Assertions.Expect(frame).ToBeVisibleAsync();
        await Assertions.Expect(frame).ToHaveAttributeAsync("title", "佐证材料预览：验收单.pdf");
        await Assertions.Expect(leader.Locator($"#preview-{pdfId}")).ToHaveAttributeAsync("aria-expanded", "true");
        await BrowserApp.ScreenshotAsync(leader, "32-approval-preview");
        var src = await frame.GetAttributeAsync("src");
        var preview = await leader.APIRequest.GetAsync(src!);
        Assert.Equal(200, preview.Status);
        Assert.Equal("application/pdf", preview.Headers["content-type"]);
        Assert.StartsWith("inline", preview.Headers["content-disposition"]);
        Assert.Contains("frame-ancestors 'self'", preview.Headers["content-security-policy"]);
        Assert.Equal(Pdf, await preview.BodyAsync());

        // Another unit's user gets nothing.
        var other = await app.LoginAsync("other");
        Assert.Equal(404, (await other.APIRequest.GetAsync(src!)).Status);
        Assert.Equal(404, (await other.APIRequest.GetAsync($"/api/evidence/{imageId}/preview")).Status);
    }

    [BrowserFact]
    public async Task UnitAdmin_RecordsFigureAndRule_ThenReopensACompletedMeasure()
    {
        long measureId;
        await using (var db = Database.Open(app.Db))
        {
            var inspectionId = await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
            measureId = await db.Measures.Where(m => m.InspectionId == inspectionId && (m.Status == MeasureStatus.Rectified || m.Status == MeasureStatus.RectifiedOngoing || m.Status == MeasureStatus.Closed)).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync();
        }
        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync($"/measures/{measureId}");
        await BrowserApp.WaitInteractiveAsync(unit);

        // 整改成效: an empty value is refused; 2730 元 is listed with its unit.
        await unit.Locator("#of-add").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("figure-error")).ToContainTextAsync("请填写成效数值");
        await unit.Locator("#of-kind").SelectOptionAsync("funds_yuan");
        await unit.Locator("#of-value").FillAsync("2730");
        await unit.Locator("#of-note").FillAsync("清退违规发放补贴");
        await unit.Locator("#of-add").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("figures-table")).ToContainTextAsync("追缴/清退资金");
        await Assertions.Expect(unit.GetByTestId("figures-table")).ToContainTextAsync("2730 元");

        // 长效机制 linked to the problem.
        await unit.Locator("#rl-title").FillAsync("教师借调管理办法");
        await unit.Locator("#rl-ref").FillAsync("平龙教体〔2022〕31号");
        await unit.Locator("#rl-date").FillAsync("2022-09-30");
        await unit.Locator("#rl-add").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("rules-table")).ToContainTextAsync("平龙教体〔2022〕31号");
        await using (var db = Database.Open(app.Db))
        {
            var problemId = await db.Measures.Where(m => m.Id == measureId).Select(m => m.ProblemId).SingleAsync();
            Assert.Equal(2730m, await db.OutcomeFigures.Where(f => f.ProblemId == problemId).Select(f => f.Value).SingleAsync());
            Assert.Contains((await db.Rules.Where(r => r.Title == "教师借调管理办法").SingleAsync()).ProblemIds, id => id == problemId);
        }

        // 回头看: without a reason refused; with one the measure is open again and the reason is in its remarks.
        await unit.Locator("#ro-submit").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("reopen-error")).ToContainTextAsync("请填写重新打开的原因");
        await unit.Locator("#ro-reason").FillAsync("复查发现仍有借调教师未返岗");
        await unit.Locator("#ro-submit").ClickAsync();
        await Assertions.Expect(unit.GetByTestId("flow-message")).ToContainTextAsync("已重新打开");
        await Assertions.Expect(unit.GetByTestId("measure-status")).ToContainTextAsync(StatusRules.Wording(MeasureStatus.InProgress));
        await Assertions.Expect(unit.GetByTestId("measure-remarks")).ToContainTextAsync("回头看：复查发现仍有借调教师未返岗");
        await Assertions.Expect(unit.Locator("#ro-submit")).ToHaveCountAsync(0);
        await unit.EvaluateAsync("() => window.scrollTo(0, 0)");
        await BrowserApp.ScreenshotAsync(unit, "33-measure-reopened");

        // A viewer sees the figures but no forms.
        var viewer = await app.LoginAsync("viewer");
        await viewer.GotoAsync($"/measures/{measureId}");
        await BrowserApp.WaitInteractiveAsync(viewer);
        await Assertions.Expect(viewer.GetByTestId("figures-table")).ToContainTextAsync("2730 元");
        await Assertions.Expect(viewer.Locator("#of-add")).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.Locator("#rl-add")).ToHaveCountAsync(0);
    }

    /// <summary>Administration (here to share the fixture): organisations, people, users and roles, approval chains.</summary>
    [BrowserFact]
    public async Task Admin_AddsDepartmentPersonAndUser_ChangesRole_Disables_SetsApprovalChain()
    {
        long unitId;
        await using (var db = Database.Open(app.Db))
            unitId = (await db.Users.SingleAsync(u => u.UserName == "unit")).UnitId!.Value;
        var admin = await app.LoginAsync("admin");
        await admin.GotoAsync("/admin");
        await BrowserApp.WaitInteractiveAsync(admin);

        // A department of the demo unit, and a person in it.
        await admin.Locator("#ao-name").FillAsync("督查股");
        await admin.Locator("#ao-kind").SelectOptionAsync("Department");
        await admin.Locator("#ao-parent").SelectOptionAsync(unitId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.Locator("#ao-add").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("admin-message")).ToContainTextAsync("已新增组织");
        await Assertions.Expect(admin.GetByTestId("orgs")).ToContainTextAsync("督查股");
        long departmentId;
        await using (var db = Database.Open(app.Db))
        {
            var d = await db.Organisations.SingleAsync(o => o.Name == "督查股");
            Assert.Equal(unitId, d.UnitId);
            departmentId = d.Id;
        }
        await admin.GetByRole(AriaRole.Tab, new() { Name = "人员" }).ClickAsync();
        await admin.Locator("#ap-name").FillAsync("督查员小李");
        await admin.Locator("#ap-post").FillAsync("科员");
        await admin.Locator("#ap-org").SelectOptionAsync(departmentId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.Locator("#ap-add").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("people")).ToContainTextAsync("督查员小李");

        // A user for that person: a weak password is refused in Chinese, then the user is created and can log in.
        await admin.GetByRole(AriaRole.Tab, new() { Name = "用户与角色" }).ClickAsync();
        await admin.Locator("#au-name").FillAsync("xiaoli");
        await admin.Locator("#au-display").FillAsync("小李");
        await admin.Locator("#au-role").SelectOptionAsync("Owner");
        await admin.Locator("#au-org").SelectOptionAsync(unitId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.Locator("#au-person").SelectOptionAsync(new SelectOptionValue { Label = "督查员小李" });
        await admin.Locator("#au-password").FillAsync("123");
        await admin.Locator("#au-add").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("admin-error")).ToContainTextAsync("密码至少需要 8 个字符");
        await admin.Locator("#au-password").FillAsync("Xiaoli-2022");
        await admin.Locator("#au-add").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("admin-message")).ToContainTextAsync("已新增用户");
        await Assertions.Expect(admin.GetByTestId("user-xiaoli")).ToContainTextAsync("正常");
        long userId;
        await using (var db = Database.Open(app.Db))
        {
            var u = await db.Users.SingleAsync(x => x.UserName == "xiaoli");
            Assert.Equal(Core.Access.Role.Owner, u.Role);
            Assert.Equal(unitId, u.UnitId);
            Assert.NotNull(u.PersonId);
            userId = u.Id;
        }
        app.Passwords["xiaoli"] = "Xiaoli-2022";
        var xiaoli = await app.LoginAsync("xiaoli");
        await Assertions.Expect(xiaoli.Locator(".app-user")).ToContainTextAsync("责任人");

        // Role change to viewer ends the session's old role.
        await admin.Locator($"#role-{userId}").SelectOptionAsync("Viewer");
        await Assertions.Expect(admin.GetByTestId("admin-message")).ToContainTextAsync("已更改 xiaoli 的角色");
        await using (var db = Database.Open(app.Db))
            Assert.Equal(Core.Access.Role.Viewer, (await db.Users.SingleAsync(x => x.Id == userId)).Role);

        // Disabled: the open session ends and a new login is refused with a clear message.
        await admin.Locator($"#toggle-{userId}").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("user-xiaoli")).ToContainTextAsync("已停用");
        await BrowserApp.ScreenshotAsync(admin, "35-admin-users");
        await xiaoli.GotoAsync("/");
        await xiaoli.WaitForURLAsync(u => u.Contains("/login"));
        await xiaoli.GetByLabel("用户名").FillAsync("xiaoli");
        await xiaoli.GetByLabel("密码").FillAsync("Xiaoli-2022");
        await xiaoli.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(xiaoli.Locator("body")).ToContainTextAsync("账户已停用");

        // The demo unit's approval chain: 责任领导 → 巡察办, then back to the default.
        await admin.GetByRole(AriaRole.Tab, new() { Name = "审批流程" }).ClickAsync();
        await admin.Locator($"#step-{unitId}-0").SelectOptionAsync("leader");
        await admin.Locator($"#step-{unitId}-1").SelectOptionAsync("office");
        await admin.Locator($"#step-{unitId}-2").SelectOptionAsync("");
        await admin.Locator($"#chain-save-{unitId}").ClickAsync();
        await Assertions.Expect(admin.GetByTestId($"chain-text-{unitId}")).ToHaveTextAsync("责任领导审核 → 巡察办核验");
        await using (var db = Database.Open(app.Db))
            Assert.Equal("leader,office", (await db.Organisations.SingleAsync(o => o.Id == unitId)).ApprovalChain);
        await admin.Locator($"#chain-reset-{unitId}").ClickAsync();
        await Assertions.Expect(admin.GetByTestId($"chain-text-{unitId}")).ToContainTextAsync("（默认）");

        // Cycle and light settings: a yellow threshold not below green is refused in Chinese; 15 days is stored and in
        // force at once; then everything back to the configured values.
        await admin.GetByRole(AriaRole.Tab, new() { Name = "周期与预警" }).ClickAsync();
        await Assertions.Expect(admin.GetByTestId("eff-yellow")).ToHaveTextAsync("10 天");
        await admin.Locator("#st-yellow").FillAsync("25");
        await admin.Locator("#st-save").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("admin-error")).ToContainTextAsync("黄灯天数须小于绿灯天数");
        await admin.Locator("#st-yellow").FillAsync("15");
        await admin.Locator("#st-save").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("admin-message")).ToContainTextAsync("已保存周期与预警设置");
        await Assertions.Expect(admin.GetByTestId("eff-yellow")).ToHaveTextAsync("15 天");
        await using (var db = Database.Open(app.Db))
            Assert.Equal(15, (await db.StoredSettings.SingleAsync()).YellowDays);
        await admin.Locator("#st-reset").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("eff-yellow")).ToHaveTextAsync("10 天");
        await using (var db = Database.Open(app.Db))
            Assert.Null((await db.StoredSettings.SingleAsync()).YellowDays);
    }
}
