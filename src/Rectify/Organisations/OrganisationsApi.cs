using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Rectify.Access;
using Rectify.Core.Access;
using Rectify.Core.Data;
using Rectify.Core.Organisations;

namespace Rectify.Organisations;

public sealed record OrganisationRequest(
    [Required(ErrorMessage = "名称不能为空。"), StringLength(200, MinimumLength = 1, ErrorMessage = "名称长度须在 1–200 字之间。")] string Name,
    [Required(ErrorMessage = "必须指定类型 kind。")] OrganisationKind? Kind,
    long? ParentId = null, int Ordinal = 0, int? Version = null);

public sealed record PersonRequest(
    [Required(ErrorMessage = "姓名不能为空。"), StringLength(100, MinimumLength = 1, ErrorMessage = "姓名长度须在 1–100 字之间。")] string Name,
    [Required(ErrorMessage = "必须指定所在组织 organisationId。")] long? OrganisationId,
    [StringLength(100, ErrorMessage = "职务过长。")] string? Post = null, int? Version = null);

public sealed record OrganisationDto(long Id, OrganisationKind Kind, string Name, long? ParentId, long? UnitId, int Ordinal, int Version)
{
    public static OrganisationDto From(Organisation o) => new(o.Id, o.Kind, o.Name, o.ParentId, o.UnitId, o.Ordinal, o.Version);
}

public sealed record PersonDto(long Id, string Name, string? Post, long OrganisationId, long UnitId, int Version)
{
    public static PersonDto From(Person p) => new(p.Id, p.Name, p.Post, p.OrganisationId, p.UnitId, p.Version);
}

/// <summary>The organisation tree (巡察办 → 单位 → 股室/学校/党支部) and the people who can be made responsible.</summary>
public static class OrganisationsApi
{
    public static void MapOrganisationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("组织与人员");
        api.MapGet("/organisations", List).WithSummary("组织列表（仅本人可见范围）");
        api.MapPost("/organisations", Add).WithSummary("新增组织：单位、股室、学校或党支部");
        api.MapGet("/organisations/{id:long}", Get).WithSummary("读取组织");
        api.MapPut("/organisations/{id:long}", Edit).WithSummary("修改组织");
        api.MapDelete("/organisations/{id:long}", Delete).WithSummary("删除组织（须无下级和人员）");

