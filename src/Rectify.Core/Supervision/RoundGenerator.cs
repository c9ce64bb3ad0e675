using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;

namespace Rectify.Core.Supervision;

/// <summary>What <see cref="RoundGenerator.CreateAsync"/> made.</summary>
public sealed record GeneratedRound(long RoundId, IReadOnlyList<long> UnitIds, IReadOnlyList<long> InspectionIds, int Problems, int Measures);

/// <summary>
/// Deterministic generated data for tests and benchmarks: a round of N units, each with categories, problems written
/// from templates (an area × a fault, in one of several wordings, with unit-specific details) and measures; then status
/// changes over time, each through <see cref="Measure.ChangeStatus"/> and saved (so audited at the clock's time).
/// </summary>
public sealed class RoundGenerator(int seed = 1)
{
    readonly Random _rnd = new(seed);

    public static readonly string[] Areas =
    [
        "公务接待", "公务用车", "办公用房", "专项资金", "政府采购", "工程项目", "食堂管理", "差旅费报销", "劳务派遣", "档案管理",
        "意识形态工作", "基层党组织建设", "“三重一大”决策", "干部选拔任用", "党费收缴", "固定资产", "校园安全", "医保基金", "惠民补贴发放", "合同管理",
        "债权债务清理", "国有资产出租", "信访矛盾化解", "执法监督", "网络安全", "疫情防控物资", "巡察整改台账", "教师培训经费", "村级财务", "征地拆迁补偿",
    ];

    public static readonly string[] Faults =
    [
        "制度不健全", "台账记录不完整", "审批程序不规范", "监督检查不到位", "超标准超范围列支", "账实不符", "未按规定公开公示", "主体责任落实不到位", "廉政风险防控薄弱", "整改推进缓慢",
    ];

    static readonly string[] Objects = ["票据", "单据", "合同", "会议记录", "审批表", "凭证", "报销单", "清单"];

    static readonly string[] Places =
    [
        "城南小学", "东湖片区", "第三中学", "人民医院", "北站项目部", "滨江街道", "新城社区", "工业园区", "老城改造项目", "中心卫生院",
        "青山镇", "白石村", "实验幼儿园", "水务站", "农机站", "文化馆", "体育中心", "敬老院", "市场监管所", "林业站",
        "河西街道", "南湖公园", "职业中学", "疾控中心", "档案馆", "图书馆", "客运站", "污水处理厂", "垃圾中转站", "便民服务中心",
        "东岭水库", "西山林场", "石桥镇", "双河村", "民政服务站", "退役军人服务站", "不动产登记中心", "政务大厅", "物流园", "农贸市场",
    ];

    /// <summary>A problem statement: title and description in one of three wordings; the details come from <paramref name="detail"/>.</summary>
    public static (string Title, string Description) Text(int area, int fault, int wording, int detail)
    {
        var a = Areas[area % Areas.Length];
        var f = Faults[fault % Faults.Length];
        var year = 2019 + detail % 4;
        var n = 3 + detail % 37;
        var obj = Objects[detail % Objects.Length];
        var place = Places[detail / 8 % Places.Length];
        return (wording % 3) switch
        {
            0 => ($"{a}{f}", $"{year}年以来，{place}{a}{f}，抽查发现{n}份{obj}存在问题，相关人员对{a}相关规定学习不够。"),
            1 => ($"在{a}方面存在{f}的问题", $"经查，自{year}年起{place}的{a}工作中{f}的情况较为突出，共有{n}份{obj}不符合要求。"),
            _ => ($"{a}工作{f}", $"巡察组抽查{place}{a}{obj}{n}份，发现{f}，{year}年以来未得到有效纠正。"),
        };
    }

