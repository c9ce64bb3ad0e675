using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Core.Data;
using Rectify.Core.Organisations;
using Rectify.Tests.Support;

namespace Rectify.Tests.Import;

public class ImportIntoCliTests
{
    [Fact]
    public async Task ImportUnit_Seed_StoredAsNewInspectionAndAudited()
    {
        var location = await TestDatabases.CreateAsync("sqlite");
        await using (var db = Database.Open(location))
        {
            var office = new Organisation { Kind = OrganisationKind.Office, Name = "区委巡察办" };
            db.Organisations.Add(office);
            await db.SaveChangesAsync();
            db.Organisations.Add(new Organisation { Kind = OrganisationKind.Unit, Name = "区教育体育局", ParentId = office.Id });
            await db.SaveChangesAsync();
        }
        var seed = Path.Combine(AppContext.BaseDirectory, "samples", "seed-notice.txt");
        var r = await RectifyProcess.RunAsync(null, "import", seed, "--unit", "区教育体育局", "--db", location.Describe());
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains("23 个问题", r.Err);

        await using (var db = Database.Open(location))
        {
            Assert.Equal(23, await db.Problems.CountAsync());
            Assert.Equal(1, await db.Problems.CountAsync(p => p.Measures.Any(m => m.Status == Core.Ledger.MeasureStatus.InProgress)));
            var funds = await db.OutcomeFigures.SingleAsync(f => f.Kind == "funds_yuan");
            Assert.Equal((2730m, "元"), (funds.Value, funds.Unit));
            Assert.Equal("部分基层学校随意处置资产", (await db.Problems.SingleAsync(p => p.Id == funds.ProblemId)).Title);
            Assert.True((await AuditChain.VerifyAsync(db)).Ok);
        }

        var missing = await RectifyProcess.RunAsync(null, "import", seed, "--into", "99999", "--db", location.Describe());
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("找不到编号为 99999 的检查", missing.Err);
        await TestDatabases.DropAsync(location);
    }
}
