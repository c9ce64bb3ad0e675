using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Demo;
using Rectify.Tests.Support;

namespace Rectify.Tests.Documents;

public class NoticeCommandTests
{
    [Fact]
    public async Task Notice_DemoInspection_WritesValidDocxFromTheStoredLedger()
    {
        var location = await TestDatabases.CreateAsync("sqlite");
        long inspectionId;
        await using (var db = Database.Open(location))
        {
            await DemoData.SeedAsync(db);
            inspectionId = await db.Inspections.Where(i => db.Problems.Any(p => p.InspectionId == i.Id)).Select(i => i.Id).SingleAsync();
            // The ledger moves on after the published notice: the stalled problem's measures are done now.
            foreach (var m in db.Measures.Where(m => m.Status == Core.Ledger.MeasureStatus.InProgress)) m.Status = Core.Ledger.MeasureStatus.Rectified;
            await db.SaveChangesAsync();
        }
        var output = Path.Combine(Path.GetTempPath(), "rectify-tests", Guid.NewGuid().ToString("N") + ".docx");
        var r = await RectifyProcess.RunAsync(null, "notice", inspectionId.ToString(), "--to", "docx", "--out", output, "--db", location.Describe());
        Assert.True(r.ExitCode == 0, r.Err);

        using (var word = WordprocessingDocument.Open(output, false))
        {
            Assert.Empty(new OpenXmlValidator().Validate(word));
            var text = word.MainDocumentPart!.Document.Body!.InnerText;
            Assert.Contains("长期违规借调教师", text);
            Assert.DoesNotContain("整改推进中", text); // written from the ledger as it is now, not from the old notice
        }

        var missing = await RectifyProcess.RunAsync(null, "notice", "99999", "--to", "docx", "--out", output + "2", "--db", location.Describe());
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("找不到编号为 99999 的检查", missing.Err);
        Assert.False(File.Exists(output + "2"));
        await TestDatabases.DropAsync(location);
    }
}
