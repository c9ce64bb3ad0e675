using System.CommandLine;
using System.Text.Json;
using Rectify.Cli;
using Rectify.Core.Documents;
using Rectify.Core.Import;
using Rectify.Core.Ledger;

namespace Rectify.Documents;

/// <summary>
/// <c>rectify render FILE --to docx|md|html|pdf|xlsx|json --out OUT [--kind notice|report|plan] [--override-lint REASON]</c>:
/// turns a ledger into a document without a database.
/// </summary>
public static class RenderCommand
{
    internal static readonly string[] Formats = ["docx", "md", "html", "pdf", "xlsx", "json"];
    internal static readonly string[] Kinds = ["notice", "report", "plan"];

    public static Command Build()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "输入文件：通报、反馈意见或台账（.docx/.pdf/.txt/.md/.xlsx/.json）" };
        var to = new Option<string>("--to") { Description = "输出格式：docx、md、html、pdf、xlsx 或 json", Required = true };
        to.AcceptOnlyFromAmong(Formats);
        var output = new Option<FileInfo>("--out") { Description = "输出文件", Required = true };
        var kind = new Option<string>("--kind") { Description = "文稿类型：notice（通报）、report（报告）或 plan（整改方案）", DefaultValueFactory = _ => "notice" };
        kind.AcceptOnlyFromAmong(Kinds);
        var overrideLint = new Option<string?>("--override-lint") { Description = "文稿与台账不一致时仍然生成，并记录此理由" };
        var recipient = new Option<string?>("--recipient") { Description = "报告的主送机关，如：区委巡察工作领导小组办公室" };

        var cmd = new Command("render", "把台账生成通报、报告、整改方案（DOCX/PDF/HTML/Markdown）或整改台账 Excel。");
        cmd.Arguments.Add(file);
        cmd.Options.Add(to);
        cmd.Options.Add(output);
        cmd.Options.Add(kind);
        cmd.Options.Add(overrideLint);
        cmd.Options.Add(recipient);
        cmd.SetAction((ParseResult p, CancellationToken ct) => RunAsync(
            p.GetValue(file)!, p.GetValue(to)!, p.GetValue(output)!, p.GetValue(kind) ?? "notice",
            p.GetValue(overrideLint), p.GetValue(recipient), ct));
        return cmd;
    }

    /// <summary>Reads the input into a ledger through the importer (every format it reads).</summary>
    public static LedgerDocument LoadInput(Stream input, string fileName) => DocumentImporter.Read(input, fileName);

    static Task<int> RunAsync(FileInfo file, string to, FileInfo output, string kind, string? overrideReason,
        string? recipient, CancellationToken ct) =>
        WriteAsync(async () =>
        {
            if (!file.Exists) throw new ImportException($"找不到输入文件：{file.FullName}");
            await using var input = file.OpenRead();
            return LoadInput(input, file.Name);
        }, to, output, kind, overrideReason, recipient, null, ct);

    /// <summary>
    /// Loads a ledger, lints it and writes it in one format to a temporary file that replaces <paramref name="output"/>
    /// only when complete. Shared by `render` (a file) and `notice` (a stored inspection); <paramref name="overridden"/>
    /// is told about a lint override so the caller can record it.
    /// </summary>
    internal static async Task<int> WriteAsync(Func<Task<LedgerDocument>> load, string to, FileInfo output, string kind, string? overrideReason,
        string? recipient, Func<LintOutcome, Task>? overridden, CancellationToken ct)
    {
        var temp = output.FullName + ".part";
        try
        {
            var doc = await load();

            var options = new RenderOptions
            {
                Kind = kind switch { "report" => DocumentKind.Report, "plan" => DocumentKind.Plan, _ => DocumentKind.Notice },
                OverrideReason = overrideReason,
                Recipient = recipient,
            };
            if (options.Kind == DocumentKind.Plan && to is "md" or "html")
                throw new ImportException("整改方案暂只能生成 DOCX 或 PDF。");

            output.Directory?.Create();
            LintOutcome? lint = null;
            await using (var stream = File.Create(temp))
            {
                switch (to)
                {
                    case "json":
                        await JsonSerializer.SerializeAsync(stream, doc, LedgerDocument.Json, ct);
                        break;
                    case "xlsx":
                        lint = new XlsxLedgerWriter().Write(doc, stream, options);
                        break;
                    case "md":
                        lint = new MarkdownNoticeWriter().Write(doc, stream, options);
                        break;
                    case "html":
                        lint = new HtmlNoticeWriter().Write(doc, stream, options);
                        break;
                    case "docx":
                        lint = WriteDocx(doc, stream, options);
                        break;
                    case "pdf":
                        using (var docx = new MemoryStream())
                        {
                            lint = WriteDocx(doc, docx, options);
                            docx.Position = 0;
                            await new PdfConverter().ConvertAsync(docx, stream, ct);
                        }
                        break;
                }
            }
            File.Move(temp, output.FullName, overwrite: true);
            if (lint is { Overridden: true } && overridden is not null) await overridden(lint);
            if (lint is { Overridden: true })
                await Console.Error.WriteLineAsync($"注意：文稿与台账有{lint.Issues.Count}处不一致，已按理由“{lint.OverrideReason}”生成：{string.Join("；", lint.Issues)}");
            return ExitCodes.Ok;
        }
        catch (DocumentLintException e)
        {
            File.Delete(temp);
            await Console.Error.WriteLineAsync(e.Message.ReplaceLineEndings(" ") + "。如确需生成，请用 --override-lint 说明理由。");
            return ExitCodes.BadInput;
        }
        catch (ImportException e)
        {
            File.Delete(temp);
            await Console.Error.WriteLineAsync(e.Message.ReplaceLineEndings(" "));
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is LibreOfficeMissingException or PdfConversionException or IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            await Console.Error.WriteLineAsync(e.Message.ReplaceLineEndings(" "));
            return ExitCodes.Failure;
        }
    }

    static LintOutcome WriteDocx(LedgerDocument doc, Stream stream, RenderOptions options) =>
        new DocxNoticeWriter().Write(doc, stream, options);
}
