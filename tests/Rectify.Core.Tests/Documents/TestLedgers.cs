using Rectify.Core.Ledger;

namespace Rectify.Core.Tests.Documents;

/// <summary>Ledgers built in code: a small one and one shaped like the seed notice (4 categories).</summary>
internal static class TestLedgers
{
    public const string Issuer = "中共平顶山市石龙区教育体育局党组";

    public static LedgerProblem Problem(string title, params (string Text, MeasureStatus? Status)[] measures) => new()
    {
        Title = title,
        Measures = measures.Select((m, i) => new LedgerMeasure { Number = i + 1, Text = m.Text, Status = m.Status }).ToList(),
    };

    /// <summary>One category, two problems: one done, one still in progress.</summary>
    public static LedgerDocument Small() => new()
    {
        Title = "测试单位关于巡察反馈意见整改落实情况的通报",
        Issuer = "测试单位党组",
        Date = new DateOnly(2023, 1, 5),
        Inspection = new InspectionInfo { Team = "区委第二巡察组" },
        Categories =
        [
            new LedgerCategory
            {
                Number = "一", Title = "政治建设重视不够",
                Problems =
                [
                    Problem("学习贯彻不深入", ("坚持每月一次理论中心组学习", MeasureStatus.RectifiedOngoing), ("开展专题党课", MeasureStatus.Rectified)),
                    Problem("长期违规借调教师", ("调入有空余编制的机关二级机构", MeasureStatus.Rectified), ("剩余借调人员返回原学校", MeasureStatus.InProgress)),
                ],
            },
        ],
    };

    static LedgerProblem Done(string title, params string[] measures) =>
        Problem(title, measures.Select(m => (m, (MeasureStatus?)MeasureStatus.RectifiedOngoing)).ToArray());

