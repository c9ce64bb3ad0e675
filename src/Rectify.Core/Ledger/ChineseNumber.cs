namespace Rectify.Core.Ledger;

/// <summary>Chinese numerals as documents number categories and measures: 一 … 十 … 二十三; and back.</summary>
public static class ChineseNumber
{
    const string Digits = "零一二三四五六七八九";

    public static string Format(int n)
    {
        if (n <= 0) return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (n < 10) return Digits[n].ToString();
        if (n < 20) return "十" + (n % 10 == 0 ? "" : Digits[n % 10].ToString());
        if (n < 100) return Digits[n / 10] + "十" + (n % 10 == 0 ? "" : Digits[n % 10].ToString());
        return n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Parses 一…九十九 (and 两); null when the text is not such a numeral.</summary>
    public static int? Parse(string text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        text = text.Replace('两', '二').Replace('〇', '零');
        int ten = text.IndexOf('十');
        if (ten < 0) return text.Length == 1 && Digits.IndexOf(text[0]) > 0 ? Digits.IndexOf(text[0]) : null;
        int tens = ten == 0 ? 1 : ten == 1 && Digits.IndexOf(text[0]) > 0 ? Digits.IndexOf(text[0]) : -1;
        if (tens < 0) return null;
        var rest = text[(ten + 1)..];
        if (rest.Length == 0) return tens * 10;
        return rest.Length == 1 && Digits.IndexOf(rest[0]) > 0 ? tens * 10 + Digits.IndexOf(rest[0]) : null;
    }
}
