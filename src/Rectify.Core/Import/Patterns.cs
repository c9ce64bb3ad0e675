using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rectify.Core.Import;

/// <summary>The numbering levels of an official document (domain.md §7): 一、 → （一） → 1. → （1）.</summary>
internal enum HeadingLevel { Part = 1, Category = 2, Item = 3, SubItem = 4 }

/// <summary>A heading found at the start of a paragraph: its level, its number as written and as a value, the rest.</summary>
internal sealed record Heading(HeadingLevel Level, string Number, int Value, string Rest);

/// <summary>The recognisers shared by the pipeline and the structure parser. All patterns are anchored and linear.</summary>
internal static partial class Patterns
{
    const string Numerals = "零〇一二三四五六七八九十百两";

    [GeneratedRegex(@"^([一二三四五六七八九十]{1,3})\s*[、，,．.]\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex PartRx();

    [GeneratedRegex(@"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*[、，．.]?\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex CategoryRx();

    [GeneratedRegex(@"^(\d{1,3})\s*(?:[.．、](?!\d)|\s(?=\p{IsCJKUnifiedIdeographs}))\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex ItemRx();

    [GeneratedRegex(@"^(?:[（(]\s*(\d{1,3})\s*[）)]|([①-⑳]))\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex SubItemRx();

    /// <summary>The labels that open a field of a problem: 整改措施：, 整改结果：….</summary>
    [GeneratedRegex(@"^(整改措施|具体措施|主要措施|工作措施|整改落实情况|整改完成情况|整改结果|整改情况|整改进展|进展情况|完成情况|整改成效|整改目标|整改标准|整改时限|完成时限|责任领导|责任单位|责任部门|责任人|存在问题|问题表现|具体表现|主要表现|问题描述|问题内容|反馈问题)\s*[：:]\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex LabelRx();

    [GeneratedRegex(@"^((?:19|20)\d\d|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$")]
    private static partial Regex DateLineRx();

    [GeneratedRegex(@"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")]
    public static partial Regex DateRx();

    public static Heading? MatchHeading(string text)
    {
        if (text.Length == 0) return null;
        Match m;
        if ((m = CategoryRx().Match(text)).Success)
            return new Heading(HeadingLevel.Category, m.Groups[1].Value, ChineseNumber(m.Groups[1].Value), m.Groups[2].Value);
        if ((m = SubItemRx().Match(text)).Success)
        {
            var n = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            var v = m.Groups[1].Success ? int.Parse(n, CultureInfo.InvariantCulture) : n[0] - '①' + 1;
            return new Heading(HeadingLevel.SubItem, n, v, m.Groups[3].Value);
        }
        if ((m = PartRx().Match(text)).Success && !m.Groups[2].Value.StartsWith('是'))
            return new Heading(HeadingLevel.Part, m.Groups[1].Value, ChineseNumber(m.Groups[1].Value), m.Groups[2].Value);
        if ((m = ItemRx().Match(text)).Success)
            return new Heading(HeadingLevel.Item, m.Groups[1].Value, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value);
        return null;
    }

    public static bool StartsHeading(string text) => MatchHeading(text) is not null;

    /// <summary>A label such as 整改措施： with the text after it.</summary>
    public static (string Label, string Text)? MatchLabel(string text)
    {
        var m = LabelRx().Match(text);
        return m.Success ? (m.Groups[1].Value, m.Groups[2].Value) : null;
    }

    /// <summary>Text that opens a new paragraph: a heading or a label.</summary>
    public static bool StartsBlock(string text) => StartsHeading(text) || LabelRx().IsMatch(text);

    public static bool IsDateLine(string text) => text.Length <= 20 && DateLineRx().IsMatch(text);

    /// <summary>Reads a date line or a date inside text (2022年9月30日, 二〇二二年九月三十日).</summary>
    public static DateOnly? ParseDateLine(string text)
    {
        var m = DateLineRx().Match(text.Trim());
        if (!m.Success) return null;
        var y = m.Groups[1].Value;
        var year = char.IsAsciiDigit(y[0]) ? int.Parse(y, CultureInfo.InvariantCulture)
            : int.Parse(string.Concat(y.Select(c => (char)('0' + Numerals.IndexOf(c) switch { 0 or 1 => 0, var i => i - 1 }))), CultureInfo.InvariantCulture);
        return MakeDate(year, Number(m.Groups[2].Value), Number(m.Groups[3].Value));
    }

    public static DateOnly? MakeDate(int y, int m, int d) =>
        y is >= 1900 and <= 2200 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m) ? new DateOnly(y, m, d) : null;

    public static DateOnly? DateFrom(Match m) => MakeDate(
        int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
        int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));

    static int Number(string s) => char.IsAsciiDigit(s[0]) ? int.Parse(s, CultureInfo.InvariantCulture) : ChineseNumber(s);

    /// <summary>一 → 1, 十二 → 12, 二十三 → 23; 0 when not a numeral up to 99.</summary>
    public static int ChineseNumber(string s)
    {
        static int Digit(char c) => "一二三四五六七八九".IndexOf(c) + 1;
        if (s.Length == 0) return 0;
        var ten = s.IndexOf('十');
        if (ten < 0) return s.Length == 1 ? Digit(s[0]) : 0;
        var tens = ten == 0 ? 1 : Digit(s[0]);
        var ones = ten == s.Length - 1 ? 0 : Digit(s[^1]);
        return tens * 10 + ones;
    }

    /// <summary>1 → 一, 12 → 十二, 23 → 二十三.</summary>
    public static string ChineseNumeral(int n)
    {
        const string d = "零一二三四五六七八九";
        if (n is < 1 or > 99) return n.ToString(CultureInfo.InvariantCulture);
        if (n < 10) return d[n].ToString();
        return (n / 10 == 1 ? "" : d[n / 10].ToString()) + "十" + (n % 10 == 0 ? "" : d[n % 10].ToString());
    }

    /// <summary>A document title: short, no comma or full stop, not a heading, label or date.</summary>
    public static bool LooksLikeTitle(string t) =>
        t.Length <= 80 && t.IndexOfAny(['，', '。', '；']) < 0 && !EndsSentence(t) && !StartsBlock(t) && !IsDateLine(t);

    /// <summary>"学习贯彻不深入。党组对……" → title up to the first full stop, the rest is the description.</summary>
    public static (string Title, string? Description) SplitTitle(string rest)
    {
        rest = rest.Trim();
        var stop = rest.IndexOf('。');
        if (stop < 0 || stop == rest.Length - 1) return (TrimTitle(rest), null);
        return (rest[..stop], rest[(stop + 1)..].Trim());
    }

    public static string TrimTitle(string t) => t.Trim().TrimEnd('。', '；', ';');

    /// <summary>Ends with sentence-final punctuation (closing quotes and brackets after it allowed).</summary>
    public static bool EndsSentence(ReadOnlySpan<char> s)
    {
        for (int i = s.Length - 1; i >= 0; i--)
        {
            var c = s[i];
            if (c is '”' or '’' or '）' or ')' or '》' or '」' or '"' or ' ') continue;
            return c is '。' or '！' or '？' or '!' or '?' or '；' or ';' or '：' or ':' or '…';
        }
        return false;
    }

    public static bool EndsSentence(StringBuilder sb)
    {
        var tail = Math.Min(sb.Length, 16);
        return EndsSentence(sb.ToString(sb.Length - tail, tail));
    }
}
