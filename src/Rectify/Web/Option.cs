namespace Rectify.Web;

/// <summary>An entry of a drop-down: a value and its Chinese label.</summary>
public sealed record Option<T>(T Value, string Label);
