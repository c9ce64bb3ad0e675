using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rectify.Core.Ledger;
using Rectify.Core.Supervision;
using Rectify.Hosting;
using Rectify.Supervision;
using Rectify.Tests.Support;

namespace Rectify.Tests.Supervision;

/// <summary>The round figures' unit rows are written from bytes kept with each row: the answer must be the one the
/// serializer writes without them, also for a copy brought up to date whose changed rows are new.</summary>
public class UnitRowJsonTests
{
    static UnitFigures Row(long unit, int problems, int completed, decimal meetings) =>
        new(unit, $"第{unit}单位（“引号”与\\反斜杠）", CompletionFigures.Of(problems, completed, 1, 0), CompletionFigures.Of(problems, completed, 1, 0).RateText,
            new OutcomeTotals(1, 0, 2, 1234.5m, meetings));

    static RoundFiguresDto Dto(IReadOnlyList<UnitFigures> rows)
    {
        var total = rows.Aggregate(CompletionFigures.Zero, (a, u) => a.Plus(u.Figures));
        return RoundFiguresDto.From(new RoundFiguresReport(7, "2022年常规巡察", null, null, total, total.RateText, OutcomeTotals.Zero, rows, [], []), UnitPage.All);
    }

    [Fact]
    public async Task Rows_written_from_their_kept_bytes_equal_the_serializers_own_output()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        // The read cache's options carry the converter; the API's own (the OpenAPI schemas' source) do not.
        var api = app.App.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        Assert.Empty(api.Converters.OfType<UnitRowJson>());
        var options = app.App.Services.GetRequiredService<ReadCache>().BodyOptions;
        var converter = Assert.Single(options.Converters.OfType<UnitRowJson>());
        var plain = new JsonSerializerOptions(options);
        plain.Converters.Remove(converter);

        List<UnitFigures> rows = [Row(1, 10, 9, 0), Row(2, 8, 2, 3), Row(3, 5, 5, 1)];
        var first = Dto(rows);
        Assert.Equal(JsonSerializer.Serialize(first, plain), JsonSerializer.Serialize(first, options));
        // A copy brought up to date: unit 2's row computed again (a new instance with other values), the others kept.
        List<UnitFigures> refreshed = [rows[0], Row(2, 8, 7, 4), rows[2]];
        var second = Dto(refreshed);
        var json = JsonSerializer.Serialize(second, options);
        Assert.Equal(JsonSerializer.Serialize(second, plain), json);
        Assert.Contains("\"completed\":7", json);
        // A page of them, and the first copy again: unchanged.
        Assert.Equal(JsonSerializer.Serialize(RoundFiguresDto.From(new RoundFiguresReport(7, null, null, null, CompletionFigures.Zero, "0%", OutcomeTotals.Zero, refreshed, [], []), new UnitPage(1, 1)), plain),
            JsonSerializer.Serialize(RoundFiguresDto.From(new RoundFiguresReport(7, null, null, null, CompletionFigures.Zero, "0%", OutcomeTotals.Zero, refreshed, [], []), new UnitPage(1, 1)), options));
        Assert.Equal(JsonSerializer.Serialize(first, plain), JsonSerializer.Serialize(first, options));
        // And read back.
        Assert.Equal(refreshed[1], JsonSerializer.Deserialize<UnitFigures>(JsonSerializer.Serialize(refreshed[1], options), options));
        // Other options (here indented) get the serializer's own output, not the bytes kept for the cache's.
        var indented = new JsonSerializerOptions(options) { WriteIndented = true };
        var plainIndented = new JsonSerializerOptions(plain) { WriteIndented = true };
        Assert.Equal(JsonSerializer.Serialize(second, plainIndented), JsonSerializer.Serialize(second, indented));

        // The OpenAPI document still describes a unit row.
        var doc = await HttpAssert.Ok<JsonElement>(await app.Anonymous().GetAsync("/openapi/v1.json"));
        var unit = doc.GetProperty("components").GetProperty("schemas").GetProperty(nameof(UnitFigures));
        Assert.True(unit.GetProperty("properties").TryGetProperty("unitId", out _), unit.GetRawText());
    }
}
