using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Rectify.Core.Import;

/// <summary>
/// Repairs of one line of text, whatever format it came from (domain.md §7): invisible characters, Kangxi radicals,
/// full-width digits, Markdown markers, half-width punctuation in CJK context, spaces inside CJK text and 文号 brackets.
/// Never NFKC-normalises the whole text: that would turn （）：， into ASCII.
/// </summary>
internal static partial class TextRepair
{
    /// <summary>Kangxi radicals (U+2F00–U+2FD5) and the CJK radicals supplement map to unified ideographs by their
    /// compatibility decomposition; computed per character so nothing else is touched.</summary>
    static readonly Dictionary<char, char> Radicals = BuildRadicals();

    static Dictionary<char, char> BuildRadicals()
    {
        var map = new Dictionary<char, char>();
        for (int c = 0x2E80; c <= 0x2FD5; c++)
        {
            var s = ((char)c).ToString();
            string n;
            try { n = s.Normalize(NormalizationForm.FormKC); }
            catch (ArgumentException) { continue; }
            if (n.Length == 1 && n[0] != c) map[(char)c] = n[0];
        }
        return map;
    }

    /// <summary>Whether the character is a CJK ideograph (the BMP blocks Chinese documents use).</summary>
    public static bool IsIdeograph(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' or '〇';

    /// <summary>CJK ideographs and full-width/CJK punctuation: the context in which punctuation is made full-width.</summary>
    public static bool IsCjk(char c) =>
        IsIdeograph(c) || c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFF0F' or >= '\uFF1A' and <= '\uFF20'
            or '“' or '”' or '‘' or '’' or '—' or '…' or '·';

    static bool IsSpace(char c) => c is ' ' or '\t' or '\u3000' or '\u00A0' or '\u2002' or '\u2003' or '\u2009' or '\u202F';

    static bool IsInvisible(char c) => c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD';

    /// <summary>The result of repairing a line: the text and whether it was a Markdown heading (# …).</summary>
    public readonly record struct Repaired(string Text, bool MarkdownHeading);

    /// <summary>Characters that need the mapping pass: radicals, full-width digits, invisibles, controls.</summary>
    static readonly SearchValues<char> NeedsMapping = SearchValues.Create(
        [.. Enumerable.Range(0x2E80, 0x2FD5 - 0x2E80 + 1).Select(i => (char)i), .. "０１２３４５６７８９\u200B\u200C\u200D\u2060\uFEFF\u00AD",
         .. Enumerable.Range(0, 32).Select(i => (char)i), '\u007F']);

    /// <summary>Characters the punctuation pass acts on.</summary>
    static readonly SearchValues<char> Spacing = SearchValues.Create(" \t\u3000\u00A0\u2002\u2003\u2009\u202F,:;()!?");

    public static Repaired Line(string raw)
    {
        var text = raw;
        // 1. invisible characters out, radicals and full-width digits mapped.
        if (raw.AsSpan().ContainsAny(NeedsMapping))
        {
            var sb = new StringBuilder(raw.Length);
            foreach (var ch in raw)
            {
                if (IsInvisible(ch) || ch == '\r') continue;
                if (ch is >= '\u2E80' and <= '\u2FD5' && Radicals.TryGetValue(ch, out var m)) sb.Append(m);
                else if (ch is >= '０' and <= '９') sb.Append((char)(ch - '０' + '0'));
                else if (char.IsControl(ch) && ch != '\t') sb.Append(' ');
                else sb.Append(ch);
            }
            text = sb.ToString();
        }

        // 2. Markdown markers: heading hashes, emphasis, quote marks, table pipes.
        var heading = false;
        var trimmed = text.TrimStart(' ', '\t', '\u3000', '\u00A0');
        if (trimmed.StartsWith('#'))
        {
            var hashes = 0;
            while (hashes < trimmed.Length && trimmed[hashes] == '#') hashes++;
            if (hashes <= 6 && (hashes == trimmed.Length || IsSpace(trimmed[hashes]) || trimmed[hashes] == '*'))
            {
                heading = true;
                text = trimmed[hashes..];
            }
        }
        else if (trimmed.StartsWith("> ", StringComparison.Ordinal)) text = trimmed[2..];
        if (text.Contains("**", StringComparison.Ordinal)) text = text.Replace("**", "", StringComparison.Ordinal);
        if (text.Contains("__", StringComparison.Ordinal)) text = text.Replace("__", "", StringComparison.Ordinal);
        if (text.Contains('|')) text = TablePipes(text);
        if (text.Contains('\\')) text = MarkdownEscape().Replace(text, "$1"); // "1\." as Markdown writers escape list-like numbers

        // 3. 文号 brackets, then punctuation and spaces in CJK context.
        if (text.Contains('号') && text.IndexOfAny(['[', '【', '(', '（']) >= 0) text = DocNumberBrackets().Replace(text, "$1〔$2〕$3");
        if (text.AsSpan().ContainsAny(Spacing)) text = Punctuation(text);
        return new Repaired(text.Trim(' ', '\t', '\u3000', '\u00A0'), heading);
    }

    /// <summary>A Markdown table row "| a | b |" becomes its cells separated by a space; a separator row vanishes.</summary>
    static string TablePipes(string text)
    {
        var t = text.Trim();
        if (!t.StartsWith('|') && !t.EndsWith('|')) return text.Replace('|', ' ');
        var cells = t.Trim('|').Split('|').Select(c => c.Trim()).ToList();
        if (cells.All(c => c.Length == 0 || c.All(ch => ch is '-' or ':' or ' '))) return "";
        return string.Join(" ", cells.Where(c => c.Length > 0));
    }

    /// <summary>
    /// Half-width , : ; ( ) ! ? next to CJK become ，：；（）！？; spaces between two CJK characters (or CJK and a digit)
    /// are removed. Periods are never touched, so 1.5万元 and "1." stay.
    /// </summary>
    static string Punctuation(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsSpace(c))
            {
                var prev = sb.Length > 0 ? sb[^1] : '\0';
                var j = i;
                while (j < text.Length && IsSpace(text[j])) j++;
                var next = j < text.Length ? text[j] : '\0';
                var joinable = (IsCjk(prev) && (IsCjk(next) || char.IsAsciiDigit(next) || IsHalfPunct(next)))
                               || (IsCjk(next) && (char.IsAsciiDigit(prev) || IsHalfPunct(prev)));
                if (!joinable && sb.Length > 0 && next != '\0') sb.Append(' ');
                i = j - 1;
                continue;
            }
            if (IsHalfPunct(c))
            {
                var prev = sb.Length > 0 ? sb[^1] : '\0';
                var k = i + 1;
                while (k < text.Length && IsSpace(text[k])) k++;
                var next = k < text.Length ? text[k] : '\0';
                if (IsCjk(prev) || IsCjk(next) || (c == ')' && OpenFullParen(sb)))
                {
                    sb.Append(c switch { ',' => '，', ':' => '：', ';' => '；', '(' => '（', ')' => '）', '!' => '！', _ => '？' });
                    continue;
                }
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    static bool IsHalfPunct(char c) => c is ',' or ':' or ';' or '(' or ')' or '!' or '?';

    /// <summary>A ')' closing a '（' opened in CJK context, as in （2022) or （共3项).</summary>
    static bool OpenFullParen(StringBuilder sb)
    {
        for (int i = sb.Length - 1; i >= 0 && i >= sb.Length - 40; i--)
        {
            if (sb[i] == '（') return true;
            if (sb[i] is '）' or '(' or ')') return false;
        }
        return false;
    }

    /// <summary>平龙巡[2022]29号, 平龙巡【2022】29号, 平龙巡(2022)29号 → 平龙巡〔2022〕29号.</summary>
    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!|<>~])")]
    private static partial Regex MarkdownEscape();

    [GeneratedRegex(@"(\p{IsCJKUnifiedIdeographs})[\[【(（〔]\s*((?:19|20)\d\d)\s*[\]】)）〕]\s*(\d{1,4}\s*号)")]
    private static partial Regex DocNumberBrackets();
}
