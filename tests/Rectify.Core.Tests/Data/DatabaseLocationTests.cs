using Npgsql;
using Rectify.Core.Data;

namespace Rectify.Core.Tests.Data;

public class DatabaseLocationTests
{
    [Theory]
    [InlineData("Host=db.internal;Database=rectify;Username=app;Password=x", DatabaseLocation.DefaultMaxPoolSize)]
    [InlineData("postgres://app:x@db.internal/rectify", DatabaseLocation.DefaultMaxPoolSize)]
    [InlineData("Host=db.internal;Database=rectify;Username=app;Maximum Pool Size=5", 5)]
    [InlineData("Host=db.internal;Database=rectify;Username=app;MaxPoolSize=80", 80)]
    public void PostgreSql_contexts_use_a_pool_smaller_than_the_servers_connection_slots_unless_the_operator_set_one(string db, int expected)
    {
        var location = DatabaseLocation.Parse(db);
        var b = new NpgsqlConnectionStringBuilder(location.ContextConnectionString);
        Assert.Equal(expected, b.MaxPoolSize);
        Assert.Equal("db.internal", b.Host);
        Assert.Equal("rectify", b.Database);
    }

    [Fact]
    public void Sqlite_connection_string_is_used_as_it_is()
    {
        var location = DatabaseLocation.Parse("data/test.db");
        Assert.Equal(location.ConnectionString, location.ContextConnectionString);
    }
}
