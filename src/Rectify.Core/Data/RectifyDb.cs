using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Rectify.Core.Access;
using Rectify.Core.Audit;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;
using Rectify.Core.Supervision;
using Rectify.Core.Workflow;

namespace Rectify.Core.Data;

/// <summary>
/// The one DbContext. Every unit-owned row is filtered by the caller's scope; every save bumps versions (optimistic
/// concurrency), refuses rows outside the scope, and appends hash-chained audit events in the same transaction.
/// Provider-specific subclasses exist only to keep one migration set per provider.
/// </summary>
public abstract class RectifyDb : DbContext, IDataProtectionKeyContext
{
    readonly TimeProvider _clock;

    protected RectifyDb(DbContextOptions options, CallerScope scope, TimeProvider clock) : base(options)
    {
        Scope = scope;
        _clock = clock;
    }

    public CallerScope Scope { get; }

    /// <summary>
    /// Group commit (<see cref="Workflow.ReportWriter"/>): the user each pending row is saved for. A row not in the map
    /// is audited under <see cref="Scope"/>. Keyed by reference.
    /// </summary>
    internal Dictionary<object, CallerScope>? Actors { get; set; }

    /// <summary>The caller holds the audit-chain lock in its open transaction: saves inside it do not take it again.</summary>
    internal bool ChainLocked { get; set; }

    /// <summary>Users, tokens or organisations were changed inside a transaction the caller commits (see <see cref="AccessVersion"/>).</summary>
    internal bool AccessChangedInTransaction { get; set; }
    public abstract string ProviderName { get; }

