namespace Rectify.Core.Audit;

/// <summary>
/// A process-wide counter moved after every committed transaction of a <see cref="Data.RectifyDb"/> (every write
/// appends its audit events inside one). Readers that keep the newest audit sequences in memory compare it with the
/// value they last refreshed at: when it moved, this process committed something they have not read yet, so they read
/// the new events before answering. Commits by other processes do not move it (they are picked up by time).
/// </summary>
public static class AuditCommits
{
    static long _value;

    public static long Current => Interlocked.Read(ref _value);

    public static void Bump() => Interlocked.Increment(ref _value);
}
