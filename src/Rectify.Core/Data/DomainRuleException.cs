namespace Rectify.Core.Data;

/// <summary>A request that breaks a rule of the domain. The message is Chinese; Field names the offending field.</summary>
public sealed class DomainRuleException(string message, string? field = null) : Exception(message)
{
    public string? Field { get; } = field;
}

/// <summary>A write based on a stale version: somebody else saved in between.</summary>
public sealed class ConcurrencyConflictException(string entity, long id, int? currentVersion)
    : Exception($"{entity} {id} 已被他人修改，请刷新后重试。")
{
    public string Entity { get; } = entity;
    public long EntityId { get; } = id;
    public int? CurrentVersion { get; } = currentVersion;
}
