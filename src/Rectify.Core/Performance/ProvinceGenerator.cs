using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Core.Supervision;
using Rectify.Core.Workflow;

namespace Rectify.Core.Performance;

/// <summary>The size of a generated province.</summary>
public sealed record ProvinceSize(int Units, int ProblemsPerUnit, int MeasuresPerProblem, int Weeks, int Seed);

/// <summary>What <see cref="ProvinceGenerator.RunAsync"/> wrote.</summary>
/// <param name="Timings">Time per written table and per bulk-load phase (the rest of <paramref name="Elapsed"/> is building
/// the rows in memory and the commit).</param>
public sealed record GeneratedProvince(long OfficeId, long RoundId, long FirstInspectionId, IReadOnlyDictionary<string, long> Rows, TimeSpan Elapsed,
    IReadOnlyDictionary<string, TimeSpan> Timings);

/// <summary>
/// Fills a database with a realistic province for benchmarks: one office and round, units with departments and
/// people, one inspection per unit with categories, problems (texts from <see cref="RoundGenerator.Text"/>) and measures
/// in varied statuses, weekly progress reports, closure requests with evidence metadata (no content), rules and outcome
/// figures. Rows are bulk-written with generator-assigned ids (<see cref="BulkWriter"/>), not through SaveChanges, each
/// with the "created" audit event SaveChanges would have appended (<see cref="GeneratedTrail"/>), and one more event
/// records the generation; the audit chain stays valid. On SQLite the load drops the loaded tables'
/// indexes and full-text triggers and redoes their work once at the end (<see cref="SqliteBulkLoad"/>); with
/// <paramref name="rowByRow"/> it writes one INSERT per row with indexes and triggers in place instead (the reference
/// the bulk path is tested against).
/// </summary>
public sealed class ProvinceGenerator(RectifyDb db, TimeProvider clock, bool rowByRow = false)
{
    const int UnitsPerBatch = 20;