        api.MapGet("/people", ListPeople).WithSummary("人员列表（可按单位筛选）");
        api.MapPost("/people", AddPerson).WithSummary("新增人员");
        api.MapGet("/people/{id:long}", GetPerson).WithSummary("读取人员");
        api.MapPut("/people/{id:long}", EditPerson).WithSummary("修改人员");
        api.MapDelete("/people/{id:long}", DeletePerson).WithSummary("删除人员");
    }

    static async Task<IResult> List(RectifyDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.Organisations.AsNoTracking().OrderBy(o => o.ParentId).ThenBy(o => o.Ordinal).ThenBy(o => o.Id)
            .Select(o => new OrganisationDto(o.Id, o.Kind, o.Name, o.ParentId, o.UnitId, o.Ordinal, o.Version)).Take(10000).ToListAsync(ct));

    static async Task<IResult> Get(long id, RectifyDb db, CancellationToken ct) =>
        await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct) is { } o ? TypedResults.Ok(OrganisationDto.From(o)) : Guard.NotFound("组织");

    /// <summary>Who may create or edit an organisation of a kind under a parent.</summary>
    static bool MayManage(CallerScope scope, OrganisationKind kind) => kind switch
    {
        OrganisationKind.Office => scope.All,
        OrganisationKind.Unit => scope.Allows(Guard.OfficeEditors),
        _ => scope.Allows(Guard.SetupEditors),
    };

    static async Task<IResult> Add(OrganisationRequest req, RectifyDb db, CancellationToken ct)
    {
        var kind = req.Kind!.Value;
        if (!MayManage(db.Scope, kind)) return Guard.Forbidden();
        var o = new Organisation { Name = req.Name.Trim(), Kind = kind, Ordinal = req.Ordinal };
        if (await PlaceAsync(db, o, req.ParentId, ct) is { } invalid) return invalid;
        db.Organisations.Add(o);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/organisations/{o.Id}", OrganisationDto.From(o));
    }

    /// <summary>Offices stand alone; units sit under an office; the rest sit under a unit or one of its parts.</summary>
    static async Task<IResult?> PlaceAsync(RectifyDb db, Organisation o, long? parentId, CancellationToken ct) =>
        await PlacementErrorAsync(db, o, parentId, ct) is { } e ? Guard.Invalid(e.Field, e.Message) : null;

    /// <summary>Places an organisation under its parent (the admin page uses it too); the refused field and message, or null.</summary>
    public static async Task<(string Field, string Message)?> PlacementErrorAsync(RectifyDb db, Organisation o, long? parentId, CancellationToken ct = default)
    {
        if (o.Kind == OrganisationKind.Office)
        {
            if (parentId is not null) return ("parentId", "巡察办没有上级组织。");
            return null;
        }
        var parent = parentId is null ? null : await db.Organisations.FirstOrDefaultAsync(p => p.Id == parentId, ct);
        if (parent is null) return ("parentId", "上级组织不存在或无权访问。");
        if (o.Kind == OrganisationKind.Unit)
        {
            if (parent.Kind != OrganisationKind.Office) return ("parentId", "被巡察单位的上级必须是巡察办。");
            if (!db.Scope.All && !db.Scope.OfficeIds.Contains(parent.Id)) return ("parentId", "只能在本巡察办下新增单位。");
            o.ParentId = parent.Id;
            o.UnitId = null;
            return null;
        }
        if (parent.OwningUnitId is not { } unit) return ("parentId", "股室、学校和党支部必须属于某个单位。");
        o.ParentId = parent.Id;
        o.UnitId = unit;
        return null;
    }

    static async Task<IResult> Edit(long id, OrganisationRequest req, RectifyDb db, CancellationToken ct)
    {
        var o = await db.Organisations.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return Guard.NotFound("组织");
        if (!MayManage(db.Scope, o.Kind)) return Guard.Forbidden();
        if (req.Version is null) return Guard.Invalid("version", "必须提供读取时的版本号 version。");
        if (req.Kind != o.Kind) return Guard.Invalid("kind", "不能更改组织类型。");
        db.ExpectVersion(o, req.Version);
        var oldUnit = o.OwningUnitId;
        if (req.ParentId != o.ParentId && await PlaceAsync(db, o, req.ParentId, ct) is { } invalid) return invalid;
        if (o.OwningUnitId != oldUnit) return Guard.Invalid("parentId", "不能把组织移到另一个单位。");
        o.Name = req.Name.Trim();
        o.Ordinal = req.Ordinal;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(OrganisationDto.From(o));
    }

    static async Task<IResult> Delete(long id, int? version, RectifyDb db, CancellationToken ct)
    {
        var o = await db.Organisations.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null) return Guard.NotFound("组织");
        if (!MayManage(db.Scope, o.Kind)) return Guard.Forbidden();
        db.ExpectVersion(o, version);
        var inUse = await db.Organisations.IgnoreQueryFilters().AnyAsync(c => c.ParentId == id, ct)
                    || await db.People.IgnoreQueryFilters().AnyAsync(p => p.OrganisationId == id, ct)
                    || await db.Inspections.IgnoreQueryFilters().AnyAsync(i => i.UnitId == id, ct);
        if (inUse) return Guard.Invalid("id", "该组织下还有下级组织、人员或检查，不能删除。");
        db.Organisations.Remove(o);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    static async Task<IResult> ListPeople(long? unitId, RectifyDb db, CancellationToken ct)
    {
        var q = db.People.AsNoTracking();
        if (unitId is { } u) q = q.Where(p => p.UnitId == u);
        return TypedResults.Ok(await q.OrderBy(p => p.Id).Take(10000)
            .Select(p => new PersonDto(p.Id, p.Name, p.Post, p.OrganisationId, p.UnitId, p.Version)).ToListAsync(ct));
    }

    static async Task<IResult> GetPerson(long id, RectifyDb db, CancellationToken ct) =>
        await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is { } p ? TypedResults.Ok(PersonDto.From(p)) : Guard.NotFound("人员");

    static async Task<IResult> AddPerson(PersonRequest req, RectifyDb db, CancellationToken ct)
    {
        if (!db.Scope.Allows(Guard.SetupEditors)) return Guard.Forbidden();
        if (NameRules.Check(req.Name, "姓名") is { } hidden) return Guard.Invalid("name", hidden);
        var org = await db.Organisations.FirstOrDefaultAsync(o => o.Id == req.OrganisationId, ct);
        if (org?.OwningUnitId is not { } unit) return Guard.Invalid("organisationId", "所在组织不存在、无权访问或不属于任何单位。");
        var p = new Person { Name = req.Name.Trim(), Post = req.Post?.Trim(), OrganisationId = org.Id, UnitId = unit };
        db.People.Add(p);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/people/{p.Id}", PersonDto.From(p));
    }

    static async Task<IResult> EditPerson(long id, PersonRequest req, RectifyDb db, CancellationToken ct)
    {
        var p = await db.People.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return Guard.NotFound("人员");
        if (!db.Scope.Allows(Guard.SetupEditors)) return Guard.Forbidden();
        if (req.Version is null) return Guard.Invalid("version", "必须提供读取时的版本号 version。");
        if (NameRules.Check(req.Name, "姓名") is { } hidden) return Guard.Invalid("name", hidden);
        var org = await db.Organisations.FirstOrDefaultAsync(o => o.Id == req.OrganisationId, ct);
        if (org?.OwningUnitId != p.UnitId) return Guard.Invalid("organisationId", "所在组织不存在或不属于该人员的单位。");
        db.ExpectVersion(p, req.Version);
        (p.Name, p.Post, p.OrganisationId) = (req.Name.Trim(), req.Post?.Trim(), org!.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(PersonDto.From(p));
    }

    static async Task<IResult> DeletePerson(long id, int? version, RectifyDb db, CancellationToken ct)
    {
        var p = await db.People.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null) return Guard.NotFound("人员");
        if (!db.Scope.Allows(Guard.SetupEditors)) return Guard.Forbidden();
        db.ExpectVersion(p, version);
        db.People.Remove(p);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
