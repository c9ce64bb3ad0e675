using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Rectify.Cli;
using Rectify.Core.Data;
using Rectify.Core.Documents;
using Rectify.Core.Import;

namespace Rectify.Documents;

/// <summary>
/// <c>rectify notice INSPECTION_ID --to docx|md|html|pdf|xlsx|json --out FILE [--kind notice|report|plan]</c>: the
/// stored ledger of an inspection written as a document; a lint override is recorded in the audit trail.
/// </summary>
public static class NoticeCommand
{
    public static Command Build()
    {
        var id = new Argument<long>("INSPECTION_ID") { Description = "检查编号" };
        var to = new Option<string>("--to") { Description = "输出格式：docx、md、html、pdf、xlsx 或 json", Required = true };
        to.AcceptOnlyFromAmong(RenderCommand.Formats);
        var output = new Option<FileInfo>("--out") { Description = "输出文件", Required = true };
        var kind = new Option<string>("--kind") { Description = "文稿类型：notice（通报）、report（报告）或 plan（整改方案）", DefaultValueFactory = _ => "notice" };
        kind.AcceptOnlyFromAmong(RenderCommand.Kinds);
        var overrideLint = new Option<string?>("--override-lint") { Description = "文稿与台账不一致时仍然生成，并把理由记入审计记录" };
        var recipient = new Option<string?>("--recipient") { Description = "报告的主送机关" };
        var db = CliOptions.Db();
        var cmd = new Command("notice", "从数据库中某次检查的台账生成通报、报告、整改方案或整改台账 Excel")
            { id, to, output, kind, overrideLint, recipient, db };
        cmd.SetAction((p, ct) => CliOptions.Guarded(async () =>
        {
            var location = CliOptions.Location(p, db);
            await using var ctx = Database.Open(location);
            var inspectionId = p.GetValue(id);
            return await RenderCommand.WriteAsync(
                async () => await LedgerToDocument.RunAsync(ctx, inspectionId, ct)
                            ?? throw new ImportException($"找不到编号为 {inspectionId} 的检查。"),
                p.GetValue(to)!, p.GetValue(output)!, p.GetValue(kind) ?? "notice", p.GetValue(overrideLint), p.GetValue(recipient),
                async lint =>
                {
                    var unit = await ctx.Inspections.Where(i => i.Id == inspectionId).Select(i => (long?)i.UnitId).FirstOrDefaultAsync(ct);
                    await ctx.RecordAsync("Inspection", inspectionId, "lint_override",
                        new { reason = lint.OverrideReason, issues = lint.Issues.Select(i => i.ToString()).ToList() }, unit, ct);
                }, ct);
        }));
        return cmd;
    }
}
