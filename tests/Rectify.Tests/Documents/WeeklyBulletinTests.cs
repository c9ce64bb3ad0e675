using System.Net;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Tests.Support;

namespace Rectify.Tests.Documents;

public class WeeklyBulletinTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    /// <summary>
    /// Two weeks after feedback (Monday 2022-06-27): problem 1 has M0 (张三a/办公室, no week-2 report), M1 (李四/财务科,
    /// deadline 07-06, late week-2 report), M2 (closed in week 2), M3 (基本完成 in week 1, deadline 07-01); problem 2 has
    /// M4 (rectified in week 2). The bulletin of week 2 names exactly those changes, that closure, those overdue items
    /// and those missing reports.
    /// </summary>
    [Theory, MemberData(nameof(Providers))]
    public async Task WeekTwo_ListsChangesClosuresOverdueAndMissing_CountsAgreeWithStatusRules(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        long li, finance, problem2;
        await using (var db = app.Open())
        {
            var dept = new Organisation { Kind = OrganisationKind.Department, Name = "财务科", ParentId = w.A.UnitId, UnitId = w.A.UnitId };
            db.Organisations.Add(dept);
            await db.SaveChangesAsync();
            var p = new Person { Name = "李四", Post = "科长", OrganisationId = dept.Id, UnitId = w.A.UnitId };
            db.People.Add(p);
            var prob = new Problem { InspectionId = w.A.InspectionId, UnitId = w.A.UnitId, CategoryId = w.A.CategoryId, Ordinal = 2, Title = "制度执行不严格" };
            db.Problems.Add(prob);
            await db.SaveChangesAsync();
            li = p.Id; finance = dept.Id; problem2 = prob.Id;
        }
        var admin = await app.ClientFor("unit_admin-a");
        await HttpAssert.Ok<JsonElement>(await admin.PutJson($"/api/measures/{w.A.MeasureId}",
            new { ownerId = w.A.PersonId, leadDepartmentId = w.A.DepartmentId, deadline = "2022-08-31", version = 1 }));
        async Task<long> Add(long problem, string text, long owner, long dept, string deadline) =>
            (await HttpAssert.Ok<JsonElement>(await admin.PostJson($"/api/problems/{problem}/measures",
                new { text, ownerId = owner, leadDepartmentId = dept, deadline, status = "in_progress" }))).GetProperty("id").GetInt64();
        var m1 = await Add(w.A.ProblemId, "完善学习制度", li, finance, "2022-07-06");
        var m2 = await Add(w.A.ProblemId, "建立学习台账", w.A.PersonId, w.A.DepartmentId, "2022-09-30");
        var m3 = await Add(w.A.ProblemId, "开展专题学习", li, finance, "2022-07-01");
        var m4 = await Add(problem2, "修订议事规则", w.A.PersonId, w.A.DepartmentId, "2022-09-30");
        async Task SetStatus(long id, string status)
        {
            var m = await HttpAssert.Ok<JsonElement>(await admin.GetAsync($"/api/measures/{id}"));
            await HttpAssert.Ok<JsonElement>(await admin.PutJson($"/api/measures/{id}", new { status, version = m.GetProperty("version").GetInt32() }));
        }
        async Task Report(long id, string week) =>
            Assert.Equal(HttpStatusCode.Created, (await admin.PostJson($"/api/measures/{id}/reports", new { done = "推进中", percent = 50, week })).StatusCode);

        // Week 1 (2022-06-27): M3 reaches 基本完成; every measure reports.
        app.Clock.Advance(TimeSpan.FromDays(1));
        await SetStatus(m3, "basically_rectified");
        foreach (var id in new[] { w.A.MeasureId, m1, m2, m3, m4 }) await Report(id, "2022-06-27");

        // Week 2 (2022-07-04): M2 rectified then closed, M4 rectified; M3 reports on time, M1 late (Saturday), M0 never.
        app.Clock.Advance(TimeSpan.FromDays(7)); // Tue 2022-07-05 09:00 China
        await SetStatus(m2, "rectified");
        await SetStatus(m4, "rectified");
        await Report(m3, "2022-07-04");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson($"/api/measures/{m1}/remarks", new { text = "进度滞后，请加快推进", week = "2022-07-04" })).StatusCode);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await SetStatus(m2, "closed");
        app.Clock.Advance(TimeSpan.FromDays(3)); // Sat 2022-07-09, after Friday's 17:00 due time
        await Report(m1, "2022-07-04");
        // Week 3 begins: a later change must not leak into week 2's bulletin.
        app.Clock.Advance(TimeSpan.FromDays(2)); // Mon 2022-07-11 09:00 China
        await SetStatus(w.A.MeasureId, "basically_rectified");

        var md = await admin.GetAsync($"/api/inspections/{w.A.InspectionId}/bulletin?to=md");
        Assert.Equal(HttpStatusCode.OK, md.StatusCode);
        var text = Encoding.UTF8.GetString(await md.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("# 关于区教育体育局第2周整改进展情况的通报", text);
        Assert.Contains("第2周（2022年7月4日至2022年7月10日）", text);

        // Figures: problem 1 is still in progress, problem 2 is completed → 1 of 2, 50%, as StatusRules counts them.
        var expected = StatusRules.Count([
            StatusRules.DeriveProblemStatus([MeasureStatus.InProgress, MeasureStatus.InProgress, MeasureStatus.Closed, MeasureStatus.BasicallyRectified]),
            StatusRules.DeriveProblemStatus([MeasureStatus.Rectified])]);
        Assert.Equal((2, 1, "50%"), (expected.Problems, expected.Completed, expected.RateText));
        Assert.Contains($"巡察反馈问题2个，已完成整改1个，基本完成0个，整改完成率{expected.RateText}；整改措施5项，已完成2项。", text);
        Assert.Contains("本周完成整改2项，销号1项；逾期未完成2项，其中本周新增逾期1项；本周应报未报周汇报1项，迟报1项。", text);

        var section = (string heading) => Section(text, heading);
        var changes = section("## 二、本周状态变化");
        Assert.Equal([
            "1\\.“学习贯彻不深入”问题的“建立学习台账”：由“整改推进中”变为“已整改”。",
            "2\\.“制度执行不严格”问题的“修订议事规则”：由“整改推进中”变为“已整改”。",
            "3\\.“学习贯彻不深入”问题的“建立学习台账”：由“已整改”变为“已整改销号”。"], changes);
        Assert.Equal(["1\\.“学习贯彻不深入”问题的“建立学习台账”（责任部门：办公室，责任人：张三a）。"], section("## 三、本周销号事项"));
        Assert.Equal([
            "1\\.“学习贯彻不深入”问题的“完善学习制度”（整改时限2022年7月6日，整改推进中）（责任部门：财务科，责任人：李四）。",
            "2\\.“学习贯彻不深入”问题的“开展专题学习”（整改时限2022年7月1日，基本完成）（责任部门：财务科，责任人：李四）。"], section("## 四、逾期未完成事项"));
        Assert.Equal([
            "按部门：办公室未报1项。",
            "按责任人：张三a未报1项。",
            "1\\.“学习贯彻不深入”问题的“制定学习计划”（责任部门：办公室，责任人：张三a），未报。",
            "迟报：“学习贯彻不深入”问题的“完善学习制度”（责任部门：财务科，责任人：李四）。"], section("## 五、周汇报报送情况"));
        Assert.Contains("“学习贯彻不深入”问题的“完善学习制度”：进度滞后，请加快推进", text);

        // Asking for any day of week 2 gives the same bulletin; week 1 shows M3's change and no closure.
        var same = Encoding.UTF8.GetString(await (await admin.GetAsync($"/api/inspections/{w.A.InspectionId}/bulletin?to=md&week=2022-07-06")).Content.ReadAsByteArrayAsync());
        Assert.Equal(text, same);
        var week1 = Encoding.UTF8.GetString(await (await admin.GetAsync($"/api/inspections/{w.A.InspectionId}/bulletin?to=md&week=2022-06-27")).Content.ReadAsByteArrayAsync());
        Assert.Contains("# 关于区教育体育局第1周整改进展情况的通报", week1);
        Assert.Equal(["1\\.“学习贯彻不深入”问题的“开展专题学习”：由“整改推进中”变为“基本完成”。"], Section(week1, "## 二、本周状态变化"));
        Assert.Equal(["本周无销号事项。"], Section(week1, "## 三、本周销号事项"));

        // DOCX: opens, validates, carries the title and the same items.
        var docx = await admin.GetAsync($"/api/inspections/{w.A.InspectionId}/bulletin?week=2022-07-04&to=docx");
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.Content.Headers.ContentType?.MediaType);
        using var ms = new MemoryStream(await docx.Content.ReadAsByteArrayAsync());
        using var doc = WordprocessingDocument.Open(ms, false);
        Assert.Empty(new OpenXmlValidator(FileFormatVersions.Office2019).Validate(doc).Select(e => $"{e.Path?.XPath}: {e.Description}"));
        var paragraphs = doc.MainDocumentPart!.Document.Body!.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Equal("关于区教育体育局第2周整改进展情况的通报", paragraphs[0]);
        Assert.Contains("3.“学习贯彻不深入”问题的“建立学习台账”：由“已整改”变为“已整改销号”。", paragraphs);
        Assert.Contains("区教育体育局", paragraphs);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task BadWeekOrFormat_400WithChineseMessage_OtherUnit404(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var admin = await app.ClientFor("unit_admin-a");
        var bad = await HttpAssert.Problem(await admin.GetAsync($"/api/inspections/{w.A.InspectionId}/bulletin?to=pdf"), 400);
        Assert.Contains("md 或 docx", Errors(bad, "to"));
        var future = await HttpAssert.Problem(await admin.GetAsync($"/api/inspections/{w.A.InspectionId}/bulletin?week=2022-08-01"), 400);
        Assert.Contains("未来周次", Errors(future, "week"));
        var early = await HttpAssert.Problem(await admin.GetAsync($"/api/inspections/{w.A.InspectionId}/bulletin?week=2022-06-01"), 400);
        Assert.Contains("早于反馈日期", Errors(early, "week"));
        await HttpAssert.Problem(await admin.GetAsync($"/api/inspections/{w.B.InspectionId}/bulletin?to=md"), 404);
    }

    static string Errors(JsonElement problem, string field) =>
        string.Join(" ", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));

    /// <summary>The non-empty lines under a "## " heading up to the next heading.</summary>
    static List<string> Section(string markdown, string heading) =>
        [.. markdown.Split('\n').SkipWhile(l => l != heading).Skip(1).TakeWhile(l => !l.StartsWith('#') && !l.StartsWith('<')).Where(l => l.Length > 0)
            .Where(l => !l.StartsWith("请逾期"))];
}
