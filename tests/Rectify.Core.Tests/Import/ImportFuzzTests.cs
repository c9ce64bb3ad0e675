using System.Text;
using System.Text.Json;
using Rectify.Core.Import;
using Rectify.Core.Ledger;
using static Rectify.Core.Tests.Import.TestDocuments;

namespace Rectify.Core.Tests.Import;

/// <summary>
/// Thousands of mutated inputs (truncated, byte-flipped, shuffled lines, spliced) to every reader: the importer either
/// reads them or throws ImportException — nothing else, and never hangs. Seeds are fixed so failures reproduce.
/// </summary>
public class ImportFuzzTests
{
    static readonly TimeSpan PerInput = TimeSpan.FromSeconds(10);

    static IEnumerable<byte[]> Mutations(byte[] original, int count, int seed, bool lines = false)
    {
        var rng = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var d = (byte[])original.Clone();
            switch (rng.Next(lines ? 5 : 4))
            {
                case 0:
                    yield return d[..rng.Next(d.Length)];
                    break;
                case 1:
                    for (int k = rng.Next(1, 12); k > 0; k--) d[rng.Next(d.Length)] = (byte)rng.Next(256);
                    yield return d;
                    break;
                case 2:
                    var at = rng.Next(d.Length);
                    var len = Math.Min(rng.Next(1, 4096), d.Length - at);
                    yield return [.. d[..at], .. d[(at + len)..], .. d[at..(at + len)]];
                    break;
                case 3:
                    var junk = new byte[rng.Next(1, 64)];
                    rng.NextBytes(junk);
                    var pos = rng.Next(d.Length);
                    yield return [.. d[..pos], .. junk, .. d[pos..]];
                    break;
                default:
                    var text = Encoding.UTF8.GetString(d).Split('\n');
                    rng.Shuffle(text);
                    yield return Encoding.UTF8.GetBytes(string.Join('\n', text.Take(rng.Next(1, text.Length + 1))));
                    break;
            }
        }
    }

    static void Fuzz(byte[] original, string name, int count, int seed, bool lines = false)
    {
        var read = 0;
        foreach (var input in Mutations(original, count, seed, lines))
        {
            var task = Task.Run(() =>
            {
                try
                {
                    DocumentImporter.Read(new MemoryStream(input), name);
                    return true;
                }
                catch (ImportException ex) when (!ex.Message.Contains('\n'))
                {
                    return false;
                }
            });
            Assert.True(task.Wait(PerInput), $"{name}: an input of {input.Length} bytes did not finish in {PerInput.TotalSeconds}s");
            if (task.Result) read++;
        }
        // Sanity of the fuzzer itself: some inputs still read. (Each input is bounded above; speed is the benchmarks' job.)
        Assert.True(read > 0, $"{name}: no mutated input was readable");
    }

    [Fact]
    public void Read_MutatedText_OnlyImportExceptions() => Fuzz(SeedBytes, "seed.txt", 2000, 1, lines: true);

    [Fact]
    public void Read_MutatedGb18030Text_OnlyImportExceptions() => Fuzz(Gb18030(SeedText), "seed.txt", 500, 2);

    [Fact]
    public void Read_MutatedDocx_OnlyImportExceptions() => Fuzz(SeedDocx(), "seed.docx", 1000, 3);

    [Fact]
    public void Read_MutatedXlsx_OnlyImportExceptions() => Fuzz(LedgerXlsx(), "ledger.xlsx", 1000, 4);

    [Fact]
    public void Read_MutatedPdf_OnlyImportExceptions() => Fuzz(SeedPdf, "seed.pdf", 250, 5);

    [Fact]
    public void Read_MutatedJson_OnlyImportExceptions()
    {
        var seed = DocumentImporter.Read(new MemoryStream(SeedBytes), "seed.txt");
        Fuzz(JsonSerializer.SerializeToUtf8Bytes(seed, LedgerDocument.Json), "ledger.json", 1000, 6, lines: true);
    }
}
