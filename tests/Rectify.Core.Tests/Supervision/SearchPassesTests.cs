using Rectify.Core.Supervision;

namespace Rectify.Core.Tests.Supervision;

public class SearchPassesTests
{
    /// <summary>
    /// The ranges a search reads cover every id exactly once, newest first: the window, then (PostgreSQL) slices below
    /// it growing fourfold down to id 0; without slices one range below the window; a table inside the window is read
    /// whole without the index.
    /// </summary>
    [Theory]
    [InlineData(1_000_000L, 5000, true)]
    [InlineData(1_000_000L, 5000, false)]
    [InlineData(7L, 1, true)]
    [InlineData(1L, 40, true)]
    public void Passes_CoverEveryIdOnce_NewestFirst(long windowStart, int windowRows, bool slices)
    {
        var passes = TextSearch.Passes(windowStart, windowRows, slices).ToList();
        Assert.Equal((false, long.MaxValue, windowStart), passes[0]);
        Assert.All(passes.Skip(1), p => Assert.True(p.Indexed));
        for (int i = 1; i < passes.Count; i++) Assert.Equal(passes[i - 1].Lowest, passes[i].Before);
        Assert.Equal(0, passes[^1].Lowest);
        if (!slices) Assert.Equal(2, passes.Count);
        else
            for (int i = 2; i < passes.Count - 1; i++)
                Assert.Equal(4 * (passes[i - 1].Before - passes[i - 1].Lowest), passes[i].Before - passes[i].Lowest);
        if (slices && windowStart == 1_000_000) Assert.Equal((true, 1_000_000L, 980_000L), passes[1]);
    }

    /// <summary>
    /// PostgreSQL's order of a pass: the window walks the primary key; through the index, terms of three characters or
    /// more leave the order to the planner, a search with any shorter term (containment, a guessed estimate) keeps
    /// <c>"Id" + 0</c>, which no index delivers in order.
    /// </summary>
    [Theory]
    [InlineData(false, "党", "\"Id\"")]
    [InlineData(true, "公务接待", "\"Id\"")]
    [InlineData(true, "小金库 专项资金", "\"Id\"")]
    [InlineData(true, "党", "\"Id\" + 0")]
    [InlineData(true, "鸭梨", "\"Id\" + 0")]
    [InlineData(true, "专项资金 凭证", "\"Id\" + 0")]
    public void OrderBy_LeavesOnlyLongTermsToThePlanner(bool indexed, string text, string expected) =>
        Assert.Equal(expected, PostgresTextSearch.OrderBy(indexed, TextSearch.Terms(text)));

    [Fact]
    public void Passes_WithoutAWindow_ReadTheWholeTableDirectly() =>
        Assert.Equal([(false, long.MaxValue, 0L)], TextSearch.Passes(null, 5000, slices: true));

    /// <summary>
    /// The searched text of each kind is the expression existing databases built their indexes on (PostgreSQL trigram,
    /// characters and pairs indexes; SQLite's search triggers): a different text would leave those indexes unused.
    /// </summary>
    [Fact]
    public void Sources_AreTheIndexedExpressions()
    {
        Assert.Equal(("Problems", "(coalesce(\"Title\",'') || ' ' || coalesce(\"Description\",''))"), TextSearch.Sources[SearchKind.Problem]);
        Assert.Equal(("Measures", "(coalesce(\"Text\",'') || ' ' || coalesce(\"Progress\",''))"), TextSearch.Sources[SearchKind.Measure]);
        Assert.Equal(("ProgressReports", "(coalesce(\"Done\",'') || ' ' || coalesce(\"NextStep\",''))"), TextSearch.Sources[SearchKind.Report]);
        Assert.Equal(("Rules", "(coalesce(\"Title\",'') || ' ' || coalesce(\"Reference\",''))"), TextSearch.Sources[SearchKind.Rule]);
    }
}