    /// <summary>Which database this context talks to (provider and connection string): the key of per-database caches.</summary>
    public string DatabaseKey => ProviderName + "|" + Database.GetConnectionString();

    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<InspectionRound> Rounds => Set<InspectionRound>();
    public DbSet<Inspection> Inspections => Set<Inspection>();
    public DbSet<FeedbackDocument> FeedbackDocuments => Set<FeedbackDocument>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<Problem> Problems => Set<Problem>();
    public DbSet<Measure> Measures => Set<Measure>();
    public DbSet<ProgressReport> ProgressReports => Set<ProgressReport>();
    public DbSet<ClosureRequest> ClosureRequests => Set<ClosureRequest>();
    public DbSet<ApprovalStep> ApprovalSteps => Set<ApprovalStep>();
    public DbSet<DeadlineChange> DeadlineChanges => Set<DeadlineChange>();
    public DbSet<SupervisionRemark> SupervisionRemarks => Set<SupervisionRemark>();
    public DbSet<EvidenceFile> EvidenceFiles => Set<EvidenceFile>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<RuleDocument> Rules => Set<RuleDocument>();
    public DbSet<OutcomeFigure> OutcomeFigures => Set<OutcomeFigure>();
    public DbSet<EvaluationSheet> EvaluationSheets => Set<EvaluationSheet>();
    public DbSet<UnitEvaluation> UnitEvaluations => Set<UnitEvaluation>();
    public DbSet<RectificationDocument> RectificationDocuments => Set<RectificationDocument>();
    public DbSet<DocumentReview> DocumentReviews => Set<DocumentReview>();
    public DbSet<User> Users => Set<User>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Workflow.StoredSettings> StoredSettings => Set<Workflow.StoredSettings>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder b)
    {
        b.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        b.Properties<decimal>().HavePrecision(18, 4);
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        foreach (var type in b.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(Entity).IsAssignableFrom(t)).ToList())
            b.Entity(type).Property(nameof(Entity.Version)).IsConcurrencyToken();

        b.Entity<Organisation>(e =>
        {
            e.HasIndex(o => o.ParentId);
            e.HasIndex(o => o.UnitId);
            e.Property(o => o.Name).HasMaxLength(200);
            e.Ignore(o => o.OwningUnitId);
            e.HasQueryFilter(o => Scope.All || Scope.OfficeIds.Contains(o.Id) || Scope.UnitIds.Contains(o.Id)
                                  || (o.UnitId != null && Scope.UnitIds.Contains(o.UnitId.Value)));
        });
        b.Entity<Person>(e =>
        {
            e.HasIndex(p => p.UnitId);
            e.Property(p => p.Name).HasMaxLength(100);
            e.HasOne<Organisation>().WithMany().HasForeignKey(p => p.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<InspectionRound>(e =>
        {
            e.HasIndex(r => r.OfficeId);
            e.HasMany(r => r.Inspections).WithOne().HasForeignKey(i => i.RoundId).OnDelete(DeleteBehavior.SetNull);
            e.HasQueryFilter(r => Scope.All || Scope.OfficeIds.Contains(r.OfficeId)
                                  || r.Inspections.Any(i => Scope.UnitIds.Contains(i.UnitId)));
        });
        b.Entity<Inspection>(e =>
        {
            e.HasIndex(i => i.UnitId);
            e.HasMany(i => i.FeedbackDocuments).WithOne().HasForeignKey(d => d.InspectionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(i => i.Categories).WithOne().HasForeignKey(c => c.InspectionId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Category>(e =>
        {
            e.HasIndex(c => new { c.InspectionId, c.Ordinal });
            e.HasMany(c => c.Problems).WithOne().HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Problem>(e =>
        {
            e.HasIndex(p => new { p.CategoryId, p.Ordinal });
            e.HasIndex(p => p.InspectionId);
            e.HasIndex(p => p.CarriedFromProblemId);
            e.Ignore(p => p.Status);
            e.HasMany(p => p.Measures).WithOne().HasForeignKey(m => m.ProblemId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Measure>(e =>
        {
            e.HasIndex(m => new { m.ProblemId, m.Ordinal });
            e.HasIndex(m => m.InspectionId);
            e.HasIndex(m => m.UnitId);
            e.HasIndex(m => m.OwnerId);
            e.HasIndex(m => m.LeaderId);
            e.HasOne<Person>().WithMany().HasForeignKey(m => m.LeaderId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Person>().WithMany().HasForeignKey(m => m.OwnerId).OnDelete(DeleteBehavior.SetNull);
            e.HasOne<Organisation>().WithMany().HasForeignKey(m => m.LeadDepartmentId).OnDelete(DeleteBehavior.SetNull);
        });
        b.Entity<ProgressReport>(e =>
        {
            e.HasIndex(r => new { r.MeasureId, r.Week });
            // The newest report of a measure (MeasureProgress) in one index step.
            e.HasIndex(r => new { r.MeasureId, r.Id });
            e.HasIndex(r => r.IdempotencyKey).IsUnique();
            e.HasOne<Measure>().WithMany().HasForeignKey(r => r.MeasureId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ClosureRequest>(e =>
        {
            e.HasIndex(r => r.MeasureId);
            e.HasOne<Measure>().WithMany().HasForeignKey(r => r.MeasureId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ApprovalStep>(e =>
        {
            e.HasIndex(a => a.RequestId);
            e.HasOne<ClosureRequest>().WithMany().HasForeignKey(a => a.RequestId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<DeadlineChange>(e =>
        {
            e.HasIndex(d => d.MeasureId);
            e.HasOne<Measure>().WithMany().HasForeignKey(d => d.MeasureId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SupervisionRemark>(e =>
        {
            e.HasIndex(r => new { r.MeasureId, r.Week });
            e.HasOne<Measure>().WithMany().HasForeignKey(r => r.MeasureId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<EvidenceFile>(e =>
        {
            e.HasIndex(f => f.MeasureId);
            e.HasIndex(f => f.ClosureRequestId);
            e.Property(f => f.FileName).HasMaxLength(255);
            e.Property(f => f.ContentType).HasMaxLength(100);
        });
        b.Entity<Reminder>(e =>
        {
            e.HasIndex(r => r.Key).IsUnique();
            e.HasIndex(r => new { r.UserId, r.CreatedAt });
            e.Property(r => r.Key).HasMaxLength(200);
        });
        b.Entity<RuleDocument>(e => e.HasIndex(r => r.UnitId));
        b.Entity<OutcomeFigure>(e => e.HasIndex(f => f.ProblemId));
        b.Entity<EvaluationSheet>(e =>
        {
            e.HasIndex(s => s.RoundId).IsUnique();
            e.Ignore(s => s.Criteria);
            e.Ignore(s => s.Grades);
            e.HasOne<InspectionRound>().WithMany().HasForeignKey(s => s.RoundId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<UnitEvaluation>(e =>
        {
            e.HasIndex(x => new { x.RoundId, x.UnitId }).IsUnique();
            e.HasOne<InspectionRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<InspectionRound>(e => e.Property(r => r.ReviewChain).HasMaxLength(500));
        b.Entity<RectificationDocument>(e =>
        {
            e.HasIndex(d => new { d.InspectionId, d.Kind, d.Number }).IsUnique();
            e.Property(d => d.FileName).HasMaxLength(255);
            e.Property(d => d.ContentType).HasMaxLength(100);
            e.Property(d => d.Chain).HasMaxLength(500);
            e.Ignore(d => d.ChainOffices);
            e.Ignore(d => d.CurrentOffice);
            e.HasOne<Inspection>().WithMany().HasForeignKey(d => d.InspectionId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<DocumentReview>(e =>
        {
            e.HasIndex(r => r.DocumentId);
            e.HasOne<RectificationDocument>().WithMany().HasForeignKey(r => r.DocumentId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<Workflow.StoredSettings>(e => { e.ToTable("Settings"); e.Property(s => s.Id).ValueGeneratedNever(); });
        b.Entity<User>(e => e.HasIndex(u => u.UserName).IsUnique());
        b.Entity<ApiToken>(e => e.HasIndex(t => t.TokenHash).IsUnique());
        b.Entity<AuditEvent>(e =>
        {
            e.HasIndex(a => a.Sequence).IsUnique();
            e.HasIndex(a => new { a.EntityType, a.EntityId });
            // The newest event of one unit: the read cache's validator for that unit's ledger.
            e.HasIndex(a => new { a.UnitId, a.Sequence });
        });

        // Every unit-owned row is visible only inside the caller's scope.
        foreach (var type in b.Model.GetEntityTypes().Select(t => t.ClrType).Where(t => typeof(IUnitOwned).IsAssignableFrom(t)).ToList())
            typeof(RectifyDb).GetMethod(nameof(FilterByUnit), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(type).Invoke(this, [b]);
    }

    void FilterByUnit<T>(ModelBuilder b) where T : class, IUnitOwned
    {
        Expression<Func<T, bool>> filter = e => Scope.All || Scope.UnitIds.Contains(e.UnitId);
        b.Entity<T>().HasQueryFilter(filter);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken ct = default)
    {
        ChangeTracker.DetectChanges();
        var entries = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        if (entries.Count == 0) return 0;
        // Audit events are only appended, and only chained (AuditLink.Append, below or in RecordAsync): one edited, or
        // added unchained, would break the chain. Checked before anything in the context is changed.
        foreach (var e in entries)
            if (e.Entity is AuditEvent ev && (e.State != EntityState.Added || ev.Sequence <= 0 || ev.Hash.Length == 0))
                throw new InvalidOperationException(e.State != EntityState.Added ? "Audit events are append-only." : "Audit events are appended through AuditLink.");

        foreach (var e in entries)
        {
            if (e.Entity is IUnitOwned owned && e.State != EntityState.Deleted && !Scope.CanSeeUnit(owned.UnitId))
                throw new OutOfScopeException();
            if (e.Entity is Entity)
            {
                var version = e.Property(nameof(Entity.Version));
                if (e.State == EntityState.Added) version.CurrentValue = 1;
                else if (e.State == EntityState.Modified) version.CurrentValue = (int)version.OriginalValue! + 1;
            }
        }

        var audited = entries.Where(e => e.Entity is not AuditEvent and not DataProtectionKey and not Reminder).ToList();
        var pending = audited.Select(e => (Entry: e, Action: Action(e.State), Before: e.State == EntityState.Added ? null : Snapshot(e, original: true))).ToList();

        var access = entries.Any(e => AccessVersion.Affects(e.Metadata.ClrType));
        var own = Database.CurrentTransaction is null;
        using var gate = own ? await EnterWriteAsync(ct) : null;
        await using var tx = own ? await Database.BeginTransactionAsync(ct) : null;
        using var noSavepoints = own ? new SavepointsOff(Database) : null;
        try
        {
            if (!ChainLocked) await LockAuditChainAsync(ct);
            var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            // Generated ids are known now; take the "after" pictures, then mark the rows saved so the audit save
            // below writes only the events.
            var afters = pending.Select(p => p.Action == "deleted" ? null : Snapshot(p.Entry, original: false)).ToList();
            ChangeTracker.AcceptAllChanges();
            if (pending.Count > 0)
            {
                var link = await AuditLink.HeadAsync(this, ct);
                var now = _clock.GetUtcNow().UtcDateTime;
                for (int i = 0; i < pending.Count; i++)
                {
                    var (entry, action, before) = pending[i];
                    var actor = Actors is not null && Actors.TryGetValue(entry.Entity, out var a) ? a : Scope;
                    AuditEvents.Add(link.Append(new AuditEvent
                    {
                        At = now, UserId = actor.UserId, UserName = actor.UserName,
                        EntityType = entry.Metadata.ClrType.Name, EntityId = (entry.Entity as Entity)?.Id,
                        Action = action, Before = before, After = afters[i], UnitId = UnitOf(entry.Entity),
                    }));
                }
                await base.SaveChangesAsync(acceptAllChangesOnSuccess: true, ct);
            }
            // Caches of callers are discarded once the change is committed: here for our own transaction, by
            // AccessChangeInterceptor when the caller commits its transaction (a cache filled before the commit read the
            // old rows, so bumping earlier would not help).
            if (access && tx is null) AccessChangedInTransaction = true;
            if (tx is not null) await tx.CommitAsync(ct);
            if (access && tx is not null) AccessVersion.Bump();
            return count;
        }
        catch (DbUpdateConcurrencyException ex)
        {
            var entry = ex.Entries.FirstOrDefault();
            var id = (entry?.Entity as Entity)?.Id ?? 0;
            int? current = null;
            if (entry is not null)
            {
                if (tx is not null) await tx.RollbackAsync(CancellationToken.None);
                var values = await entry.GetDatabaseValuesAsync(CancellationToken.None);
                current = values?.GetValue<int>(nameof(Entity.Version));
            }
            throw new ConcurrencyConflictException(entry?.Metadata.ClrType.Name ?? "记录", id, current);
        }
    }

    /// <summary>
    /// EF brackets each save inside a transaction it did not begin with a savepoint, so that the transaction outlives a
    /// failed save: two more round trips per save, and <see cref="SaveChangesAsync(bool, CancellationToken)"/> saves
    /// twice when it audits rows. A transaction rolled back whole when a save fails (one begun here, the group commit's
    /// batch) needs none: off while this lives, then as it was.
    /// </summary>
    internal sealed class SavepointsOff : IDisposable
    {
        readonly Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade _database;
        readonly bool _was;

        public SavepointsOff(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade database)
        {
            _database = database;
            _was = database.AutoSavepointsEnabled;
            database.AutoSavepointsEnabled = false;
        }

        public void Dispose() => _database.AutoSavepointsEnabled = _was;
    }

    /// <summary>
    /// Restore only: saves rows exactly as given (ids, versions and audit events from a backup), without bumping
    /// versions or appending audit events. Everything else goes through SaveChangesAsync.
    /// </summary>
    internal Task<int> SaveWithoutAuditAsync(CancellationToken ct) => base.SaveChangesAsync(true, ct);

    /// <summary>Appends an audit event that records an action rather than a row change (a refused approval, a lint override).</summary>
    public Task RecordAsync(string entityType, long? entityId, string action, object? details, long? unitId, CancellationToken ct = default) =>
        RecordAsync(entityType, entityId, action, details, unitId, Scope, ct);

    /// <summary>The same, for <paramref name="actor"/> (group commit: one context writes for many users).</summary>
    internal async Task RecordAsync(string entityType, long? entityId, string action, object? details, long? unitId, CallerScope actor, CancellationToken ct)
    {
        var own = Database.CurrentTransaction is null;
        using var gate = own ? await EnterWriteAsync(ct) : null;
        await using var tx = own ? await Database.BeginTransactionAsync(ct) : null;
        using var noSavepoints = own ? new SavepointsOff(Database) : null;
        if (!ChainLocked) await LockAuditChainAsync(ct);
        var link = await AuditLink.HeadAsync(this, ct);
        AuditEvents.Add(link.Append(new AuditEvent
        {
            At = _clock.GetUtcNow().UtcDateTime, UserId = actor.UserId, UserName = actor.UserName,
            EntityType = entityType, EntityId = entityId, Action = action,
            After = details is null ? null : JsonSerializer.Serialize(details, AuditJson), UnitId = unitId,
        }));
        await base.SaveChangesAsync(true, ct);
        if (tx is not null) await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Queues this process's writers before they open a write transaction (SQLite: one writer at a time, and a writer
    /// that finds the database locked sleeps in SQLite's busy handler for up to 100 ms a try, which under many
    /// concurrent writers dominates latency; a FIFO queue in the process does not sleep). Null when not needed.
    /// </summary>
    protected internal virtual Task<IDisposable?> EnterWriteAsync(CancellationToken ct) => Task.FromResult<IDisposable?>(null);

    /// <summary>Serialises writers of the audit chain across processes. SQLite's write transactions already do.</summary>
    protected internal virtual Task LockAuditChainAsync(CancellationToken ct) => Task.CompletedTask;

    static string Action(EntityState s) => s switch
    {
        EntityState.Added => "created",
        EntityState.Deleted => "deleted",
        _ => "updated",
    };

    internal static long? UnitOf(object entity) => entity switch
    {
        IUnitOwned o => o.UnitId,
        Organisation o => o.OwningUnitId,
        _ => null,
    };

    static readonly HashSet<string> Secret = [nameof(User.PasswordHash), nameof(User.SecurityStamp), nameof(ApiToken.TokenHash)];
    static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string Snapshot(EntityEntry e, bool original) =>
        Snapshot(e.Properties.Select(p => (p.Metadata, original ? p.OriginalValue : p.CurrentValue)));

    /// <summary>
    /// The audit picture of a row: its properties by name, in name order, as JSON — secrets left out, and file contents
    /// (kept once, in their row; the audit keeps their SHA-256 and size). The bulk generator's trail uses it too.
    /// </summary>
    internal static string Snapshot(IEnumerable<(IProperty Property, object? Value)> properties)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (p, value) in properties)
            if (!Secret.Contains(p.Name) && p.ClrType != typeof(byte[])) values[p.Name] = value;
        return JsonSerializer.Serialize(values, AuditJson);
    }
}

/// <summary>A write to a row of a unit the caller may not see. Reported as 404, like a read.</summary>
public sealed class OutOfScopeException() : Exception("对象不存在或无权访问。");
