using System.IO.Compression;
using System.Text;
using Rectify.Core.Import;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>Unreadable and hostile files are refused with one clear Chinese line, never another exception type.</summary>
public class HostileInputTests
{
    static ImportException Refused(byte[] data, string name, ImportOptions? options = null)
    {
        var ex = Assert.Throws<ImportException>(() => Read(data, name, options));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains(ex.Message, c => c is >= '\u4E00' and <= '\u9FFF');
        return ex;
    }

    /// <summary>Adds (or replaces) one entry of an Office package.</summary>
    static byte[] WithEntry(byte[] package, string name, Action<Stream> write)
    {
        var ms = new MemoryStream();
        ms.Write(package);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(name)?.Delete();
            using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
            write(s);
        }
        return ms.ToArray();
    }

    static void Zeros(Stream s, long count)
    {
        var chunk = new byte[1 << 20];
        for (long done = 0; done < count; done += chunk.Length) s.Write(chunk, 0, (int)Math.Min(chunk.Length, count - done));
    }

    [Fact]
    public void Read_ZipBombDocx_Refused()
    {
        var bomb = WithEntry(Docx("正文。"), "word/media/image1.bin", s => Zeros(s, 64L << 20));
        Assert.True(bomb.Length < 1 << 20);
        Assert.Contains("压缩炸弹", Refused(bomb, "bomb.docx").Message);
    }

    [Fact]
    public void Read_ZipBombXlsx_Refused()
    {
        var bomb = WithEntry(LedgerXlsx(), "xl/worksheets/sheet9.xml", s => Zeros(s, 64L << 20));
        Assert.Contains("压缩炸弹", Refused(bomb, "bomb.xlsx").Message);
    }

    [Fact]
    public void Read_PartsInflatingPastTotalLimit_Refused()
    {
        var big = WithEntry(Docx("正文。"), "word/media/a.bin", s => Zeros(s, 3L << 20));
        Assert.Contains("压缩炸弹", Refused(big, "big.docx", new ImportOptions { MaxInflatedBytes = 2L << 20 }).Message);
    }

    [Fact]
    public void Read_DocxWithExternalEntity_Refused()
    {
        const string xxe = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>
            """;
        var docx = WithEntry(Docx("正文。"), "word/document.xml", s => s.Write(Encoding.UTF8.GetBytes(xxe)));
        Assert.Contains("外部实体", Refused(docx, "xxe.docx").Message);
    }

    [Fact]
    public void Read_DocmByExtension_RefusedAsMacros() =>
        Assert.Contains("宏", Refused(Docx("正文。"), "notice.docm").Message);

    [Fact]
    public void Read_DocxWithVbaProject_RefusedAsMacros()
    {
        var docx = WithEntry(Docx("正文。"), "word/vbaProject.bin", s => s.Write(new byte[64]));
        Assert.Contains("宏", Refused(docx, "renamed.docx").Message);
    }

    [Fact]
    public void Read_EncryptedOrLegacyOffice_Refused()
    {
        var ole = new byte[1024];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(ole, 0);
        Assert.Contains("加密", Refused(ole, "secret.docx").Message);
    }

    [Fact]
    public void Read_EmptyFile_Refused() => Assert.Equal("文件为空", Refused([], "empty.txt").Message);

    [Fact]
    public void Read_WhitespaceOnly_Refused() => Assert.Contains("没有可读取的文字", Refused("\n \r\n\t\n"u8.ToArray(), "blank.txt").Message);

    [Fact]
    public void Read_OverSizeLimit_Refused() =>
        Assert.Contains("大小上限", Refused(SeedBytes, "seed.txt", new ImportOptions { MaxBytes = 1000 }).Message);

    [Fact]
    public void Read_BinaryData_RefusedAsNotADocument()
    {
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        Refused(random, "data.bin");
    }

    [Fact]
    public void Read_TruncatedDocx_RefusedAsCorrupt()
    {
        var docx = SeedDocx();
        Refused(docx[..(docx.Length / 2)], "cut.docx");
    }

    [Fact]
    public void Read_ZipThatIsNoOfficeDocument_Refused()
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        using (var s = zip.CreateEntry("readme.txt").Open()) s.Write("你好"u8);
        Assert.Contains("不是 Word", Refused(ms.ToArray(), "x.zip").Message);
    }

    [Fact]
    public void Read_PdfExtensionOnText_Refused() => Refused("只是文字"u8.ToArray(), "fake.pdf");

    [Fact]
    public void Read_RtfDocument_RefusedWithHint() =>
        Assert.Contains(".docx", Refused("{\\rtf1\\ansi 整改通报}"u8.ToArray(), "notice.rtf").Message);

    [Fact]
    public void Read_InvalidJson_Refused() => Assert.Contains("JSON", Refused("{\"kind\": [1,"u8.ToArray(), "ledger.json").Message);

    [Fact]
    public void Read_XlsxWithHugeMergedRange_ReadQuickly()
    {
        var xlsx = Xlsx([["问题类别", "具体问题", "整改措施"], ["作风方面", "考勤不严", "每周督查"], ["", "", ""]], "A2:GR100000");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var doc = Read(xlsx, "merge.xlsx");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal("考勤不严", doc.AllProblems.First().Title);
    }

    [Fact]
    public void Read_PdfWithoutTextLayer_Refused()
    {
        var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
        builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        Assert.Contains("文字层", Refused(builder.Build(), "scan.pdf").Message);
    }
}
