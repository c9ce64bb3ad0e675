using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Rectify.Core.Supervision;

namespace Rectify.Supervision;

/// <summary>
/// Writes a unit's row of the round figures as the JSON it was written as the first time: the bytes are kept with the
/// row (a <see cref="UnitFigures"/> is immutable), for as long as the row itself is kept. A figures copy brought up to
/// date after a change (<see cref="GetRoundFigures.RefreshAsync"/>) keeps the rows of the units that did not change,
/// so serialising it writes only the changed rows anew and copies the others: at province size 2 000 rows, about
/// 4 ms of serialising per copy, come down to the changed rows'. The bytes are those of the same options without this
/// converter, so the answer is the same either way (<c>UnitRowJsonTests</c>). Used by the read cache's options only
/// (<see cref="Hosting.ReadCache.BodyOptions"/>); the bytes are reused only for the options they were written with
/// (the first this converter serves), and not for indented output, where a raw value would lose its indentation.
/// </summary>
public sealed class UnitRowJson : JsonConverter<UnitFigures>
{
    readonly ConditionalWeakTable<UnitFigures, byte[]> _rows = new();
    readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> _plain = new();
    JsonSerializerOptions? _owner;

    public override UnitFigures Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize<UnitFigures>(ref reader, Plain(options))!;

    public override void Write(Utf8JsonWriter writer, UnitFigures value, JsonSerializerOptions options)
    {
        var owner = Interlocked.CompareExchange(ref _owner, options, null) ?? options;
        if (!ReferenceEquals(owner, options) || options.WriteIndented)
        {
            JsonSerializer.Serialize(writer, value, Plain(options));
            return;
        }
        // Two writers of one new row may both serialise it: the same bytes, the first kept.
        if (!_rows.TryGetValue(value, out var bytes)) _rows.TryAdd(value, bytes = JsonSerializer.SerializeToUtf8Bytes(value, Plain(options)));
        writer.WriteRawValue(bytes, skipInputValidation: true);
    }

    /// <summary>The same options without this converter (made once per set of options).</summary>
    JsonSerializerOptions Plain(JsonSerializerOptions options) => _plain.GetValue(options, o =>
    {
        var plain = new JsonSerializerOptions(o);
        plain.Converters.Remove(this);
        return plain;
    });
}
