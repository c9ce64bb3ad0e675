namespace Rectify.Core.Documents;

/// <summary>
/// Font names and sizes of a generated document (GB/T 9704-2012, domain.md §6). The names are the official fonts;
/// viewers without them substitute. Sizes are in half-points as OpenXML writes them (3号 = 16 pt = 32).
/// </summary>
public sealed record DocumentStyle
{
    public string TitleFont { get; init; } = "方正小标宋简体";
    public string BodyFont { get; init; } = "仿宋_GB2312";
    public string Heading1Font { get; init; } = "黑体";
    public string Heading2Font { get; init; } = "楷体_GB2312";
    public string PageNumberFont { get; init; } = "宋体";
    /// <summary>2号.</summary>
    public int TitleHalfPoints { get; init; } = 44;
    /// <summary>3号.</summary>
    public int BodyHalfPoints { get; init; } = 32;
    /// <summary>4号.</summary>
    public int PageNumberHalfPoints { get; init; } = 28;
    /// <summary>CSS font stacks for HTML: the official font first, then free stand-ins.</summary>
    public string HtmlBodyFonts { get; init; } = "\"仿宋_GB2312\", \"FangSong_GB2312\", \"仿宋\", FangSong, \"Noto Serif CJK SC\", serif";
    public string HtmlTitleFonts { get; init; } = "\"方正小标宋简体\", \"FZXiaoBiaoSong-B05S\", \"Noto Serif CJK SC\", serif";
    public string HtmlHeading1Fonts { get; init; } = "\"黑体\", SimHei, \"Noto Sans CJK SC\", sans-serif";
    public string HtmlHeading2Fonts { get; init; } = "\"楷体_GB2312\", \"楷体\", KaiTi, \"AR PL KaitiM GB\", \"LXGW WenKai\", serif";

    public static readonly DocumentStyle Default = new();
}

/// <summary>Which document is written from a ledger.</summary>
public enum DocumentKind
{
    /// <summary>整改情况通报: the public notice, like the seed.</summary>
    Notice,
    /// <summary>整改情况报告: the report to the inspection office.</summary>
    Report,
    /// <summary>整改方案: the plan with its three lists.</summary>
    Plan,
}

/// <summary>What every writer takes besides the ledger.</summary>
public sealed record RenderOptions
{
    public DocumentKind Kind { get; init; } = DocumentKind.Notice;
    public DocumentStyle Style { get; init; } = DocumentStyle.Default;
    /// <summary>Write even though the consistency lint found errors; the reason is returned for the audit trail.</summary>
    public string? OverrideReason { get; init; }
    /// <summary>主送机关 of a report (e.g. 区委巡察工作领导小组办公室). Not written when null.</summary>
    public string? Recipient { get; init; }
    /// <summary>Date to sign with when the ledger has none; defaults to today from <see cref="Time"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public static readonly RenderOptions Default = new();
}
