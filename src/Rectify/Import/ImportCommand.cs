using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Cli;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Import;
using Rectify.Core.Ledger;

namespace Rectify.Import;

/// <summary><c>rectify import FILE [--json] [--into ID | --unit UNIT]</c>: reads a document, prints the ledger it holds, optionally stores it.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "要导入的文件：.docx、.pdf、.txt/.md、.xlsx 或 Rectify 的 JSON" };
        var json = new Option<bool>("--json") { Description = "以 JSON 输出解析结果（格式见 docs/ledger-json.md）" };
        var into = new Option<long?>("--into") { Description = "解析后存入该检查（编号）的台账" };
        var unit = new Option<string?>("--unit") { Description = "为该单位（编号或全称）新建一次检查并存入台账" };
        var db = CliOptions.Db();
        var cmd = new Command("import", "读取反馈意见、整改通报或整改台账，显示解析出的问题、措施和状态；可用 --into/--unit 存入台账")
            { file, json, into, unit, db };
        cmd.SetAction(async (ParseResult p, CancellationToken ct) =>
        {
            var code = Run(p.GetValue(file)!, p.GetValue(json), Console.Out, Console.Error);
            if (code != ExitCodes.Ok || (p.GetValue(into) is null && p.GetValue(unit) is null)) return code;
            return await CliOptions.Guarded(() => StoreAsync(p.GetValue(file)!, p.GetValue(into), p.GetValue(unit), CliOptions.Location(p, db), ct));
        });
        return cmd;
    }

    /// <summary>The same parse, then stored in one transaction into an existing inspection or a new one of a unit.</summary>
    static async Task<int> StoreAsync(FileInfo file, long? inspectionId, string? unit, DatabaseLocation location, CancellationToken ct)
    {
        LedgerDocument doc;
        await using (var stream = file.OpenRead()) doc = DocumentImporter.Read(stream, file.Name);
        await Database.MigrateAsync(location, ct);
        await using var db = Database.Open(location);
        if (inspectionId is null)
        {
            var (unitId, _) = await Users.ResolveOrganisationAsync(db, unit, ct);
            if (unitId is null) throw new DomainRuleException($"“{unit}”不是被巡察单位。", "unit");
            var inspection = new Inspection { UnitId = unitId.Value };
            db.Inspections.Add(inspection);
            await db.SaveChangesAsync(ct);
            inspectionId = inspection.Id;
        }
        else if (!await db.Inspections.AnyAsync(i => i.Id == inspectionId, ct))
            throw new DomainRuleException($"找不到编号为 {inspectionId} 的检查。", "into");
        var stored = await StoreLedger.RunAsync(db, inspectionId.Value, doc, ct);
        Console.Error.WriteLine($"已存入检查 {stored.InspectionId}：{stored.Categories} 个类别，{stored.Problems} 个问题，{stored.Measures} 项措施。");
        return ExitCodes.Ok;
    }

    public static int Run(FileInfo file, bool asJson, TextWriter stdout, TextWriter stderr)
    {
        LedgerDocument doc;
        try
        {
            using var stream = file.OpenRead();
            doc = DocumentImporter.Read(stream, file.Name);
        }
        catch (Exception ex) when (ex is ImportException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(ex is ImportException ? "无法导入：" + ex.Message : $"无法打开文件：{file.FullName}");
            return ExitCodes.BadInput;
        }
        stdout.Write(asJson ? JsonSerializer.Serialize(doc, LedgerDocument.Json) + "\n" : Tree(doc));
        return ExitCodes.Ok;
    }

    /// <summary>A readable Chinese outline: header facts, categories with problems and statuses, counts, warnings.</summary>
    public static string Tree(LedgerDocument doc)
    {
        var sb = new StringBuilder();
        var kind = doc.Kind switch { "feedback" => "反馈意见", "ledger" => "整改台账", _ => "整改通报" };
        sb.AppendLine($"{kind}：{doc.Title ?? "（无标题）"}");
        if (doc.Issuer is not null || doc.Date is not null) sb.AppendLine($"发文：{doc.Issuer ?? "—"}  {doc.Date?.ToString("yyyy-MM-dd") ?? ""}");
        if (doc.References.Count > 0) sb.AppendLine("文号：" + string.Join("、", doc.References));
        if (doc.Inspection is { } i)
            sb.AppendLine($"巡察：{i.Team ?? "—"}  {i.Start:yyyy-MM-dd}至{i.End:yyyy-MM-dd}  反馈 {i.FeedbackDate:yyyy-MM-dd}");
        foreach (var c in doc.Categories)
        {
            sb.AppendLine($"（{c.Number}）{c.Title}  [{c.Problems.Count} 个问题]");
            foreach (var p in c.Problems)
            {
                var status = p.Status is { } s ? StatusRules.Wording(s) : "无状态";
                sb.AppendLine($"    {p.Number}. {p.Title}  [{p.Measures.Count} 项措施｜{status}]");
            }
        }
        var figures = StatusRules.Count(doc.AllProblems.Select(p => p.Status ?? MeasureStatus.NotStarted));
        sb.AppendLine($"合计：{doc.Categories.Count} 个类别，{figures.Problems} 个问题，{doc.AllProblems.Sum(p => p.Measures.Count)} 项措施；"
                      + $"已完成 {figures.Completed} 个，完成率 {figures.RateText}");
        foreach (var f in doc.Statistics) sb.AppendLine($"陈述数字：{f.Kind} = {f.Value} {f.Unit}（{f.Text}）");
        if (doc.Unassigned.Count > 0) sb.AppendLine($"未归类内容：{doc.Unassigned.Count} 段");
        sb.AppendLine(doc.Warnings.Count == 0 ? "无警告" : $"警告 {doc.Warnings.Count} 条：");
        foreach (var w in doc.Warnings) sb.AppendLine($"  - {w.Where}：{w.Message}");
        return sb.ToString();
    }
}
