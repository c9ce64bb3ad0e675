using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Ledger;
using Rectify.Core.Performance;
using Rectify.Tests.Support;
using Rectify.Web;

namespace Rectify.Tests.Web;

/// <summary>
/// The inspection lists of the landing page, the inspections page and the office's dashboard: every inspection the
/// caller sees, each with the figures its own ledger shows, in a fixed number of queries whatever their number (an
/// office follows thousands; the lists once read up to 500 ledgers one by one).
/// </summary>
public class InspectionSummariesTests
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_visible_inspection_with_its_ledgers_figures_in_a_fixed_number_of_queries(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.SeedWorldAsync();
        await app.GenerateAsync(new ProvinceSize(Units: 7, ProblemsPerUnit: 9, MeasuresPerProblem: 2, Weeks: 1, Seed: 5));
        await using (var db = app.Open())
        {
            // One problem with no measures and a stated status (imported from a notice): counted as stated.
            var p = await db.Problems.Include(x => x.Measures).OrderBy(x => x.Id).LastAsync();
            db.Measures.RemoveRange(p.Measures);
            p.StatedStatus = MeasureStatus.BasicallyRectified;
            await db.SaveChangesAsync();
        }
        DateOnly today;
        await using (var db = app.Open())
        {
            // A day that leaves some measures overdue and others not yet due.
            var deadlines = await db.Measures.Where(m => m.Deadline != null).Select(m => m.Deadline!.Value).OrderBy(d => d).ToListAsync();
            today = deadlines[deadlines.Count / 2];
        }

        async Task Check(CallerScope? scope, int expectedAtLeast)
        {
            await using var db = app.Open(scope);
            List<InspectionSummary> summaries;
            using (var commands = DbEventCounter.Commands(DbEventCounter.DatabaseOf(db), DbEventCounter.Housekeeping))
            {
                summaries = await InspectionSummaries.LoadAsync(db, today);
                Assert.InRange(commands.Count, 1, 4);
            }
            Assert.Equal(await db.Inspections.OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(), summaries.Select(s => s.Id));
            Assert.True(summaries.Count >= expectedAtLeast, $"{summaries.Count} inspections listed");
            var overdueSeen = 0;
            foreach (var s in summaries)
            {
                var ledger = (await GetLedger.RunAsync(db, s.Id, new DeadlineSettings()))!;
                Assert.Equal(ledger.Figures.Problems, s.Problems);
                Assert.Equal(ledger.UnitName, s.UnitName);
                var overdue = ledger.Categories.SelectMany(c => c.Problems).SelectMany(p => p.Measures).Count(m => Labels.Overdue(m.Status, m.Deadline, today));
                Assert.Equal(overdue, s.OverdueMeasures);
                overdueSeen += overdue;
            }
            if (expectedAtLeast > 1) Assert.True(overdueSeen > 0, "no overdue measure to compare");
        }

        await Check(null, 7);
        // An office's user: the inspections of the units under the office (the generated ones).
        await using (var db = app.Open())
        {
            var generatedUnit = await db.Inspections.OrderByDescending(i => i.Id).Select(i => i.UnitId).FirstAsync();
            var officeId = await db.Organisations.Where(o => o.Id == generatedUnit).Select(o => o.ParentId!.Value).SingleAsync();
            var units = await db.Organisations.Where(o => o.ParentId == officeId).Select(o => o.Id).ToArrayAsync();
            await Check(new CallerScope(false, units, [officeId], null, "office-user", Role.Office), 7);
        }
        // A unit's user sees only the unit's own inspections.
        long unit;
        await using (var db = app.Open())
            unit = await db.Inspections.OrderByDescending(i => i.Id).Select(i => i.UnitId).FirstAsync();
        await Check(new CallerScope(false, [unit], [], null, "unit-user", Role.UnitAdmin), 1);
    }
}
