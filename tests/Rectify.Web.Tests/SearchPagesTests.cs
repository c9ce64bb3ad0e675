using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;

namespace Rectify.Web.Tests;

/// <summary>
/// The inspection office's search pages: full-text search (全文检索) — reached from the menu, the query kept in the
/// address, the hits those of an independent query of the database, a hit's link opening its page, closed to unit
/// users — and 举一反三 on a problem's page: the like problems of other units.
/// </summary>
public sealed class SearchPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [BrowserFact]
    public async Task Office_SearchesAcrossUnits_OpensAHit_UnitUserIsRefused()
    {
        const string term = "借调";
        List<long> problems, measures;
        await using (var db = Database.Open(app.Db))
        {
            problems = await db.Problems.Where(p => p.Title.Contains(term) || (p.Description ?? "").Contains(term))
                .OrderByDescending(p => p.Id).Select(p => p.Id).ToListAsync();
            measures = await db.Measures.Where(m => m.Text.Contains(term) || (m.Progress ?? "").Contains(term))
                .OrderByDescending(m => m.Id).Select(m => m.Id).ToListAsync();
        }
        Assert.NotEmpty(problems);
        Assert.NotEmpty(measures);

        var office = await app.LoginAsync("office");
        await office.GotoAsync("/");
        await BrowserApp.WaitInteractiveAsync(office);
        await office.GetByRole(AriaRole.Link, new() { Name = "全文检索" }).ClickAsync();
        await office.WaitForURLAsync("**/search");
        await office.WaitForFunctionAsync("() => document.body.getAttribute('data-interactive') === '1'");
        await office.Locator("#s-q").FillAsync(term);
        await office.Locator("#s-submit").ClickAsync();
        await office.WaitForURLAsync(u => u.Contains("q=" + Uri.EscapeDataString(term)));

        // Problems first, then measures, newest first within each; every row of the database's own query, and no other.
        var rows = office.GetByTestId("search-results").Locator("tbody tr");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        var shown = await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.getAttribute('data-testid'))");
        var expected = problems.Select(id => $"hit-problem-{id}").Concat(measures.Select(id => $"hit-measure-{id}")).ToList();
        Assert.Equal(expected, shown.Where(s => s.StartsWith("hit-problem-") || s.StartsWith("hit-measure-")));
        await Assertions.Expect(office.GetByTestId("search-count")).ToContainTextAsync($"共找到 {shown.Length} 条");
        await BrowserApp.ScreenshotAsync(office, "45-search");

        // The kind filter comes from the address and narrows the hits.
        await office.GotoAsync($"/search?q={Uri.EscapeDataString(term)}&kind=measure");
        await office.WaitForFunctionAsync("() => document.body.getAttribute('data-interactive') === '1'");
        await Assertions.Expect(office.GetByTestId("search-count")).ToContainTextAsync($"共找到 {measures.Count} 条");
        await Assertions.Expect(office.Locator("#s-kind")).ToContainTextAsync("整改措施");

        // A hit opens its page.
        await office.GetByTestId($"hit-measure-{measures[0]}").GetByRole(AriaRole.Link).ClickAsync();
        await office.WaitForURLAsync($"**/measures/{measures[0]}");
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "整改措施" })).ToBeVisibleAsync();

        // A unit's user has no such menu entry and cannot open the page.
        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync("/");
        await BrowserApp.WaitInteractiveAsync(unit);
        await Assertions.Expect(unit.GetByRole(AriaRole.Link, new() { Name = "全文检索" })).ToHaveCountAsync(0);
        await unit.GotoAsync($"/search?q={Uri.EscapeDataString(term)}");
        await Assertions.Expect(unit.GetByText("无权访问").First).ToBeVisibleAsync();
        Assert.DoesNotContain("search-results", await unit.ContentAsync());
    }

    [BrowserFact]
    public async Task Office_SeesTheLikeProblemsOfOtherUnits_OnAProblemsPage_UnitUserDoesNot()
    {
        long problemId, otherId;
        await using (var db = Database.Open(app.Db))
        {
            var problem = await db.Problems.Where(p => p.Title == "长期违规借调教师").SingleAsync();
            problemId = problem.Id;
            var officeId = await db.Users.Where(u => u.UserName == "office").Select(u => u.OfficeId).SingleAsync();
            // Another unit under the same office, with a problem worded much like it in a later round.
            var unit = new Organisation { Kind = OrganisationKind.Unit, Name = "平顶山市石龙区卫生健康委员会", ParentId = officeId };
            var round = new InspectionRound { Name = "2023年第二轮巡察", OfficeId = officeId!.Value };
            db.Organisations.Add(unit);
            db.Rounds.Add(round);
            await db.SaveChangesAsync();
            var inspection = new Inspection { UnitId = unit.Id, RoundId = round.Id, Team = "区委第二巡察组", FeedbackDate = new DateOnly(2023, 9, 1) };
            db.Inspections.Add(inspection);
            await db.SaveChangesAsync();
            var other = new Problem { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = 1, Title = "长期违规借调基层医务人员", Description = "部分医务人员长期被借调，违规借调问题突出" };
            db.Categories.Add(new Category { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = 1, Title = "干部队伍建设方面", Problems = { other } });
            await db.SaveChangesAsync();
            otherId = other.Id;
        }

        var office = await app.LoginAsync("office");
        await office.GotoAsync($"/problems/{problemId}");
        await BrowserApp.WaitInteractiveAsync(office);
        var row = office.GetByTestId($"similar-{otherId}");
        await Assertions.Expect(row).ToContainTextAsync("平顶山市石龙区卫生健康委员会");
        await Assertions.Expect(row).ToContainTextAsync("2023年第二轮巡察");
        await BrowserApp.ScreenshotAsync(office, "46-similar");
        await row.GetByRole(AriaRole.Link, new() { Name = "长期违规借调基层医务人员" }).ClickAsync();
        await office.WaitForURLAsync($"**/problems/{otherId}");
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "长期违规借调基层医务人员" })).ToBeVisibleAsync();

        var unitUser = await app.LoginAsync("unit");
        await unitUser.GotoAsync($"/problems/{problemId}");
        await BrowserApp.WaitInteractiveAsync(unitUser);
        await Assertions.Expect(unitUser.GetByRole(AriaRole.Heading, new() { Name = "长期违规借调教师" })).ToBeVisibleAsync();
        await Assertions.Expect(unitUser.GetByText("举一反三")).ToHaveCountAsync(0);
    }
}