    static readonly string[] DepartmentNames = ["办公室", "财务股", "人事股", "党建办", "纪检组", "业务一股", "业务二股", "法规股"];
    static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "胡", "朱", "郭"];
    static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "建华", "志强"];
    static readonly string[] Posts = ["局长", "副局长", "主任", "副主任", "股长", "科员"];
    static readonly string[] CategoryTitles = ["贯彻落实党的路线方针政策和党中央决策部署方面", "落实全面从严治党战略部署方面", "落实新时代党的组织路线方面", "落实巡察、审计等监督发现问题整改方面"];
    static readonly string[] MeasureTemplates =
    [
        "针对{0}，组织专题学习，{1}前完成自查自纠",
        "修订完善{0}相关制度，明确审批权限和流程",
        "对{0}涉及的{2}逐项核查，建立整改台账，做到账实相符",
        "约谈相关责任人，对{0}问题严肃追责问责",
        "建立{0}长效监督机制，每季度开展一次专项检查",
    ];
    static readonly string[] ReportTemplates =
    [
        "本周已完成{0}份{1}的核查，整改推进有序",
        "召开专题会议研究部署，形成整改方案初稿",
        "已修订制度{0}项，正在征求意见",
        "完成清退资金{0}万元，相关凭证已归档",
        "组织干部职工学习相关规定{0}次，开展警示教育",
    ];

    public async Task<GeneratedProvince> RunAsync(ProvinceSize size, CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var rnd = new Random(size.Seed);
        var w = new BulkWriter(db, rowByRow ? 1 : 10);
        var sqliteLoad = db.ProviderName == "sqlite" && !rowByRow ? new SqliteBulkLoad(db) : null;
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var feedback = today.AddDays(-7 * size.Weeks - 14);
        var firstMonday = feedback.AddDays(((int)DayOfWeek.Monday - (int)feedback.DayOfWeek + 7) % 7 + 7);
        var rows = new Dictionary<string, long>();
        void Count(string name, int n) => rows[name] = rows.GetValueOrDefault(name) + n;

        var strategy = db.Database.CreateExecutionStrategy();
        GeneratedProvince? result = null;
        if (sqliteLoad is not null) await sqliteLoad.EnterAsync(ct);
        try
        {
            await strategy.ExecuteAsync(async () =>
            {
                rows.Clear();
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                long orgId = await w.NextIdAsync<Organisation>(ct), personId = await w.NextIdAsync<Person>(ct), roundId = await w.NextIdAsync<InspectionRound>(ct),
                    inspId = await w.NextIdAsync<Inspection>(ct), docId = await w.NextIdAsync<FeedbackDocument>(ct), catId = await w.NextIdAsync<Category>(ct),
                    probId = await w.NextIdAsync<Problem>(ct), measId = await w.NextIdAsync<Measure>(ct), repId = await w.NextIdAsync<ProgressReport>(ct),
                    reqId = await w.NextIdAsync<ClosureRequest>(ct), fileId = await w.NextIdAsync<EvidenceFile>(ct), ruleId = await w.NextIdAsync<RuleDocument>(ct),
                    figId = await w.NextIdAsync<OutcomeFigure>(ct);
                // The whole load appends to the audit chain: hold its lock from the head read to the commit.
                await db.LockAuditChainAsync(ct);
                db.ChainLocked = true;
                var trail = await GeneratedTrail.StartAsync(db, w, now, ct);
                if (sqliteLoad is not null)
                    await sqliteLoad.DropAsync(new Dictionary<string, long>
                    {
                        [TableOf<Organisation>()] = orgId, [TableOf<Person>()] = personId, [TableOf<InspectionRound>()] = roundId, [TableOf<Inspection>()] = inspId,
                        [TableOf<FeedbackDocument>()] = docId, [TableOf<Category>()] = catId, [TableOf<Problem>()] = probId, [TableOf<Measure>()] = measId,
                        [TableOf<ProgressReport>()] = repId, [TableOf<ClosureRequest>()] = reqId, [TableOf<EvidenceFile>()] = fileId, [TableOf<RuleDocument>()] = ruleId,
                        [TableOf<OutcomeFigure>()] = figId, [TableOf<Audit.AuditEvent>()] = trail.NextId,
                    }, ct);
                var authorId = await db.Users.IgnoreQueryFilters().OrderBy(u => u.Id).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct) ?? 0;

                var office = new Organisation { Id = orgId++, Kind = OrganisationKind.Office, Name = $"省委巡视巡察工作办公室（生成{size.Seed}）", Ordinal = 0 };
                await w.WriteAsync([office], ct);
                var round = new InspectionRound
                {
                    Id = roundId, Name = $"省委第{size.Seed}轮巡察（生成数据）", OfficeId = office.Id, Kind = RoundKind.Regular,
                    Start = feedback.AddMonths(-3), End = feedback,
                };
                await w.WriteAsync([round], ct);
                await trail.WriteAsync([office], ct);
                await trail.WriteAsync([round], ct);
                Count("organisations", 1);
                Count("rounds", 1);
                Count("audit_events", 2);
                var firstInspection = inspId;

                for (int batchStart = 0; batchStart < size.Units; batchStart += UnitsPerBatch)
                {
                    var orgs = new List<Organisation>(); var people = new List<Person>(); var inspections = new List<Inspection>();
                    var docs = new List<FeedbackDocument>(); var cats = new List<Category>(); var problems = new List<Problem>();
                    var measures = new List<Measure>(); var reports = new List<ProgressReport>(); var requests = new List<ClosureRequest>();
                    var files = new List<EvidenceFile>(); var rules = new List<RuleDocument>(); var figures = new List<OutcomeFigure>();
                    for (int u = batchStart; u < Math.Min(size.Units, batchStart + UnitsPerBatch); u++)
                    {
                        var unit = new Organisation { Id = orgId++, Kind = OrganisationKind.Unit, Name = $"{RoundGenerator.Areas[u % RoundGenerator.Areas.Length]}管理局（{u + 1:0000}）", ParentId = office.Id, Ordinal = u + 1 };
                        orgs.Add(unit);
                        var depts = new List<Organisation>();
                        for (int d = 0, nd = 3 + rnd.Next(4); d < nd; d++)
                            depts.Add(new Organisation { Id = orgId++, Kind = OrganisationKind.Department, Name = DepartmentNames[d], ParentId = unit.Id, UnitId = unit.Id, Ordinal = d + 1 });
                        orgs.AddRange(depts);
                        var staff = new List<Person>();
                        for (int p = 0, np = 4 + rnd.Next(6); p < np; p++)
                            staff.Add(new Person
                            {
                                Id = personId++, Name = Surnames[rnd.Next(Surnames.Length)] + GivenNames[rnd.Next(GivenNames.Length)],
                                Post = Posts[Math.Min(p, Posts.Length - 1)], OrganisationId = depts[p % depts.Count].Id, UnitId = unit.Id,
                            });
                        people.AddRange(staff);
                        var insp = new Inspection
                        {
                            Id = inspId++, RoundId = round.Id, UnitId = unit.Id, Team = $"省委第{u % 12 + 1}巡察组", FeedbackDate = feedback,
                            OnSiteStart = feedback.AddMonths(-3), OnSiteEnd = feedback.AddMonths(-2),
                            NoticeTitle = $"中共{unit.Name}委员会关于巡察整改进展情况的通报", Issuer = $"中共{unit.Name}委员会",
                        };
                        inspections.Add(insp);
                        docs.Add(new FeedbackDocument { Id = docId++, InspectionId = insp.Id, UnitId = unit.Id, Title = "巡察反馈意见", Reference = $"省巡〔{feedback.Year}〕{u + 1}号" });
                        var unitCats = new List<Category>();
                        for (int c = 0, nc = 2 + rnd.Next(3); c < nc; c++)
                            unitCats.Add(new Category { Id = catId++, InspectionId = insp.Id, UnitId = unit.Id, Ordinal = c + 1, Title = CategoryTitles[c] });
                        cats.AddRange(unitCats);
                        var unitProblems = new List<long>();
                        for (int p = 0; p < size.ProblemsPerUnit; p++)
                        {
                            var (title, description) = RoundGenerator.Text(rnd.Next(RoundGenerator.Areas.Length), rnd.Next(RoundGenerator.Faults.Length), rnd.Next(3), rnd.Next(1000));
                            var cat = unitCats[p % unitCats.Count];
                            var problem = new Problem
                            {
                                Id = probId++, CategoryId = cat.Id, InspectionId = insp.Id, UnitId = unit.Id, Ordinal = p / unitCats.Count + 1,
                                Title = title, Description = description, Goal = $"彻底解决{title}问题，建立长效机制",
                            };
                            problems.Add(problem);
                            unitProblems.Add(problem.Id);
                            for (int m = 0; m < size.MeasuresPerProblem; m++)
                            {
                                var status = Status(rnd);
                                var mode = rnd.Next(10) switch { 0 => RectificationMode.Immediate, 1 or 2 => RectificationMode.LongTerm, _ => RectificationMode.ByDeadline };
                                var measure = new Measure
                                {
                                    Id = measId++, ProblemId = problem.Id, InspectionId = insp.Id, UnitId = unit.Id, Ordinal = m + 1,
                                    Text = string.Format(MeasureTemplates[rnd.Next(MeasureTemplates.Length)], title, feedback.AddMonths(1 + m).ToString("yyyy年M月d日"), "票据"),
                                    Mode = mode, LeaderId = staff[0].Id, OwnerId = staff[1 + rnd.Next(staff.Count - 1)].Id, LeadDepartmentId = depts[rnd.Next(depts.Count)].Id,
                                    SupportingDepartmentIds = rnd.Next(3) == 0 ? [depts[rnd.Next(depts.Count)].Id] : [],
                                    Deadline = feedback.AddMonths(1 + rnd.Next(6)), Status = status,
                                    Progress = status == MeasureStatus.NotStarted ? null : "已按计划推进", Remarks = rnd.Next(8) == 0 ? "需持续关注" : null,
                                };
                                measure.OriginalDeadline = measure.Deadline;
                                measures.Add(measure);
                                int reportedWeeks = status == MeasureStatus.NotStarted ? 0 : size.Weeks;
                                for (int k = 0; k < reportedWeeks; k++)
                                {
                                    var week = firstMonday.AddDays(7 * k);
                                    reports.Add(new ProgressReport
                                    {
                                        Id = repId++, MeasureId = measure.Id, UnitId = unit.Id, Week = week, AuthorUserId = authorId,
                                        Done = string.Format(ReportTemplates[rnd.Next(ReportTemplates.Length)], 1 + rnd.Next(30), "凭证"),
                                        Percent = Math.Min(100, (k + 1) * 100 / size.Weeks), NextStep = k % 3 == 0 ? "继续推进，按期完成" : null,
                                        SubmittedAt = week.AddDays(4).ToDateTime(new TimeOnly(7 + rnd.Next(3), rnd.Next(60)), DateTimeKind.Utc),
                                    });
                                }
                                if (status is MeasureStatus.PendingClosure or MeasureStatus.Closed)
                                {
                                    var at = now.AddDays(-rnd.Next(1, 60));
                                    var req = new ClosureRequest
                                    {
                                        Id = reqId++, MeasureId = measure.Id, UnitId = unit.Id, Kind = RequestKind.Closure, RequestedByUserId = authorId, RequestedAt = at,
                                        Statement = $"{title}已整改到位，相关制度已建立并执行。", State = status == MeasureStatus.Closed ? RequestState.Approved : RequestState.Pending,
                                        Step = status == MeasureStatus.Closed ? 2 : 0, Chain = "unit_leader,office", DecidedAt = status == MeasureStatus.Closed ? at.AddDays(3) : null,
                                    };
                                    requests.Add(req);
                                    var name = $"{title}整改佐证{measure.Id}.pdf";
                                    files.Add(new EvidenceFile
                                    {
                                        Id = fileId++, UnitId = unit.Id, MeasureId = measure.Id, ClosureRequestId = req.Id, FileName = name.Length > 200 ? name[..200] : name,
                                        ContentType = "application/pdf", Size = 50_000 + rnd.Next(2_000_000), UploadedAt = at, UploadedByUserId = authorId,
                                        Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name))),
                                    });
                                }
                            }
                            if (rnd.Next(4) == 0)
                                figures.Add(new OutcomeFigure
                                {
                                    Id = figId++, UnitId = unit.Id, ProblemId = problem.Id, Kind = rnd.Next(2) == 0 ? "funds_yuan" : "people_disciplined",
                                    Value = rnd.Next(2) == 0 ? 1000m * rnd.Next(1, 500) : rnd.Next(1, 5), Unit = rnd.Next(2) == 0 ? "元" : "人",
                                });
                        }
                        for (int r = 0, nr = 1 + rnd.Next(3); r < nr; r++)
                            rules.Add(new RuleDocument
                            {
                                Id = ruleId++, UnitId = unit.Id, Title = $"关于进一步规范{RoundGenerator.Areas[rnd.Next(RoundGenerator.Areas.Length)]}的管理办法",
                                Reference = $"{unit.Name[..2]}〔{feedback.Year}〕{r + 1}号", IssuedOn = feedback.AddMonths(1 + r), Issuer = unit.Name,
                                ProblemIds = unitProblems.Take(2).ToList(),
                            });
                    }
                    await w.WriteAsync(orgs, ct); await w.WriteAsync(people, ct); await w.WriteAsync(inspections, ct); await w.WriteAsync(docs, ct);
                    await w.WriteAsync(cats, ct); await w.WriteAsync(problems, ct); await w.WriteAsync(measures, ct); await w.WriteAsync(reports, ct);
                    await w.WriteAsync(requests, ct); await w.WriteAsync(files, ct); await w.WriteAsync(rules, ct); await w.WriteAsync(figures, ct);
                    Count("organisations", orgs.Count); Count("people", people.Count); Count("inspections", inspections.Count); Count("feedback_documents", docs.Count);
                    Count("categories", cats.Count); Count("problems", problems.Count); Count("measures", measures.Count); Count("progress_reports", reports.Count);
                    Count("closure_requests", requests.Count); Count("evidence_files", files.Count); Count("rules", rules.Count); Count("outcome_figures", figures.Count);
                    await trail.WriteAsync(orgs, ct); await trail.WriteAsync(people, ct); await trail.WriteAsync(inspections, ct); await trail.WriteAsync(docs, ct);
                    await trail.WriteAsync(cats, ct); await trail.WriteAsync(problems, ct); await trail.WriteAsync(measures, ct); await trail.WriteAsync(reports, ct);
                    await trail.WriteAsync(requests, ct); await trail.WriteAsync(files, ct); await trail.WriteAsync(rules, ct); await trail.WriteAsync(figures, ct);
                    Count("audit_events", orgs.Count + people.Count + inspections.Count + docs.Count + cats.Count + problems.Count + measures.Count + reports.Count
                                          + requests.Count + files.Count + rules.Count + figures.Count);
                }
                if (sqliteLoad is not null) await sqliteLoad.RestoreAsync(ct);
                await w.ResetSequencesAsync(ct);
                await db.RecordAsync("Generation", round.Id, "generate", new { size.Units, size.ProblemsPerUnit, size.MeasuresPerProblem, size.Weeks, size.Seed, Rows = rows }, null, ct);
                var commit = System.Diagnostics.Stopwatch.StartNew();
                await tx.CommitAsync(ct);
                db.ChainLocked = false;
                var timings = w.Elapsed.ToDictionary(e => "insert " + e.Key, e => e.Value);
                foreach (var (phase, t) in sqliteLoad?.Elapsed ?? []) timings[phase] = t;
                timings["commit"] = commit.Elapsed;
                if (db.ProviderName == "postgresql")
                {
                    // Fresh statistics for the planner (autovacuum would take minutes to get there): without them it
                    // cannot tell rare characters and trigrams of the search indexes from common ones.
                    var analyze = System.Diagnostics.Stopwatch.StartNew();
                    var tables = string.Join(", ", w.Elapsed.Keys.Select(t => $"\"{t}\"")); // the tables written
                    var sql = "ANALYZE " + tables; // table names from the model, not input
                    // 15–30 s at province size: beyond EF's default command timeout of 30 s on a busy machine.
                    var timeout = db.Database.GetCommandTimeout();
                    db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
                    try { await db.Database.ExecuteSqlRawAsync(sql, ct); }
                    finally { db.Database.SetCommandTimeout(timeout); }
                    timings["analyze"] = analyze.Elapsed;
                }
                result = new GeneratedProvince(office.Id, round.Id, firstInspection, new Dictionary<string, long>(rows), started.Elapsed, timings);
            });
        }
        finally
        {
            if (sqliteLoad is not null) await sqliteLoad.LeaveAsync(CancellationToken.None);
        }
        return result! with { Elapsed = started.Elapsed };
    }

    string TableOf<T>() => db.Model.FindEntityType(typeof(T))!.GetTableName()!;

    /// <summary>A plausible spread: most measures under way or done, some not started, a few waiting for approval.</summary>
    static MeasureStatus Status(Random rnd) => rnd.Next(100) switch
    {
        < 10 => MeasureStatus.NotStarted,
        < 40 => MeasureStatus.InProgress,
        < 43 => MeasureStatus.ExtensionRequested,
        < 50 => MeasureStatus.BasicallyRectified,
        < 55 => MeasureStatus.PendingClosure,
        < 70 => MeasureStatus.Rectified,
        < 75 => MeasureStatus.RectifiedOngoing,
        _ => MeasureStatus.Closed,
    };
}
