using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;

namespace Rectify.Web.Tests;

/// <summary>
/// The inspection office's search pages: full-text search (全文检索) — reached from the menu, the query kept in the
/// address, the hits those of an independent query of the database within the office's units, a hit's link opening its
/// page, closed to unit users — and 举一反三 on a problem's page: the like problems of the office's other units, not
/// those of another office.
/// </summary>
public sealed class SearchPagesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    const string Term = "借调";

    [BrowserFact]
    public async Task Office_SearchesAcrossUnits_OpensAHit_UnitUserIsRefused()
    {
        List<string> expected;
        await using (var db = Database.Open(app.Db))
        {
            await AddUnitAsync(db, "市委巡察办（另一办）", "某县教育局", "2023年第一轮巡察", "违规借调教师问题突出", underDemoOffice: false);
            var mine = await OfficeUnitsAsync(db);
            // The search's order: problems, measures, reports, rules; newest first within each; the office's units only.
            expected =
            [
                .. (await db.Problems.Where(p => mine.Contains(p.UnitId) && (p.Title.Contains(Term) || (p.Description ?? "").Contains(Term)))
                    .Select(p => p.Id).ToListAsync()).OrderDescending().Select(id => $"hit-problem-{id}"),
                .. (await db.Measures.Where(m => mine.Contains(m.UnitId) && (m.Text.Contains(Term) || (m.Progress ?? "").Contains(Term)))
                    .Select(m => m.Id).ToListAsync()).OrderDescending().Select(id => $"hit-measure-{id}"),
                .. (await db.ProgressReports.Where(r => mine.Contains(r.UnitId) && (r.Done.Contains(Term) || (r.NextStep ?? "").Contains(Term)))
                    .Select(r => r.Id).ToListAsync()).OrderDescending().Select(id => $"hit-report-{id}"),
                .. (await db.Rules.Where(r => mine.Contains(r.UnitId) && (r.Title.Contains(Term) || (r.Reference ?? "").Contains(Term)))
                    .Select(r => r.Id).ToListAsync()).OrderDescending().Select(id => $"hit-rule-{id}"),
            ];
        }
        Assert.Contains(expected, e => e.StartsWith("hit-problem-"));
        Assert.Contains(expected, e => e.StartsWith("hit-measure-"));

        var office = await OfficeOpensFromMenuAsync("全文检索", "search");
        await office.Locator("#s-q").FillAsync(Term);
        await office.Locator("#s-q").PressAsync("Enter");
        await office.WaitForURLAsync(u => u.Contains("q=" + Uri.EscapeDataString(Term)));

        // Every hit of the database's own query within the office's units, in the search's order, and no other.
        await Assertions.Expect(office.GetByTestId("search-count")).ToHaveTextAsync($"共找到 {expected.Count} 条。");
        var shown = await office.GetByTestId("search-results").Locator("tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.getAttribute('data-testid'))");
        Assert.Equal(expected, shown);
        await BrowserApp.ScreenshotAsync(office, "45-search");

        // The kind filter comes from the address and narrows the hits.
        var measures = expected.Where(e => e.StartsWith("hit-measure-")).ToList();
        await office.GotoAsync($"/search?q={Uri.EscapeDataString(Term)}&kind=measure");
        await BrowserApp.WaitInteractiveAsync(office);
        await Assertions.Expect(office.GetByTestId("search-count")).ToHaveTextAsync($"共找到 {measures.Count} 条。");
        await Assertions.Expect(office.Locator("#s-kind")).ToContainTextAsync("整改措施");

        // A hit opens its page.
        var first = long.Parse(measures[0]["hit-measure-".Length..]);
        await office.GetByTestId(measures[0]).GetByRole(AriaRole.Link).ClickAsync();
        await office.WaitForURLAsync($"**/measures/{first}");
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "整改措施" })).ToBeVisibleAsync();

        // A unit's user has no such menu entry and cannot open the page.
        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync("/");
        await BrowserApp.WaitInteractiveAsync(unit);
        await Assertions.Expect(unit.GetByRole(AriaRole.Link, new() { Name = "整改台账" })).ToBeVisibleAsync();
        await Assertions.Expect(unit.GetByRole(AriaRole.Link, new() { Name = "全文检索" })).ToHaveCountAsync(0);
        await unit.GotoAsync($"/search?q={Uri.EscapeDataString(Term)}");
        await Assertions.Expect(unit.GetByText("无权访问").First).ToBeVisibleAsync();
        Assert.DoesNotContain("search-results", await unit.ContentAsync());
    }

    [BrowserFact]
    public async Task Office_SeesTheLikeProblemsOfItsOtherUnits_OnAProblemsPage_UnitUserDoesNot()
    {
        long problemId, otherId, foreignId;
        await using (var db = Database.Open(app.Db))
        {
            problemId = await db.Problems.Where(p => p.Title == "长期违规借调教师").Select(p => p.Id).SingleAsync();
            // The same problem, reworded, in another unit of the office (a later round) and in a unit of another office.
            otherId = await AddUnitAsync(db, null, "平顶山市石龙区卫生健康委员会", "2023年第二轮巡察", "长期违规借调基层医务人员", underDemoOffice: true);
            foreignId = await AddUnitAsync(db, "市委巡察办（又一办）", "某县卫生健康局", "2023年第二轮巡察（又一办）", "长期违规借调基层教师", underDemoOffice: false);
        }

        var office = await app.LoginAsync("office");
        await office.GotoAsync($"/problems/{problemId}");
        await BrowserApp.WaitInteractiveAsync(office);
        var similar = office.GetByTestId("similar");
        var row = similar.GetByTestId($"similar-{otherId}");
        await Assertions.Expect(row).ToContainTextAsync("平顶山市石龙区卫生健康委员会");
        await Assertions.Expect(row).ToContainTextAsync("2023年第二轮巡察");
        await Assertions.Expect(similar.GetByTestId($"similar-{foreignId}")).ToHaveCountAsync(0);
        Assert.DoesNotContain("某县卫生健康局", await similar.InnerTextAsync());
        await BrowserApp.ScreenshotAsync(office, "46-similar");
        await row.GetByRole(AriaRole.Link, new() { Name = "长期违规借调基层医务人员" }).ClickAsync();
        await office.WaitForURLAsync($"**/problems/{otherId}");
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "长期违规借调基层医务人员" })).ToBeVisibleAsync();
        // The other unit's page compares the other way round.
        await Assertions.Expect(office.GetByTestId("similar").GetByTestId($"similar-{problemId}")).ToBeVisibleAsync();

        // The card is decided with the page's first drawing: a unit's user never gets it.
        var unitUser = await app.LoginAsync("unit");
        await unitUser.GotoAsync($"/problems/{problemId}");
        await BrowserApp.WaitInteractiveAsync(unitUser);
        await Assertions.Expect(unitUser.GetByRole(AriaRole.Heading, new() { Name = "长期违规借调教师" })).ToBeVisibleAsync();
        await Assertions.Expect(unitUser.GetByText("修改记录")).ToBeVisibleAsync();
        await Assertions.Expect(unitUser.GetByText("举一反三")).ToHaveCountAsync(0);
    }

    [BrowserFact]
    public async Task Office_SeesTheProblemsSeveralUnitsOfARoundShare_UnitUserIsRefused()
    {
        long round, demoProblem;
        long[] others;
        await using (var db = Database.Open(app.Db))
        {
            demoProblem = await db.Problems.Where(p => p.Title == "长期违规借调教师").Select(p => p.Id).SingleAsync();
            round = (await db.Problems.Where(p => p.Id == demoProblem).Select(p => db.Inspections.Single(i => i.Id == p.InspectionId).RoundId).SingleAsync())!.Value;
            // Two more units of the demo's round report the same problem in their own words.
            others =
            [
                await AddUnitAsync(db, null, "平顶山市石龙区文化广电和旅游局", "", "长期违规借调下属单位人员", underDemoOffice: true, roundId: round),
                await AddUnitAsync(db, null, "平顶山市石龙区人力资源和社会保障局", "", "违规长期借调工作人员", underDemoOffice: true, roundId: round),
            ];
        }

        var office = await OfficeOpensFromMenuAsync("共性问题", "clusters");
        // The newest round is shown first (other tests of this class add rounds): choose the demo's by its address.
        await office.GotoAsync($"/clusters?round={round}");
        await BrowserApp.WaitInteractiveAsync(office);
        // The round's group of the borrowed staff: the three units' problems, each linked to its page.
        var group = office.Locator("[data-testid^=cluster-]", new() { Has = office.Locator($"a[href='/problems/{demoProblem}']") });
        await Assertions.Expect(group).ToContainTextAsync("涉及 3 个单位");
        foreach (var id in others) await Assertions.Expect(group.Locator($"a[href='/problems/{id}']")).ToHaveCountAsync(1);
        await Assertions.Expect(group).ToContainTextAsync("平顶山市石龙区人力资源和社会保障局");
        await BrowserApp.ScreenshotAsync(office, "47-clusters");

        var unit = await app.LoginAsync("unit");
        await unit.GotoAsync($"/clusters?round={round}");
        await Assertions.Expect(unit.GetByText("无权访问").First).ToBeVisibleAsync();
        Assert.DoesNotContain("长期违规借调下属单位人员", await unit.ContentAsync());
    }

    /// <summary>The demo's 巡察办 user signs in and opens <paramref name="path"/> through its menu entry.</summary>
    async Task<IPage> OfficeOpensFromMenuAsync(string entry, string path)
    {
        var office = await app.LoginAsync("office");
        await office.GotoAsync("/");
        await BrowserApp.WaitInteractiveAsync(office);
        await office.GetByRole(AriaRole.Link, new() { Name = entry }).ClickAsync();
        await office.WaitForURLAsync("**/" + path);
        await BrowserApp.WaitInteractiveAsync(office);
        return office;
    }

    /// <summary>The units the demo's 巡察办 user supervises (those under its office).</summary>
    static async Task<List<long>> OfficeUnitsAsync(RectifyDb db)
    {
        var officeId = await db.Users.Where(u => u.UserName == "office").Select(u => u.OfficeId).SingleAsync();
        return await db.Organisations.Where(o => o.Kind == OrganisationKind.Unit && o.ParentId == officeId).Select(o => o.Id).ToListAsync();
    }

    /// <summary>A unit with one inspection and one problem, under the demo's office or under a new office; the problem's id.</summary>
    static async Task<long> AddUnitAsync(RectifyDb db, string? newOffice, string unitName, string roundName, string problemTitle, bool underDemoOffice, long? roundId = null)
    {
        long officeId;
        if (underDemoOffice)
            officeId = (await db.Users.Where(u => u.UserName == "office").Select(u => u.OfficeId).SingleAsync())!.Value;
        else
        {
            var office = new Organisation { Kind = OrganisationKind.Office, Name = newOffice! };
            db.Organisations.Add(office);
            await db.SaveChangesAsync();
            officeId = office.Id;
        }
        var unit = new Organisation { Kind = OrganisationKind.Unit, Name = unitName, ParentId = officeId };
        db.Organisations.Add(unit);
        if (roundId is null)
        {
            var round = new InspectionRound { Name = roundName, OfficeId = officeId };
            db.Rounds.Add(round);
            await db.SaveChangesAsync();
            roundId = round.Id;
        }
        await db.SaveChangesAsync();
        var inspection = new Inspection { UnitId = unit.Id, RoundId = roundId, Team = "第二巡察组", FeedbackDate = new DateOnly(2023, 9, 1) };
        db.Inspections.Add(inspection);
        await db.SaveChangesAsync();
        var problem = new Problem { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = 1, Title = problemTitle, Description = "人员长期被借调，违规借调问题突出" };
        db.Categories.Add(new Category { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = 1, Title = "干部队伍建设方面", Problems = { problem } });
        await db.SaveChangesAsync();
        return problem.Id;
    }
}