    /// <summary>
    /// Creates <paramref name="units"/> units under the office, one round, an inspection per unit (feedback on
    /// <paramref name="feedback"/>), 2–3 categories, <paramref name="problemsPerUnit"/> problems and 1–3 measures each.
    /// </summary>
    public async Task<GeneratedRound> CreateAsync(RectifyDb db, long officeId, int units, int problemsPerUnit, string roundName, DateOnly feedback, CancellationToken ct = default)
    {
        var round = new InspectionRound { Name = roundName, OfficeId = officeId, Start = feedback.AddMonths(-3), End = feedback };
        db.Rounds.Add(round);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var unitIds = new List<long>();
        var inspectionIds = new List<long>();
        int problems = 0, measures = 0;
        for (int u = 0; u < units; u++)
        {
            var unit = new Organisation { Kind = OrganisationKind.Unit, Name = $"{roundName}被巡察单位{u + 1:000}", ParentId = officeId, Ordinal = u };
            db.Organisations.Add(unit);
            await db.SaveChangesAsync(ct);
            var inspection = new Inspection { UnitId = unit.Id, RoundId = round.Id, Team = $"第{u % 4 + 1}巡察组", FeedbackDate = feedback };
            db.Inspections.Add(inspection);
            await db.SaveChangesAsync(ct);
            var categories = Enumerable.Range(1, 2 + u % 2).Select(c => new Category { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = c, Title = $"第{c}类问题" }).ToList();
            for (int p = 0; p < problemsPerUnit; p++)
            {
                var (title, description) = Text(_rnd.Next(Areas.Length), _rnd.Next(Faults.Length), _rnd.Next(3), _rnd.Next(1000));
                var category = categories[p % categories.Count];
                var problem = new Problem { InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = category.Problems.Count + 1, Title = title, Description = description };
                // A few problems come with a stated status and no measures (as imported from a notice).
                if (_rnd.Next(20) == 0) problem.StatedStatus = _rnd.Next(2) == 0 ? MeasureStatus.Rectified : MeasureStatus.InProgress;
                else
                    for (int m = 0, count = 1 + _rnd.Next(3); m < count; m++)
                    {
                        problem.Measures.Add(new Measure
                        {
                            InspectionId = inspection.Id, UnitId = unit.Id, Ordinal = m + 1, Text = $"针对{title}，落实整改措施{m + 1}",
                            Deadline = feedback.AddMonths(1 + _rnd.Next(6)), Status = _rnd.Next(4) == 0 ? MeasureStatus.InProgress : MeasureStatus.NotStarted,
                        });
                        measures++;
                    }
                category.Problems.Add(problem);
                problems++;
            }
            db.Categories.AddRange(categories);
            await db.SaveChangesAsync(ct);
            unitIds.Add(unit.Id);
            inspectionIds.Add(inspection.Id);
            // Keep the change tracker small: every save scans what it tracks.
            db.ChangeTracker.Clear();
        }
        return new GeneratedRound(round.Id, unitIds, inspectionIds, problems, measures);
    }

    /// <summary>
    /// Moves about <paramref name="share"/> of the round's measures one step forward along the usual paths (未启动 → 推进中 →
    /// 基本完成 or 已整改 → 销号), occasionally back to 推进中; saved in one transaction at the clock's current time.
    /// Returns how many measures changed.
    /// </summary>
    public async Task<int> ProgressAsync(RectifyDb db, long roundId, double share, CancellationToken ct = default)
    {
        var inspections = db.Inspections.Where(i => i.RoundId == roundId).Select(i => i.Id);
        var list = await db.Measures.Where(m => inspections.Contains(m.InspectionId)).OrderBy(m => m.Id).ToListAsync(ct);
        int changed = 0;
        foreach (var m in list)
        {
            if (_rnd.NextDouble() >= share) continue;
            var to = m.Status switch
            {
                MeasureStatus.NotStarted => MeasureStatus.InProgress,
                MeasureStatus.InProgress => _rnd.Next(5) switch { 0 => MeasureStatus.BasicallyRectified, 1 => MeasureStatus.RectifiedOngoing, _ => MeasureStatus.Rectified },
                MeasureStatus.BasicallyRectified => MeasureStatus.Rectified,
                MeasureStatus.Rectified or MeasureStatus.RectifiedOngoing => _rnd.Next(6) == 0 ? MeasureStatus.InProgress : MeasureStatus.Closed,
                _ => m.Status,
            };
            if (to == m.Status) continue;
            m.ChangeStatus(to);
            changed++;
        }
        await db.SaveChangesAsync(ct);
        return changed;
    }
}
