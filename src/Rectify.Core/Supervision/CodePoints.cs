namespace Rectify.Core.Supervision;

/// <summary>
/// Strings compared by their Unicode code points: the order of their UTF-8 bytes, which is how PostgreSQL's "C"
/// collation and SQLite's BINARY one sort text. <see cref="StringComparer.Ordinal"/> compares UTF-16 code units and
/// differs for characters beyond U+FFFF (a rare character of a place name, 𠀀 U+20000, is stored as two code units
/// from U+D800 and so sorts before a full-width bracket, U+FF08, by code unit but after it by code point).
/// </summary>
public static class CodePoints
{
    public static IComparer<string> Comparer { get; } = Comparer<string>.Create(Compare);

    public static int Compare(string? a, string? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            char x = a[i], y = b[i];
            if (x == y) continue;
            // Only surrogates against U+E000–U+FFFF sort otherwise by code point: move the surrogates above them.
            if (x >= 0xD800 && y >= 0xD800) return Fix(x) - Fix(y);
            return x - y;
        }
        return a.Length - b.Length;
    }

    static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
