using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;

namespace Rectify.Core.Ledger;

/// <summary>
/// 整改进展 of a measure as every reader shows it (ledger, API, Excel, notice, carried-over copies): the newest weekly
/// report submitted after the measure's own text was written, as “2026-11-23周：…”; without such a report, the text
/// itself (imported, or written by hand in the ledger).
/// </summary>
/// <remarks>
/// A report does not write into its measure: copying each report's text into the measure rewrote the measure row, its
/// search entry and an audit snapshot on every report, half the cost of a submission. The measure keeps instead the id
/// of its newest report at the moment its text was written (<see cref="Measure.ProgressAsOfReportId"/>); reports with a
/// greater id supersede the text, and are found through the index (MeasureId, Id).
/// </remarks>
public static class MeasureProgress
{
    /// <summary>
    /// Marks every measure's text as written after all its reports (migration ProgressFromReports: until then each report
    /// copied its line into the measure, so the stored text is what the measure showed).
    /// </summary>
    public const string MarkAllWrittenSql = """
        UPDATE "Measures" SET "ProgressAsOfReportId" =
            (SELECT max(r."Id") FROM "ProgressReports" AS r WHERE r."MeasureId" = "Measures"."Id");
        """;

    /// <summary>How a report reads as the measure's progress.</summary>
    public static string Line(DateOnly week, string done) => $"{week:yyyy-MM-dd}周：{done}";

    /// <summary>The report lines that supersede the written progress of <paramref name="measures"/>, by measure id; measures whose own text stands are absent.</summary>
    public static async Task<Dictionary<long, string>> LinesAsync(RectifyDb db, IQueryable<Measure> measures, CancellationToken ct = default)
    {
        // Two correlated lookups in the index (MeasureId, Id) per measure; LedgerToDocument writes the same two inside
        // its own projection (a map of lines next to a 240 000-measure document cost ~90 MB).
        var newest = await measures
            .Select(m => new
            {
                m.Id,
                Week = db.ProgressReports.Where(r => r.MeasureId == m.Id && r.Id > (m.ProgressAsOfReportId ?? 0)).OrderByDescending(r => r.Id).Select(r => (DateOnly?)r.Week).FirstOrDefault(),
                Done = db.ProgressReports.Where(r => r.MeasureId == m.Id && r.Id > (m.ProgressAsOfReportId ?? 0)).OrderByDescending(r => r.Id).Select(r => r.Done).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return newest.Where(n => n.Week is not null).ToDictionary(n => n.Id, n => Line(n.Week!.Value, n.Done ?? ""));
    }

    /// <summary>The progress measure <paramref name="measureId"/> shows, given the <paramref name="lines"/> of <see cref="LinesAsync"/> and its <paramref name="written"/> text.</summary>
    public static string? Shown(this IReadOnlyDictionary<long, string> lines, long measureId, string? written) =>
        lines.TryGetValue(measureId, out var line) ? line : written;

    /// <summary>The progress shown for a measure's <paramref name="written"/> text and its newest superseding report (<paramref name="week"/> null: none).</summary>
    public static string? Shown(string? written, DateOnly? week, string? done) => week is { } w ? Line(w, done ?? "") : written;

    /// <summary>The progress one measure shows.</summary>
    public static async Task<string?> ShownAsync(RectifyDb db, Measure m, CancellationToken ct = default) =>
        m.Id == 0 ? m.Progress : (await LinesAsync(db, db.Measures.Where(x => x.Id == m.Id), ct)).Shown(m.Id, m.Progress);

    /// <summary>The id of the measure's newest report (null: none). A writer of the progress text sends back the one it read.</summary>
    public static Task<long?> NewestReportIdAsync(RectifyDb db, long measureId, CancellationToken ct = default) =>
        db.ProgressReports.IgnoreQueryFilters().Where(r => r.MeasureId == measureId).OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);

    /// <summary>The newest report id of each of <paramref name="measures"/> that has reports.</summary>
    public static async Task<Dictionary<long, long>> NewestReportIdsAsync(RectifyDb db, IQueryable<Measure> measures, CancellationToken ct = default) =>
        (await measures.Select(m => new { m.Id, Newest = db.ProgressReports.Where(r => r.MeasureId == m.Id).OrderByDescending(r => r.Id).Select(r => (long?)r.Id).FirstOrDefault() })
            .ToListAsync(ct)).Where(x => x.Newest is not null).ToDictionary(x => x.Id, x => x.Newest!.Value);

    /// <summary>
    /// Writes the progress by hand: it stands until the next report. Nothing changes when <paramref name="text"/> is what
    /// the measure shows already (a form sent back unchanged). <paramref name="seenReportId"/> is the measure's newest
    /// report when the writer read it: a report submitted since then is a conflict (409), so that a text written without
    /// knowing it does not hide it.
    /// </summary>
    public static async Task WriteAsync(RectifyDb db, Measure m, string? text, long? seenReportId, CancellationToken ct = default)
    {
        if (m.Id == 0)
        {
            m.Progress = text;
            return;
        }
        if (text == await ShownAsync(db, m, ct)) return;
        var newest = await NewestReportIdAsync(db, m.Id, ct);
        if (newest != seenReportId) throw new ConcurrencyConflictException(nameof(Measure), m.Id, m.Version);
        // A report stored between this read and the save has a greater id: it supersedes the text, as it should.
        m.Progress = text;
        m.ProgressAsOfReportId = newest;
    }
}
