using Rectify.Core.Import;
using Xunit.Abstractions;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>
/// Mutation fuzzing of every importer: the seed notice as TXT (UTF-8 and GB18030), DOCX, PDF, XLSX ledger and JSON
/// ledger, each damaged many ways (bit flips, random bytes, cuts, repeated slices). Every damaged file is either read
/// or refused with one Chinese line (ImportException) — never another exception, never a hang.
/// </summary>
public class ImportFuzzTests(ITestOutputHelper output)
{
    public static TheoryData<string> Formats => ["seed.txt", "seed-gb18030.txt", "seed.docx", "seed.pdf", "ledger.xlsx", "ledger.json"];

    static byte[] Original(string name) => name switch
    {
        "seed.txt" => SeedBytes,
        "seed-gb18030.txt" => Gb18030(SeedText),
        "seed.docx" => SeedDocx(),
        "seed.pdf" => SeedPdf,
        "ledger.xlsx" => LedgerXlsx(),
        _ => File.ReadAllBytes(SamplePath("seed-ledger.json")),
    };

    [Theory, MemberData(nameof(Formats))]
    public void Read_RandomlyDamagedFiles_ReadOrRefusedNeverCrash(string name)
    {
        const int cases = 100;
        var original = Original(name);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) ^ 20261126);
        int read = 0, refused = 0;
        var crashes = new List<string>();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < cases; i++)
        {
            var bytes = (byte[])original.Clone();
            switch (i % 4)
            {
                case 0: for (int k = 0; k < 1 + random.Next(4); k++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8)); break;
                case 1: for (int k = 0; k < 32; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256); break;
                case 2: bytes = bytes[..random.Next(1, bytes.Length)]; break;
                default:
                    var at = random.Next(bytes.Length);
                    var len = Math.Min(random.Next(1, 4096), bytes.Length - at);
                    bytes = [.. bytes[..at], .. bytes.AsSpan(at, len), .. bytes.AsSpan(at, len), .. bytes[at..]];
                    break;
            }
            try
            {
                Read(bytes, name);
                read++;
            }
            catch (ImportException e)
            {
                Assert.Contains(e.Message, c => c is >= '\u4E00' and <= '\u9FFF');
                refused++;
            }
            catch (Exception e)
            {
                crashes.Add($"case {i}: {e.GetType().Name}: {e.Message}");
            }
        }
        output.WriteLine($"import fuzz {name}: {cases} damaged files — read {read}, refused {refused}, crashes {crashes.Count}, {watch.ElapsedMilliseconds} ms");
        Assert.True(crashes.Count == 0, string.Join("\n", crashes));
    }
}
