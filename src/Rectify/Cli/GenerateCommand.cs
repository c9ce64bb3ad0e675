using System.CommandLine;
using Rectify.Core.Data;
using Rectify.Core.Performance;

namespace Rectify.Cli;

/// <summary>`rectify generate`: fills a database with a generated province for benchmarks.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var db = CliOptions.Db();
        var units = new Option<int>("--units") { Description = "被巡察单位数", DefaultValueFactory = _ => 200 };
        var problems = new Option<int>("--problems-per-unit") { Description = "每个单位的问题数", DefaultValueFactory = _ => 40 };
        var measures = new Option<int>("--measures-per-problem") { Description = "每个问题的整改措施数", DefaultValueFactory = _ => 3 };
        var weeks = new Option<int>("--weeks") { Description = "周汇报的周数", DefaultValueFactory = _ => 26 };
        var seed = new Option<int>("--seed") { Description = "随机种子（同一种子生成相同数据）", DefaultValueFactory = _ => 1 };
        var cmd = new Command("generate", "生成一个省级规模的测试数据集（用于性能测试；批量写入，每行附一条“新增”审计事件；SQLite 写入期间关闭同步，中途崩溃可能损坏该文件，只用于测试库）") { units, problems, measures, weeks, seed, db };
        cmd.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var size = new ProvinceSize(p.GetValue(units), p.GetValue(problems), p.GetValue(measures), p.GetValue(weeks), p.GetValue(seed));
            // One unit of 100 000 problems is the Excel export's benchmark (bench/xlsx-memory.sh).
            if (size.Units is < 1 or > 100_000 || size.ProblemsPerUnit is < 1 or > 100_000 || size.MeasuresPerProblem is < 1 or > 50 || size.Weeks is < 0 or > 520)
                throw new DomainRuleException("参数超出范围：单位数 1–100000，每单位问题数 1–100000，每问题措施数 1–50，周数 0–520。");
            var location = CliOptions.Location(p, db);
            await Database.MigrateAsync(location, ct);
            await using var ctx = Database.Open(location);
            var r = await new ProvinceGenerator(ctx, TimeProvider.System).RunAsync(size, ct);
            Console.WriteLine($"已生成：巡察办 #{r.OfficeId}，轮次 #{r.RoundId}，首个巡察 #{r.FirstInspectionId}，用时 {r.Elapsed.TotalSeconds:0.0} 秒");
            foreach (var (table, n) in r.Rows) Console.WriteLine($"  {table}: {n}");
            Console.WriteLine("各步用时（其余为在内存中生成数据）：");
            foreach (var (step, t) in r.Timings) Console.WriteLine($"  {step}: {t.TotalSeconds:0.0} 秒");
            return ExitCodes.Ok;
        }));
        return cmd;
    }
}
