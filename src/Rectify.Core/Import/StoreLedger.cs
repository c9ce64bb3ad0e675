using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;

namespace Rectify.Core.Import;

/// <summary>
/// Stores a parsed document into an inspection's ledger: categories, problems and measures appended after what is
/// there; responsible people and departments matched by name inside the unit (created when missing); the notice
/// texts and feedback references filled where the inspection has none. One transaction: all or nothing.
/// </summary>
public static class StoreLedger
{
    public sealed record Result(long InspectionId, int Categories, int Problems, int Measures);

    public static async Task<Result> RunAsync(RectifyDb db, long inspectionId, LedgerDocument doc, CancellationToken ct = default)
    {
        var inspection = await db.Inspections.Include(i => i.FeedbackDocuments).FirstOrDefaultAsync(i => i.Id == inspectionId, ct)
                         ?? throw new OutOfScopeException();
        var unitId = inspection.UnitId;
        var unit = await db.Organisations.FirstAsync(o => o.Id == unitId, ct);
        var people = await db.People.Where(p => p.UnitId == unitId).ToListAsync(ct);
        var departments = await db.Organisations.Where(o => o.UnitId == unitId).ToListAsync(ct);

        Person? PersonNamed(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            name = name.Trim();
            var p = people.FirstOrDefault(x => x.Name == name);
            if (p is null)
            {
                p = new Person { Name = name, OrganisationId = unit.Id, UnitId = unitId };
                people.Add(p);
                db.People.Add(p);
            }
            return p;
        }
        Organisation? DepartmentNamed(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            name = name.Trim();
            var d = departments.FirstOrDefault(x => x.Name == name);
            if (d is null)
            {
                d = new Organisation { Name = name, Kind = OrganisationKind.Department, ParentId = unit.Id, UnitId = unitId };
                departments.Add(d);
                db.Organisations.Add(d);
            }
            return d;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        inspection.NoticeTitle ??= doc.Title;
        inspection.Issuer ??= doc.Issuer;
        inspection.NoticeDate ??= doc.Date;
        inspection.Team ??= doc.Inspection?.Team;
        inspection.OnSiteStart ??= doc.Inspection?.Start;
        inspection.OnSiteEnd ??= doc.Inspection?.End;
        inspection.FeedbackDate ??= doc.Inspection?.FeedbackDate;
        if (string.IsNullOrEmpty(inspection.Opening) && doc.Opening.Count > 0) inspection.Opening = string.Join('\n', doc.Opening);
        if (string.IsNullOrEmpty(inspection.Overview) && doc.Overview.Count > 0) inspection.Overview = string.Join('\n', doc.Overview);
        if (string.IsNullOrEmpty(inspection.NextSteps) && doc.NextSteps.Count > 0) inspection.NextSteps = string.Join('\n', doc.NextSteps);
        // The feedback documents are the inspection's own 文号 (their 机关代字 names the 巡察/巡视 body); a notice cites
        // the unit's own rules too, which belong to the rules register, not here.
        var feedbackReferences = doc.References.Where(r => r.Contains('巡')).ToList();
        if (feedbackReferences.Count == 0) feedbackReferences = doc.References;
        foreach (var reference in feedbackReferences.Where(r => inspection.FeedbackDocuments.All(f => f.Reference != r)))
            inspection.FeedbackDocuments.Add(new FeedbackDocument { UnitId = unitId, Reference = reference });
        // People and departments first, so their ids exist for the measures.
        foreach (var m in doc.AllProblems.SelectMany(p => p.Measures))
        {
            PersonNamed(m.Leader);
            PersonNamed(m.Owner);
            DepartmentNamed(m.LeadDepartment);
            foreach (var s in m.SupportingDepartments) DepartmentNamed(s);
        }
        await db.SaveChangesAsync(ct);

        var ordinal = await db.Categories.Where(c => c.InspectionId == inspectionId).MaxAsync(c => (int?)c.Ordinal, ct) ?? 0;
        int problems = 0, measures = 0;
        var stored = new List<(Problem Entity, LedgerProblem Source)>();
        foreach (var lc in doc.Categories)
        {
            var category = new Category { InspectionId = inspectionId, UnitId = unitId, Ordinal = ++ordinal, Title = lc.Title };
            int po = 0;
            foreach (var lp in lc.Problems)
            {
                var problem = new Problem
                {
                    InspectionId = inspectionId, UnitId = unitId, Ordinal = ++po, Title = lp.Title, Description = lp.Description,
                    Goal = lp.Goal, MeasuresPreamble = lp.MeasuresPreamble, Outcome = lp.Outcome,
                    StatedStatus = lp.Measures.Count == 0 ? lp.Status : null,
                };
                int mo = 0;
                foreach (var lm in lp.Measures)
                {
                    var status = lm.Status ?? lp.Status ?? MeasureStatus.NotStarted;
                    problem.Measures.Add(new Measure
                    {
                        InspectionId = inspectionId, UnitId = unitId, Ordinal = ++mo, Text = lm.Text,
                        Mode = lm.Mode ?? (status == MeasureStatus.RectifiedOngoing ? RectificationMode.LongTerm : RectificationMode.ByDeadline),
                        LeaderId = PersonNamed(lm.Leader)?.Id, OwnerId = PersonNamed(lm.Owner)?.Id,
                        LeadDepartmentId = DepartmentNamed(lm.LeadDepartment)?.Id,
                        SupportingDepartmentIds = [.. lm.SupportingDepartments.Select(s => DepartmentNamed(s)!.Id)],
                        Deadline = lm.Deadline, OriginalDeadline = lm.Deadline, Status = status,
                        Progress = lm.Progress, Remarks = lm.Remarks,
                    });
                    measures++;
                }
                category.Problems.Add(problem);
                stored.Add((problem, lp));
                problems++;
            }
            db.Categories.Add(category);
        }
        // Problems and measures need their parents' ids: EF fills CategoryId/ProblemId through the navigations.
        await db.SaveChangesAsync(ct);
        // Figures a problem states (辞退8名, 2730元缴入) become its outcome figures (domain.md §5).
        foreach (var (entity, source) in stored)
            foreach (var f in source.Figures)
                db.OutcomeFigures.Add(new Workflow.OutcomeFigure { UnitId = unitId, ProblemId = entity.Id, Kind = f.Kind, Value = f.Value, Unit = f.Unit, Note = f.Text });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Result(inspectionId, doc.Categories.Count, problems, measures);
    }
}
