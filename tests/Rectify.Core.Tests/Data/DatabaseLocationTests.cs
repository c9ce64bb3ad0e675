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

    [Theory]
    [InlineData("postgresql:Host=127.0.0.1;Username=app;Password=secret1;Database=r", "postgresql:host")]
    [InlineData("Host=127.0.0.1;Port=abc;Password=secret1", "port")]
    [InlineData("Host=127.0.0.1;Password=\"secret1", "格式错误")]
    [InlineData("postgres://app:secret1@/rectify", "postgres://")]
    public void A_connection_string_Npgsql_refuses_is_named_in_Chinese_without_its_password(string db, string named)
    {
        var e = Assert.Throws<DomainRuleException>(() => DatabaseLocation.Parse(db));
        Assert.Contains(named, e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("数据库", e.Message);
        Assert.DoesNotContain("secret1", e.Message);
    }
}
