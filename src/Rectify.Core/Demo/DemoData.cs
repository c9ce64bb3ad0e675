using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Import;
using Rectify.Core.Ledger;
using Rectify.Core.Organisations;

namespace Rectify.Core.Demo;

/// <summary>
/// The demo: an inspection office, the seed's unit with its ledger read from the bundled seed notice through the
/// importer, a second unit (to see that units are kept apart), and one user per role with a fresh random password.
/// </summary>
public static class DemoData
{
    public const string SeedResource = "Rectify.samples.seed-notice.txt";
    public const string SeedFileName = "seed-notice.txt";

    public sealed record DemoUser(string UserName, Role Role, string Password, string Scope);

    /// <summary>The bundled seed notice (samples/seed-notice.txt), as a stream.</summary>
    public static Stream OpenSeed() => typeof(DemoData).Assembly.GetManifestResourceStream(SeedResource)
                                       ?? throw new InvalidOperationException("seed resource missing");

    /// <summary>
    /// A fresh demo password: 40 random bits as hex after a random two-digit number, so that it always has the
    /// letters and digits the password policy asks for (hex alone can come out as letters only).
    /// </summary>
    internal static string NewPassword() =>
        $"Demo{RandomNumberGenerator.GetInt32(10, 100)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";

    /// <summary>Creates the demo once. Returns the users and passwords to print, or null when the demo already exists.</summary>
    public static async Task<IReadOnlyList<DemoUser>?> SeedAsync(RectifyDb db, CancellationToken ct = default)
    {
        if (await db.Users.AnyAsync(ct)) return null;
        LedgerDocument doc;
        await using (var seed = OpenSeed()) doc = DocumentImporter.Read(seed, SeedFileName);

        var office = new Organisation { Kind = OrganisationKind.Office, Name = "中共平顶山市石龙区委巡察工作领导小组办公室" };
        db.Organisations.Add(office);
        await db.SaveChangesAsync(ct);
        var unitName = doc.Issuer is { } issuer ? issuer.Replace("中共", "").Replace("党组", "") : "演示单位";
        var unit = new Organisation { Kind = OrganisationKind.Unit, Name = unitName, ParentId = office.Id };
        var other = new Organisation { Kind = OrganisationKind.Unit, Name = "演示单位乙（用于验证单位隔离）", ParentId = office.Id };
        db.Organisations.AddRange(unit, other);
        await db.SaveChangesAsync(ct);
        var rectificationOffice = new Organisation { Kind = OrganisationKind.Department, Name = "整改办公室", ParentId = unit.Id, UnitId = unit.Id };
        db.Organisations.Add(rectificationOffice);
        await db.SaveChangesAsync(ct);
        var leader = new Person { Name = "演示责任领导", Post = "副局长", OrganisationId = unit.Id, UnitId = unit.Id };
        var owner = new Person { Name = "演示责任人", Post = "股长", OrganisationId = rectificationOffice.Id, UnitId = unit.Id };
        db.People.AddRange(leader, owner);

        var round = new InspectionRound
        {
            Name = $"{doc.Inspection?.Start?.Year ?? DateTime.UtcNow.Year}年常规巡察", Kind = RoundKind.Regular, OfficeId = office.Id,
            Start = doc.Inspection?.Start, End = doc.Inspection?.End,
        };
        db.Rounds.Add(round);
        await db.SaveChangesAsync(ct);
        var inspection = new Inspection { UnitId = unit.Id, RoundId = round.Id };
        db.Inspections.Add(inspection);
        await db.SaveChangesAsync(ct);
        await StoreLedger.RunAsync(db, inspection.Id, doc, ct);

        var users = new List<DemoUser>();
        async Task Add(string name, Role role, long? unitId, long? officeId, string scope, long? personId = null)
        {
            var password = NewPassword();
            var u = await Users.AddAsync(db, name, role, password, unitId, officeId, null, ct);
            if (personId is not null) { u.PersonId = personId; await db.SaveChangesAsync(ct); }
            users.Add(new DemoUser(name, role, password, scope));
        }
        await Add("admin", Role.Admin, null, null, "全部");
        await Add("office", Role.Office, null, office.Id, office.Name);
        await Add("unit", Role.UnitAdmin, unit.Id, null, unit.Name);
        await Add("leader", Role.Leader, unit.Id, null, unit.Name, leader.Id);
        await Add("owner", Role.Owner, unit.Id, null, unit.Name, owner.Id);
        await Add("viewer", Role.Viewer, null, office.Id, office.Name);
        await Add("other", Role.UnitAdmin, other.Id, null, other.Name);
        return users;
    }
}
