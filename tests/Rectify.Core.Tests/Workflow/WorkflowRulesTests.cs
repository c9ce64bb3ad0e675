using System.IO.Compression;
using System.Text;
using Rectify.Core.Data;
using Rectify.Core.Ledger;
using Rectify.Core.Workflow;

namespace Rectify.Core.Tests.Workflow;

public class WeekCalendarTests
{
    static readonly WeekCalendar Calendar = new(new WorkflowSettings());

    [Fact]
    public void DueUtc_DefaultSettings_Friday17ChinaTime()
    {
        // Week of Monday 2022-06-27: due Friday 2022-07-01 17:00 +08:00 = 09:00 UTC.
        Assert.Equal(new DateTime(2022, 7, 1, 9, 0, 0, DateTimeKind.Utc), Calendar.DueUtc(new DateOnly(2022, 6, 27)));
    }

    [Fact]
    public void WeekOf_SundayLateUtc_IsNextWeekInChina()
    {
        // Sunday 2022-07-03 20:00 UTC is Monday 04:00 in Shanghai: already the week of 07-04.
        Assert.Equal(new DateOnly(2022, 7, 4), Calendar.WeekOf(new DateTimeOffset(2022, 7, 3, 20, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2022, 6, 27), WeekCalendar.WeekOf(new DateOnly(2022, 7, 3)));
    }

    [Fact]
    public void LastDueWeek_BeforeAndAfterFridayDue_PreviousOrCurrentWeek()
    {
        Assert.Equal(new DateOnly(2022, 6, 20), Calendar.LastDueWeek(new DateTimeOffset(2022, 7, 1, 8, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2022, 6, 27), Calendar.LastDueWeek(new DateTimeOffset(2022, 7, 1, 9, 0, 0, TimeSpan.Zero)));
    }
}

public class WarningLightsTests
{
    static readonly WorkflowSettings S = new();
    static readonly DateOnly Today = new(2022, 7, 18);

    [Theory]
    [InlineData(30, false, Light.Green)]
    [InlineData(20, false, Light.Green)]
    [InlineData(11, false, Light.Green)]
    [InlineData(10, false, Light.Yellow)]
    [InlineData(0, false, Light.Yellow)]
    [InlineData(-1, false, Light.Red)]
    [InlineData(30, true, Light.Yellow)]
    [InlineData(-1, true, Light.Red)]
    public void ForMeasure_OpenMeasure_ByDaysLeftAndMissedReport(int daysLeft, bool missed, Light expected) =>
        Assert.Equal(expected, WarningLights.ForMeasure(MeasureStatus.InProgress, RectificationMode.ByDeadline, Today.AddDays(daysLeft), Today, missed, S));

    [Fact]
    public void ForMeasure_ClosedOrLongTermMaintenance_NoLight()
    {
        Assert.Equal(Light.None, WarningLights.ForMeasure(MeasureStatus.Closed, RectificationMode.ByDeadline, Today.AddDays(-5), Today, true, S));
        Assert.Equal(Light.None, WarningLights.ForMeasure(MeasureStatus.RectifiedOngoing, RectificationMode.LongTerm, Today.AddDays(-5), Today, true, S));
        // Rectified but not struck off and overdue: still red.
        Assert.Equal(Light.Red, WarningLights.ForMeasure(MeasureStatus.Rectified, RectificationMode.ByDeadline, Today.AddDays(-5), Today, false, S));
    }

    [Fact]
    public void ForMeasure_ThresholdsAreSettings()
    {
        var strict = S with { YellowDays = 30, YellowForMissedReport = false };
        Assert.Equal(Light.Yellow, WarningLights.ForMeasure(MeasureStatus.InProgress, RectificationMode.ByDeadline, Today.AddDays(25), Today, false, strict));
        Assert.Equal(Light.Green, WarningLights.ForMeasure(MeasureStatus.InProgress, RectificationMode.ByDeadline, Today.AddDays(40), Today, true, strict));
    }

    [Fact]
    public void Worst_Group_TakesWorstLightAndNoneWhenEmpty()
    {
        Assert.Equal(Light.Red, WarningLights.Worst([Light.Green, Light.Red, Light.None]));
        Assert.Equal(Light.None, WarningLights.Worst([]));
    }
}

public class EvidenceCheckTests
{
    const long Limit = 1024;

    [Fact]
    public void Run_PdfContent_DetectedAndHashed()
    {
        var f = EvidenceCheck.Run("整改报告.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj\n"), Limit);
        Assert.Equal("application/pdf", f.ContentType);
        Assert.Equal(64, f.Sha256.Length);
        Assert.Equal("整改报告.pdf", f.FileName);
    }

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 })]
    [InlineData(new byte[] { 0x7F, 0x45, 0x4C, 0x46, 0x02 })]
    public void Run_ExecutableRenamedPdf_Refused(byte[] content)
    {
        var e = Assert.Throws<DomainRuleException>(() => EvidenceCheck.Run("报告.pdf", content, Limit));
        Assert.Contains("不支持的文件类型", e.Message);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..\\win.ini")]
    [InlineData("a/b.pdf")]
    [InlineData("报告\n.pdf")]
    public void Run_PathTraversalOrControlName_Refused(string name) =>
        Assert.Contains("文件名不合法", Assert.Throws<DomainRuleException>(() => EvidenceCheck.Run(name, "%PDF-1.4"u8.ToArray(), Limit)).Message);

    [Fact]
    public void Run_OverLimit_Refused() =>
        Assert.Contains("大小上限", Assert.Throws<DomainRuleException>(() => EvidenceCheck.Run("a.txt", new byte[Limit + 1].Select(_ => (byte)'a').ToArray(), Limit)).Message);

    [Fact]
    public void DetectType_OfficeZipHtmlAndText()
    {
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", EvidenceCheck.DetectType(Zip("word/document.xml")));
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", EvidenceCheck.DetectType(Zip("xl/workbook.xml")));
        Assert.Null(EvidenceCheck.DetectType(Zip("payload.exe")));
        Assert.Null(EvidenceCheck.DetectType("<html><script>alert(1)</script>"u8.ToArray()));
        Assert.Equal("text/plain", EvidenceCheck.DetectType(Encoding.UTF8.GetBytes("会议记录：已召开专题会议。")));
        Assert.Equal("image/png", EvidenceCheck.DetectType([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]));
    }

    static byte[] Zip(string entry)
    {
        var ms = new MemoryStream();
        using (var z = new ZipArchive(ms, ZipArchiveMode.Create, true)) using (var w = new StreamWriter(z.CreateEntry(entry).Open())) w.Write("<x/>");
        return ms.ToArray();
    }
}