    /// <summary>The seed notice's structure: 4 categories, 25 problems, one 整改推进中.</summary>
    public static LedgerDocument SeedLike()
    {
        var borrowed = Problem("长期违规借调教师",
            ("已在机关工作时间较长、表现突出的，调入有空余编制的机关二级机构", MeasureStatus.Rectified),
            ("根据上级要求成立教师发展中心，部分人员调入", MeasureStatus.InProgress),
            ("剩余借调人员返回原学校工作岗位", MeasureStatus.InProgress));
        borrowed.MeasuresPreamble = "新一届局领导班子已召开专题会议，拟采取三种方式解决：";
        var assets = Done("部分基层学校随意处置资产", "相关学校将国有资产处置收入2730元缴入石龙区财政局非税收入归集户");
        assets.Figures.Add(new StatedFigure { Kind = "funds_yuan", Value = 2730, Unit = "元", Text = "2730元" });
        return new LedgerDocument
        {
            Title = "平顶山市石龙区教育局关于区委第一巡察组反馈意见整改落实情况的通报",
            Issuer = Issuer,
            Date = new DateOnly(2022, 9, 30),
            References = ["平龙巡〔2022〕28号", "平龙巡〔2022〕29号"],
            Inspection = new InspectionInfo
            {
                Team = "区委第一巡察组", Start = new DateOnly(2022, 3, 15), End = new DateOnly(2022, 5, 27), FeedbackDate = new DateOnly(2022, 6, 27),
            },
            Opening = ["根据区委统一部署安排和要求，区委第一巡察组于2022年3月15日至2022年5月27日，对区教育局进行了常规巡察。2022年6月27日，巡察组就巡察情况向我单位进行了反馈。现将整改情况予以公布："],
            Overview =
            [
                "1.高度重视，迅速行动。接到区委第一巡察组《常规巡察区教育局党组的反馈意见》（平龙巡[2022]29号）文件后，立即组织召开党组会议，研究制定整改落实方案。",
                "2.建立台账，对账销号。制定整改方案及问题台账，坚持周督查周汇报，有力有序推进整改任务落实。",
                "3.总结经验，注重长效。反馈问题25个，已完成整改24个，整改完成率96%。",
            ],
            Categories =
            [
                new LedgerCategory { Number = "一", Title = "政治建设重视不够，意识形态工作存在不足", Problems =
                [
                    Done("学习贯彻党的教育体育方针政策不深入", "教体局党组列出政治理论学习年度计划，坚持每月一次党组理论中心组学习", "充分发挥党支部堡垒作用，发挥党员模范带头作用", "各支部牵头，加强广大教职员政治理论学习"),
                    Done("意识形态工作有短板", "明确一名班子成员抓意识形态、统战工作", "重视基层学校意识形态工作，加强校园文化建设"),
                ] },
                new LedgerCategory { Number = "二", Title = "履职尽责有差距，从严治校存在不足", Problems =
                [
                    Done("义务教育均衡发展工作有差距", "大力开展素质教育", "教育股牵头开展结对帮扶活动", "充分发挥“专递课堂”作用", "开展好创客教育"),
                    Done("“双减”政策落实有偏差", "进一步完善“双减”工作各项政策", "抓好课堂教学，提高作业设计质量", "认真开展课后延时服务"),
                    borrowed,
                    Done("对违规聘用代课教师视而不见", "严格落实教师资格准入制度", "严格落实校长第一责任人责任", "加强督导检查"),
                    Done("疫情防控措施落实不到位", "进一步提高思想认识，严格落实疫情防控各项措施", "加强督导检查"),
                    Done("统筹推进体育和学校卫生健康工作不够有力", "进一步加强体卫艺科室力量", "积极争取上级政策"),
                    Done("违规出借公共体育设施", "严格落实《公共文化体育设施条例》，要求相关场馆进行了搬离、开放"),
                    Done("卫生健康工作落实不到位", "加强和市场监督管理部门的沟通联系", "在各学校设立监督举报电话"),
                    Done("法治政府建设有欠缺", "明确专人，加强业务学习", "加强与区司法局等部门对接"),
                    Done("职业教育工作有缺失", "从思想上重视职业教育", "坚决贯彻落实“人人持证，技能河南”工作要求"),
                    Done("学校安全问题频发", "不断完善工作机制，加强安全管理，制定并下发了《石龙区教体系统消防安全大检查工作方案》(平龙教体(2022)58号)", "以“六防六促”为抓手"),
                    Done("学生安全教育不到位", "高度重视安全工作", "加大校园安全工作的管理和监督力度", "注重安全防护", "做好安全保障"),
                ] },
                new LedgerCategory { Number = "三", Title = "基层学校监督管理不到位", Problems =
                [
                    Done("对学校考勤管理监督不严", "先后召开5次校长会，对各学校考勤工作进行了进一步强调"),
                    assets,
                    Done("师德师风工作整治不力", "认真贯彻落实中小学教师师德师风监测制度", "开展师德主题教育和党史学习教育活动"),
                    Done("虚列项目变通报销", "加强对学校“一把手”的监督管理", "监督学校“三重一大”制度执行到位", "进一步规范学校财务制度"),
                    Done("占用下属学校公用经费列支培训费用", "严格执行《平顶山市义务教育学校公用经费支出管理办法》"),
                ] },
                new LedgerCategory { Number = "四", Title = "议事决策制度落实有偏差，基层党建存在不足", Problems =
                [
                    Done("“三重一大”制度执行不到位", "严格按照“三重一大”制度执行"),
                    Done("人事任免程序不严格", "坚持会议集体决定、依法依规决策、科学民主决策的原则"),
                    Done("对基层学校执行民主决策制度监督不力", "进一步强化局分管班子成员和股室责任"),
                    Done("党建工作存在薄弱环节", "局党组带头和各学校一道将党建工作和业务工作进行同部署、同考核、同落实", "进一步加强教育党总支队伍建设", "局党组带头定期召开组织生活会"),
                    Done("意识形态阵地管理有漏洞", "加强校园网站和新媒体平台管理"),
                    Done("党员教育管理不严格", "严格落实“三会一课”制度"),
                ] },
            ],
            NextSteps = ["今后工作中，教体局将严格落实“两个责任”和“一岗双责”，对巡察反馈的意见和问题不折不扣予以落实，把巡察成果转化为促进我区教育发展的强大动力。"],
            Statistics =
            [
                new StatedFigure { Kind = "problems", Value = 25, Unit = "个", Text = "反馈问题25个" },
                new StatedFigure { Kind = "rectified", Value = 24, Unit = "个", Text = "已完成整改24个" },
                new StatedFigure { Kind = "completion_rate", Value = 96, Unit = "%", Text = "整改完成率96%" },
                new StatedFigure { Kind = "funds_yuan", Value = 2730, Unit = "元", Text = "2730元" },
            ],
        };
    }
}
