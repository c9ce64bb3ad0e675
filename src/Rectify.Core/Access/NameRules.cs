namespace Rectify.Core.Access;

/// <summary>
/// Names of people and users are shown in ledgers, approvals and documents: a name with a direction override (U+202E)
/// or an invisible character (U+200B…) could look like another person's. Such names are refused, not silently changed.
/// </summary>
public static class NameRules
{
    /// <summary>A Chinese message naming the field when the name holds a control, direction or invisible character; else null.</summary>
    public static string? Check(string? name, string label) =>
        name is not null && name.Any(IsHidden) ? $"{label}不能包含不可见字符或文字方向控制符（如 U+202E、U+200B）。" : null;

    static bool IsHidden(char c) =>
        char.IsControl(c)
        || c is >= '\u200B' and <= '\u200F' // zero-width space/joiners, LRM/RLM
        || c is >= '\u202A' and <= '\u202E' // embeddings and overrides
        || c is >= '\u2060' and <= '\u2069' // word joiner, invisible operators, isolates
        || c is '\u061C' or '\uFEFF' or '\u00AD' or '\u180E' or '\u3164' or '\uFFA0' or '\u115F' or '\u1160';
}
