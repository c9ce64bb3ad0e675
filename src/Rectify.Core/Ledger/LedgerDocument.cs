using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Rectify.Core.Ledger;

/// <summary>
/// A ledger as a document: what every importer produces, what every writer consumes, and what
/// <c>rectify import --json</c> prints. Shape documented in docs/ledger-json.md.
/// </summary>
public sealed class LedgerDocument
{
    /// <summary><c>notice</c> (整改情况通报/报告), <c>feedback</c> (反馈意见: problems without measures) or <c>ledger</c> (整改台账).</summary>
    public string Kind { get; set; } = "notice";
    public string? Title { get; set; }
    /// <summary>The issuing body, from the signature (发文机关署名).</summary>
    public string? Issuer { get; set; }
    public DateOnly? Date { get; set; }
    /// <summary>Every 文号 cited, normalised to 〔〕: 平龙巡〔2022〕28号.</summary>
    public List<string> References { get; set; } = [];
    public InspectionInfo? Inspection { get; set; }
    /// <summary>The opening paragraph(s) before the first numbered part.</summary>
    public List<string> Opening { get; set; } = [];
    /// <summary>The level-1 headings as written (一、整改工作整体情况, 三、下一步打算) that are not themselves categories.</summary>
    public List<string> Parts { get; set; } = [];
    /// <summary>The overview part (一、整改工作整体情况), one entry per paragraph.</summary>
    public List<string> Overview { get; set; } = [];
    public List<LedgerCategory> Categories { get; set; } = [];
    /// <summary>The closing part (下一步打算), one entry per paragraph.</summary>
    public List<string> NextSteps { get; set; } = [];
    public List<StatedFigure> Statistics { get; set; } = [];
    public List<ImportWarning> Warnings { get; set; } = [];
    /// <summary>Input text that fits no field. Nothing is dropped silently.</summary>
    public List<string> Unassigned { get; set; } = [];

    [JsonIgnore]
    public IEnumerable<LedgerProblem> AllProblems => Categories.SelectMany(c => c.Problems);

    /// <summary>The JSON options of the interchange format: camelCase, readable Chinese, dates as yyyy-MM-dd.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };
}

public sealed class InspectionInfo
{
    /// <summary>The inspection team, e.g. 区委第一巡察组.</summary>
    public string? Team { get; set; }
    public DateOnly? Start { get; set; }
    public DateOnly? End { get; set; }
    public DateOnly? FeedbackDate { get; set; }
}

public sealed class LedgerCategory
{
    /// <summary>The Chinese numeral of the category: 一, 二….</summary>
    public string Number { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>Text under the category heading that belongs to no numbered problem (partly itemised notices).</summary>
    public string? Text { get; set; }
    public List<LedgerProblem> Problems { get; set; } = [];
    /// <summary>Where the importer read the heading (as <see cref="ImportWarning.Where"/>), so warnings can be shown beside it; not part of the JSON.</summary>
    [JsonIgnore] public string? Where { get; set; }
}

public sealed class LedgerProblem
{
    public string Number { get; set; } = "";
    public string Title { get; set; } = "";
    /// <summary>The feedback text of the problem, when the document gives more than the title.</summary>
    public string? Description { get; set; }
    /// <summary>整改目标/标准.</summary>
    public string? Goal { get; set; }
    /// <summary>Text of the 整改措施 block before 一是.</summary>
    public string? MeasuresPreamble { get; set; }
    public List<LedgerMeasure> Measures { get; set; } = [];
    /// <summary>The result wording as written (整改结果).</summary>
    public string? Result { get; set; }
    public MeasureStatus? Status { get; set; }
    /// <summary>整改成效.</summary>
    public string? Outcome { get; set; }
    /// <summary>
    /// Outcome figures of this problem (funds_yuan, rules, people…, domain.md §5). Summed over the problems they are what
    /// a document may state in <see cref="LedgerDocument.Statistics"/>.
    /// </summary>
    public List<StatedFigure> Figures { get; set; } = [];
    /// <summary>Where the importer read the problem (as <see cref="ImportWarning.Where"/>), so warnings can be shown beside it; not part of the JSON.</summary>
    [JsonIgnore] public string? Where { get; set; }
}

public sealed class LedgerMeasure
{
    public int Number { get; set; }
    public string Text { get; set; } = "";
    public RectificationMode? Mode { get; set; }
    /// <summary>责任领导.</summary>
    public string? Leader { get; set; }
    /// <summary>牵头责任部门.</summary>
    public string? LeadDepartment { get; set; }
    /// <summary>配合部门.</summary>
    public List<string> SupportingDepartments { get; set; } = [];
    /// <summary>责任人.</summary>
    public string? Owner { get; set; }
    public DateOnly? Deadline { get; set; }
    public MeasureStatus? Status { get; set; }
    /// <summary>整改进展.</summary>
    public string? Progress { get; set; }
    /// <summary>建章立制.</summary>
    public string? Rules { get; set; }
    /// <summary>佐证材料.</summary>
    public string? Evidence { get; set; }
    /// <summary>销号情况.</summary>
    public string? Closure { get; set; }
    /// <summary>备注.</summary>
    public string? Remarks { get; set; }
}

/// <summary>A figure the document states: "整改完成率76%", "追缴资金7.132万元" (value in yuan, unit 元).</summary>
public sealed class StatedFigure
{
    /// <summary>problems, rectified, in_progress, basically_rectified, unrectified, completion_rate, rules, funds_yuan, people, meetings…</summary>
    public string Kind { get; set; } = "";
    public decimal Value { get; set; }
    public string Unit { get; set; } = "";
    /// <summary>The sentence fragment the figure was read from.</summary>
    public string Text { get; set; } = "";
    /// <summary>
    /// The problem whose own text states the figure, as 类别.问题 ("二.4"); null for a claim of the document as a
    /// whole (opening, overview). A problem's figures are also in its <see cref="LedgerProblem.Figures"/>: they are
    /// ledger data (domain.md §5), not claims to check against it.
    /// </summary>
    public string? Problem { get; set; }
}

public sealed class ImportWarning
{
    /// <summary>Where: "第12行", "第3页", "第5段", "表1第4行".</summary>
    public string Where { get; set; } = "";
    public string Message { get; set; } = "";
}
