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
    /// <remarks>
    /// Reads only the columns the document needs and builds the document directly, with the numbering and the problem
    /// statuses of <see cref="GetLedger"/> (same order, same <see cref="StatusRules"/>): the ledger view next to the
    /// document doubled the memory of a large export (240 000 measures: 608 MB peak).
    /// </remarks>
    public static async Task<LedgerDocument?> RunAsync(RectifyDb db, long inspectionId, CancellationToken ct = default)
    {
        var inspection = await db.Inspections.AsNoTracking().Include(i => i.FeedbackDocuments).FirstOrDefaultAsync(i => i.Id == inspectionId, ct);
        if (inspection is null) return null;
        var categories = await db.Categories.AsNoTracking().Where(c => c.InspectionId == inspectionId).OrderBy(c => c.Ordinal).ThenBy(c => c.Id)
            .Select(c => new { c.Id, c.Title }).ToListAsync(ct);
        var problems = (await db.Problems.AsNoTracking().Where(p => p.InspectionId == inspectionId).OrderBy(p => p.Ordinal).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.CategoryId, p.Title, p.Description, p.Goal, p.MeasuresPreamble, p.Outcome, p.StatedStatus }).ToListAsync(ct))
            .ToLookup(p => p.CategoryId);
        var measures = (await db.Measures.AsNoTracking().Where(m => m.InspectionId == inspectionId).OrderBy(m => m.Ordinal).ThenBy(m => m.Id)
            .Select(m => new
            {
                m.ProblemId, m.Text, m.Mode, m.LeaderId, m.LeadDepartmentId, m.SupportingDepartmentIds, m.OwnerId, m.Deadline, m.Status, m.Remarks,
                // MeasureProgress's rule inside the one query (two correlated lookups in the index (MeasureId, Id)): a
                // map of 240 000 lines next to the document cost the large export ~90 MB.
                Progress = MeasureProgress.Shown(m.Progress,
                    db.ProgressReports.Where(r => r.MeasureId == m.Id && r.Id > (m.ProgressAsOfReportId ?? 0)).OrderByDescending(r => r.Id).Select(r => (DateOnly?)r.Week).FirstOrDefault(),
                    db.ProgressReports.Where(r => r.MeasureId == m.Id && r.Id > (m.ProgressAsOfReportId ?? 0)).OrderByDescending(r => r.Id).Select(r => r.Done).FirstOrDefault()),
            })
            .ToListAsync(ct)).ToLookup(m => m.ProblemId);
        var people = await db.People.AsNoTracking().Where(p => p.UnitId == inspection.UnitId).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var departments = await db.Organisations.AsNoTracking().Where(o => o.UnitId == inspection.UnitId).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        string? Name(Dictionary<long, string> d, long? id) => id is { } k && d.TryGetValue(k, out var n) ? n : null;

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
        for (int ci = 0; ci < categories.Count; ci++)
        {
            var c = categories[ci];
            var lc = new LedgerCategory { Number = ChineseNumber.Format(ci + 1), Title = c.Title };
            int pi = 0;
            foreach (var p in problems[c.Id])
            {
                var lp = new LedgerProblem
                {
                    Number = (++pi).ToString(System.Globalization.CultureInfo.InvariantCulture), Title = p.Title, Description = p.Description, Goal = p.Goal,
                    MeasuresPreamble = p.MeasuresPreamble, Outcome = p.Outcome,
                };
                int mi = 0;
                foreach (var m in measures[p.Id])
                    lp.Measures.Add(new LedgerMeasure
                    {
                        Number = ++mi, Text = m.Text, Mode = m.Mode, Leader = Name(people, m.LeaderId), LeadDepartment = Name(departments, m.LeadDepartmentId),
                        SupportingDepartments = [.. m.SupportingDepartmentIds.Select(id => Name(departments, id) ?? "").Where(n => n.Length > 0)],
                        Owner = Name(people, m.OwnerId), Deadline = m.Deadline, Status = m.Status, Progress = m.Progress, Remarks = m.Remarks,
                    });
                var status = StatusRules.ProblemStatus(p.StatedStatus, measures[p.Id].Select(m => m.Status));
                lp.Status = status;
                lp.Result = StatusRules.Wording(status);
                lc.Problems.Add(lp);
            }
            doc.Categories.Add(lc);
        }
        return doc;
    }
}
