using System.Diagnostics;

namespace Rectify.Core.Documents;

/// <summary>LibreOffice (soffice) is not installed, so no PDF can be made.</summary>
public sealed class LibreOfficeMissingException()
    : Exception("未找到 LibreOffice（soffice），无法生成 PDF。请安装 LibreOffice（如 apt-get install libreoffice-writer）后重试，或改为导出 DOCX。");

/// <summary>LibreOffice ran but produced no PDF. The message is Chinese.</summary>
public sealed class PdfConversionException(string message) : Exception(message);

/// <summary>
/// Converts a DOCX to PDF with LibreOffice: the DOCX goes to a private temp directory, <c>soffice --headless
/// --convert-to pdf</c> runs there with its own user profile (so parallel runs do not lock each other), and the PDF is
/// copied to the output stream.
/// </summary>
public sealed class PdfConverter
{
    /// <summary>The soffice executable: $RECTIFY_SOFFICE, else the first soffice/libreoffice on PATH, else null.</summary>
    public static string? FindSoffice()
    {
        var configured = Environment.GetEnvironmentVariable("RECTIFY_SOFFICE");
        if (!string.IsNullOrWhiteSpace(configured)) return File.Exists(configured) ? configured : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "soffice", "libreoffice", "soffice.exe" })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The soffice to run; null when LibreOffice is not installed.</summary>
    public string? SofficePath { get; init; } = FindSoffice();

    /// <summary>Converts; throws <see cref="LibreOfficeMissingException"/> or <see cref="PdfConversionException"/>.</summary>
    public async Task ConvertAsync(Stream docx, Stream pdf, CancellationToken ct = default)
    {
        var soffice = SofficePath is { } sp && File.Exists(sp) ? sp : throw new LibreOfficeMissingException();
        var dir = Directory.CreateTempSubdirectory("rectify-pdf-");
        try
        {
            var input = Path.Combine(dir.FullName, "document.docx");
            await using (var f = File.Create(input)) await docx.CopyToAsync(f, ct);
            var profile = new Uri(Path.Combine(dir.FullName, "profile") + "/").AbsoluteUri;
            var psi = new ProcessStartInfo(soffice)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir.FullName,
            };
            foreach (var a in new[] { "-env:UserInstallation=" + profile, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir.FullName, input })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi) ?? throw new PdfConversionException("无法启动 LibreOffice（soffice）。");
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                ct.ThrowIfCancellationRequested();
                throw new PdfConversionException($"LibreOffice 转换 PDF 超时（{Timeout.TotalSeconds:0}秒）。");
            }
            var output = Path.Combine(dir.FullName, "document.pdf");
            if (process.ExitCode != 0 || !File.Exists(output))
                throw new PdfConversionException($"LibreOffice 未能生成 PDF（退出码{process.ExitCode}）：{(await stderr).Trim()}{(await stdout).Trim()}");
            await using var result = File.OpenRead(output);
            await result.CopyToAsync(pdf, ct);
        }
        finally
        {
            try { dir.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
