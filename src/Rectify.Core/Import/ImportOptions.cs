namespace Rectify.Core.Import;

/// <summary>Limits of the importer. Defaults suit documents people actually have.</summary>
public sealed record ImportOptions
{
    /// <summary>Largest accepted file (default 50 MB).</summary>
    public long MaxBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Largest total size the parts of a .docx/.xlsx may inflate to (zip bombs).</summary>
    public long MaxInflatedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>A part that inflates past 10 MB at more than this ratio is a zip bomb (real XML compresses ~10:1).</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    public static ImportOptions Default { get; } = new();
}