public class ClosureRequestTests
{
    static Measure NewMeasure(RectificationMode mode = RectificationMode.ByDeadline) =>
        new() { Id = 7, UnitId = 3, Text = "建立制度", Status = MeasureStatus.InProgress, Mode = mode, Deadline = new DateOnly(2022, 8, 1) };

    static readonly string[] Chain = [ApprovalChain.Leader, ApprovalChain.UnitAdmin, ApprovalChain.Office];
    static readonly DateTime Now = new(2022, 7, 18, 1, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Open_ClosureWithoutEvidence_RefusedAndMeasureUnchanged()
    {
        var m = NewMeasure();
        var e = Assert.Throws<DomainRuleException>(() => ClosureRequest.Open(m, RequestKind.Closure, "已完成", 0, null, Chain, 1, Now));
        Assert.Equal("销号申请必须附至少一份佐证材料。", e.Message);
        Assert.Equal(MeasureStatus.InProgress, m.Status);
    }

    [Fact]
    public void Decide_WholeChainApproves_MeasureClosedAndLongTermGetsRecheck()
    {
        var m = NewMeasure(RectificationMode.LongTerm);
        var r = ClosureRequest.Open(m, RequestKind.Closure, "已完成", 1, null, Chain, 1, Now);
        Assert.Equal(MeasureStatus.PendingClosure, m.Status);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Chain[i], r.CurrentStep);
            r.Decide(m, true, "同意", 10 + i, Now, new DateOnly(2022, 7, 18), 3);
        }
        Assert.Equal(RequestState.Approved, r.State);
        Assert.Equal(MeasureStatus.Closed, m.Status);
        Assert.Equal(new DateOnly(2022, 10, 18), m.NextRecheck);
        Assert.Throws<DomainRuleException>(() => r.Decide(m, true, null, 99, Now, new DateOnly(2022, 7, 18), 3));
    }

    [Fact]
    public void Decide_Returned_MeasureBackInProgress()
    {
        var m = NewMeasure();
        var r = ClosureRequest.Open(m, RequestKind.Closure, "已完成", 2, null, Chain, 1, Now);
        var (step, _) = r.Decide(m, false, "佐证不足", 10, Now, new DateOnly(2022, 7, 18), 3);
        Assert.Equal(RequestState.Returned, step.Decision);
        Assert.Equal(MeasureStatus.InProgress, m.Status);
    }

    [Fact]
    public void Decide_ExtensionApproved_DeadlineMovedAndChangeKept()
    {
        var m = NewMeasure();
        m.OriginalDeadline = m.Deadline;
        var r = ClosureRequest.Open(m, RequestKind.Extension, "需要采购", 0, new DateOnly(2022, 9, 30), [ApprovalChain.UnitAdmin], 1, Now);
        Assert.Equal(MeasureStatus.ExtensionRequested, m.Status);
        var (_, change) = r.Decide(m, true, null, 10, Now, new DateOnly(2022, 7, 18), 3);
        Assert.Equal(new DateOnly(2022, 9, 30), m.Deadline);
        Assert.Equal(new DateOnly(2022, 8, 1), m.OriginalDeadline);
        Assert.Equal(new DateOnly(2022, 8, 1), change!.OldDeadline);
        Assert.Equal(MeasureStatus.InProgress, m.Status);
    }

    [Fact]
    public void Open_ExtensionNotLater_Refused() =>
        Assert.Throws<DomainRuleException>(() => ClosureRequest.Open(NewMeasure(), RequestKind.Extension, "理由", 0, new DateOnly(2022, 7, 1), Chain, 1, Now));
}
