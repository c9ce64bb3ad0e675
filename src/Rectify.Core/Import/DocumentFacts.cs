using System.Text.RegularExpressions;
using Rectify.Core.Ledger;

namespace Rectify.Core.Import;

/// <summary>The facts a notice states in running text: the 文号 it cites and the inspection team and dates.</summary>
internal static partial class DocumentFacts
{
    /// <summary>机关代字〔2022〕29号, and the short forms that follow it in a list: 〔2022〕12号、49号、79号.</summary>
    [GeneratedRegex(@"〔(\d{4})〕(\d{1,4})号((?:[、，,和及](\d{1,4})号)*)")]
    private static partial Regex ReferenceRx();

    [GeneratedRegex(@"\d{1,4}")]
    private static partial Regex NumberRx();

    [GeneratedRegex(@"(?:中央|(?:省|自治区|市|州|盟|县|区|旗)委)?第[一二三四五六七八九十]{1,3}(?:轮)?巡[视察]组")]
    private static partial Regex TeamRx();

    [GeneratedRegex(@"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日\s*(?:至|到|—|－|-|～|~)\s*(?:((?:19|20)\d\d)年)?(\d{1,2})月(\d{1,2})日")]
    private static partial Regex RangeRx();

    [GeneratedRegex(@"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日[^。；]{0,30}?反馈")]
    private static partial Regex FeedbackRx();

    public static void Extract(IReadOnlyList<TextParagraph> paragraphs, LedgerDocument doc)
    {
        foreach (var p in paragraphs)
        {
            if (!p.Text.Contains('〔')) continue;
            foreach (Match m in ReferenceRx().Matches(p.Text))
            {
                // The issuer's code (机关代字) is the run of ideographs right before 〔, at most 10.
                var start = m.Index;
                while (start > 0 && m.Index - start < 10 && TextRepair.IsIdeograph(p.Text[start - 1])) start--;
                if (start == m.Index) continue;
                var prefix = p.Text[start..m.Index] + "〔" + m.Groups[1].Value + "〕";
                Add(doc, prefix + m.Groups[2].Value + "号");
                foreach (Match n in NumberRx().Matches(m.Groups[3].Value)) Add(doc, prefix + n.Value + "号");
            }
        }

        var inspection = new InspectionInfo();
        foreach (var p in paragraphs)
        {
            var team = TeamRx().Match(p.Text);
            if (!team.Success) continue;
            inspection.Team ??= team.Value;
            var range = RangeRx().Match(p.Text);
            if (range.Success && inspection.Start is null)
            {
                inspection.Start = Patterns.DateFrom(range);
                var endYear = range.Groups[4].Success ? range.Groups[4].Value : range.Groups[1].Value;
                inspection.End = Patterns.MakeDate(int.Parse(endYear), int.Parse(range.Groups[5].Value), int.Parse(range.Groups[6].Value));
            }
            var feedback = FeedbackRx().Match(p.Text);
            if (feedback.Success) inspection.FeedbackDate ??= Patterns.DateFrom(feedback);
            if (inspection.Start is not null && inspection.FeedbackDate is not null) break;
        }
        if (inspection.Team is not null || inspection.Start is not null) doc.Inspection = inspection;
    }

    static void Add(LedgerDocument doc, string reference)
    {
        if (!doc.References.Contains(reference)) doc.References.Add(reference);
    }
}
