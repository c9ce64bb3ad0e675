using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;

namespace Rectify.Core.Documents;

/// <summary>
/// The stored ledger of an inspection as a <see cref="LedgerDocument"/>, the shape every writer consumes (Excel ledger,
/// DOCX/HTML/Markdown notice). The one mapping from the database to documents: names resolved, statuses as stored.
/// </summary>
public static class LedgerToDocument
{
    /// <summary>Null when the inspection does not exist or lies outside the caller's scope.</summary>
    public static async Task<LedgerDocument?> RunAsync(RectifyDb db, long inspectionId, DeadlineSettings deadlines, CancellationToken ct = default)
    {
        var ledger = await GetLedger.RunAsync(db, inspectionId, deadlines, ct);
        if (ledger is null) return null;
        var inspection = await db.Inspections.AsNoTracking().Include(i => i.FeedbackDocuments).FirstAsync(i => i.Id == inspectionId, ct);
        var problemRows = await db.Problems.AsNoTracking().Where(p => p.InspectionId == inspectionId)
            .Select(p => new { p.Id, p.StatedStatus }).ToDictionaryAsync(p => p.Id, p => p.StatedStatus, ct);

        static List<string> Paragraphs(string? text) =>
            string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

        var doc = new LedgerDocument
        {
            Kind = "ledger",
            Title = inspection.NoticeTitle,
            Issuer = inspection.Issuer,
            Date = inspection.NoticeDate,
            References = [.. inspection.FeedbackDocuments.Select(f => f.Reference)],
            Inspection = new InspectionInfo
            {
                Team = inspection.Team, Start = inspection.OnSiteStart, End = inspection.OnSiteEnd, FeedbackDate = inspection.FeedbackDate,
            },
            Opening = Paragraphs(inspection.Opening),
            Overview = Paragraphs(inspection.Overview),
            NextSteps = Paragraphs(inspection.NextSteps),
        };
        foreach (var c in ledger.Categories)
        {
            var lc = new LedgerCategory { Number = c.Number, Title = c.Title };
            foreach (var p in c.Problems)
            {
                var lp = new LedgerProblem
                {
                    Number = p.Number, Title = p.Title, Description = p.Description, Goal = p.Goal, MeasuresPreamble = p.MeasuresPreamble,
                    Outcome = p.Outcome, Status = p.Measures.Count == 0 ? problemRows.GetValueOrDefault(p.Id) ?? p.Status : p.Status,
                    Result = StatusRules.Wording(p.Status),
                };
                foreach (var m in p.Measures)
                    lp.Measures.Add(new LedgerMeasure
                    {
                        Number = m.Number, Text = m.Text, Mode = m.Mode, Leader = m.LeaderName, LeadDepartment = m.LeadDepartmentName,
                        SupportingDepartments = [.. m.SupportingDepartmentNames.Where(n => n.Length > 0)], Owner = m.OwnerName,
                        Deadline = m.Deadline, Status = m.Status, Progress = m.Progress, Remarks = m.Remarks,
                    });
                lc.Problems.Add(lp);
            }
            doc.Categories.Add(lc);
        }
        return doc;
    }
}
