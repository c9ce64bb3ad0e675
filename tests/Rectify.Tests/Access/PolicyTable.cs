namespace Rectify.Tests.Access;

/// <summary>The callers of the authorisation matrix. A unit role (unit_admin, leader, owner, viewer) belongs to unit A;
/// office supervises unit A; "another unit" is unit C, supervised by a second office.</summary>
[Flags]
public enum Caller
{
    None = 0,
    Admin = 1,
    Office = 2,
    UnitAdmin = 4,
    Leader = 8,
    Owner = 16,
    Viewer = 32,
    Anonymous = 64,
    Signed = Admin | Office | UnitAdmin | Leader | Owner | Viewer,
    Everyone = Signed | Anonymous,
}

/// <summary>How an endpoint relates to a unit, which decides what "another unit's object" means for it.</summary>
public enum Reach
{
    /// <summary>The route's {id} names a unit's object: another unit's object is 404 for everyone but the admin.</summary>
    ById,
    /// <summary>Creates something under a unit named in the body: naming another unit's object is refused (400/403/404) and nothing is written.</summary>
    ByBody,
    /// <summary>A list or figure without an id: answers only with the caller's units; asked with ?unitId= of another unit, it holds nothing of it.</summary>
    List,
    /// <summary>The caller's own account (me, logout, password) or own reminder: another user's is 404, for the admin too.</summary>
    Personal,
    /// <summary>Open to everybody, signed in or not (login).</summary>
    Public,
}

/// <summary>Who may call an endpoint on an object of their own unit (<paramref name="Own"/>): the other signed-in callers
/// get 403, anonymous callers 401. On another unit's object see <see cref="Reach"/>.</summary>
public sealed record Policy(Caller Own, Reach Reach);

/// <summary>
/// The written authorisation policy of every API endpoint (OpenAPI paths). AuthorisationMatrixTests enumerates the
/// endpoints from /openapi/v1.json, fails for any endpoint missing here, and checks every endpoint × caller × own/other
/// unit against this table on every database provider. "Allowed" means the request got past authorisation: 2xx, or 400,
/// 409, 422 from the business rules; "denied" is 401, 403 or 404 and leaves every row unchanged.
/// </summary>
public static class PolicyTable
{
    const Caller All = Caller.Signed;
    const Caller LedgerEditors = Caller.Admin | Caller.UnitAdmin;
    const Caller OfficeEditors = Caller.Admin | Caller.Office;
    const Caller SetupEditors = Caller.Admin | Caller.Office | Caller.UnitAdmin;
    /// <summary>The measure's 责任人 (user linked to the measure's owner), the unit office, the admin.</summary>
    const Caller ActFor = Caller.Admin | Caller.UnitAdmin | Caller.Owner;
    /// <summary>The current step of the default chain is the measure's 责任领导 (user linked to the measure's leader).</summary>
    const Caller Approvers = Caller.Admin | Caller.Leader;
    const Caller Supervisors = Caller.Admin | Caller.UnitAdmin | Caller.Office;

    public static readonly IReadOnlyDictionary<string, Policy> Endpoints = new Dictionary<string, Policy>
    {
        // Health and the API description are public and carry no data.
        ["GET /health"] = new(Caller.Everyone, Reach.Public),
        ["GET /health/ready"] = new(Caller.Everyone, Reach.Public),

        // Account
        ["POST /api/auth/login"] = new(Caller.Everyone, Reach.Public),
        ["POST /api/auth/logout"] = new(All, Reach.Personal),
        ["GET /api/auth/me"] = new(All, Reach.Personal),
        ["POST /api/auth/password"] = new(All, Reach.Personal),

        // Organisations and people: units are created by the office, departments and people by the unit office too.
        ["GET /api/organisations"] = new(All, Reach.List),
        ["POST /api/organisations"] = new(SetupEditors, Reach.ByBody),
        ["GET /api/organisations/{id}"] = new(All, Reach.ById),
        ["PUT /api/organisations/{id}"] = new(SetupEditors, Reach.ById),
        ["DELETE /api/organisations/{id}"] = new(SetupEditors, Reach.ById),
        ["GET /api/people"] = new(All, Reach.List),
        ["POST /api/people"] = new(SetupEditors, Reach.ByBody),
        ["GET /api/people/{id}"] = new(All, Reach.ById),
        ["PUT /api/people/{id}"] = new(SetupEditors, Reach.ById),
        ["DELETE /api/people/{id}"] = new(SetupEditors, Reach.ById),

        // Rounds belong to an office; a unit sees the rounds it was inspected in.
        ["GET /api/rounds"] = new(All, Reach.List),
        ["POST /api/rounds"] = new(OfficeEditors, Reach.ByBody),
        ["GET /api/rounds/{id}"] = new(All, Reach.ById),
        ["PUT /api/rounds/{id}"] = new(OfficeEditors, Reach.ById),
        ["DELETE /api/rounds/{id}"] = new(OfficeEditors, Reach.ById),

        // Inspections and the ledger: the office sets inspections up, the unit office keeps the ledger.
        ["GET /api/inspections"] = new(All, Reach.List),
        ["POST /api/inspections"] = new(SetupEditors, Reach.ByBody),
        ["GET /api/inspections/{id}"] = new(All, Reach.ById),
        ["PUT /api/inspections/{id}"] = new(SetupEditors, Reach.ById),
        ["DELETE /api/inspections/{id}"] = new(OfficeEditors, Reach.ById),
        ["GET /api/inspections/{id}/ledger"] = new(All, Reach.ById),
        ["POST /api/inspections/{id}/categories"] = new(LedgerEditors, Reach.ById),
        ["PUT /api/inspections/{id}/categories/order"] = new(LedgerEditors, Reach.ById),
        ["GET /api/categories/{id}"] = new(All, Reach.ById),
        ["PUT /api/categories/{id}"] = new(LedgerEditors, Reach.ById),
        ["DELETE /api/categories/{id}"] = new(LedgerEditors, Reach.ById),
        ["POST /api/categories/{id}/problems"] = new(LedgerEditors, Reach.ById),
        ["PUT /api/categories/{id}/problems/order"] = new(LedgerEditors, Reach.ById),
        ["GET /api/problems/{id}"] = new(All, Reach.ById),
        ["PUT /api/problems/{id}"] = new(LedgerEditors, Reach.ById),
        ["DELETE /api/problems/{id}"] = new(LedgerEditors, Reach.ById),
        ["POST /api/problems/{id}/measures"] = new(LedgerEditors, Reach.ById),
        ["PUT /api/problems/{id}/measures/order"] = new(LedgerEditors, Reach.ById),
        ["GET /api/measures/{id}"] = new(All, Reach.ById),
        ["PUT /api/measures/{id}"] = new(LedgerEditors, Reach.ById),
        ["DELETE /api/measures/{id}"] = new(LedgerEditors, Reach.ById),

        // Import and export
        ["POST /api/import/preview"] = new(SetupEditors, Reach.Personal),
        ["POST /api/inspections/{id}/import"] = new(LedgerEditors, Reach.ById),
        ["GET /api/inspections/{id}/export"] = new(All, Reach.ById),
        ["GET /api/inspections/{id}/bulletin"] = new(All, Reach.ById),

        // Weekly reports, evidence, requests and their approval
        ["POST /api/measures/{id}/reports"] = new(ActFor, Reach.ById),
        ["GET /api/measures/{id}/reports"] = new(All, Reach.ById),
        ["POST /api/measures/{id}/remarks"] = new(Supervisors, Reach.ById),
        ["GET /api/inspections/{id}/weekly"] = new(All, Reach.ById),
        ["POST /api/measures/{id}/evidence"] = new(ActFor, Reach.ById),
        ["GET /api/measures/{id}/evidence"] = new(All, Reach.ById),
        ["GET /api/evidence/{id}"] = new(All, Reach.ById),
        ["GET /api/evidence/{id}/preview"] = new(All, Reach.ById),
        ["POST /api/measures/{id}/closure"] = new(ActFor, Reach.ById),
        ["POST /api/measures/{id}/extension"] = new(ActFor, Reach.ById),
        ["GET /api/measures/{id}/requests"] = new(All, Reach.ById),
        ["GET /api/measures/{id}/deadlines"] = new(All, Reach.ById),
        ["POST /api/measures/{id}/reopen"] = new(Supervisors, Reach.ById),
        ["GET /api/requests/{id}"] = new(All, Reach.ById),
        ["POST /api/requests/{id}/approve"] = new(Approvers, Reach.ById),
        ["POST /api/requests/{id}/return"] = new(Approvers, Reach.ById),
        ["GET /api/units/{id}/approval-chain"] = new(All, Reach.ById),
        ["PUT /api/units/{id}/approval-chain"] = new(Supervisors, Reach.ById),

        // Lights, outcome figures, rules, reminders
        ["GET /api/inspections/{id}/lights"] = new(All, Reach.ById),
        ["GET /api/lights"] = new(All, Reach.List),
        ["GET /api/lights/red"] = new(All, Reach.List),
        ["POST /api/problems/{id}/figures"] = new(LedgerEditors, Reach.ById),
        ["GET /api/problems/{id}/figures"] = new(All, Reach.ById),
        ["DELETE /api/figures/{id}"] = new(LedgerEditors, Reach.ById),
        ["GET /api/outcomes"] = new(All, Reach.List),
        ["POST /api/rules"] = new(LedgerEditors, Reach.ByBody),
        ["GET /api/rules"] = new(All, Reach.List),
        ["GET /api/rules/{id}"] = new(All, Reach.ById),
        ["DELETE /api/rules/{id}"] = new(LedgerEditors, Reach.ById),
        // Cycle and light settings: global, no unit's data; read by everyone signed in, changed by the admin only.
        ["GET /api/settings"] = new(All, Reach.List),
        ["PUT /api/settings"] = new(Caller.Admin, Reach.List),
        ["GET /api/inbox"] = new(All, Reach.Personal),
        ["POST /api/inbox/{id}/read"] = new(All, Reach.Personal),

        // The inspection office's cross-unit views
        ["GET /api/rounds/{id}/figures"] = new(OfficeEditors, Reach.ById),
        ["GET /api/rounds/{id}/summary"] = new(OfficeEditors, Reach.ById),
        ["GET /api/rounds/{id}/figures/items"] = new(OfficeEditors, Reach.ById),
        ["GET /api/figures"] = new(OfficeEditors, Reach.List),
        ["GET /api/figures/items"] = new(OfficeEditors, Reach.List),
        ["GET /api/problems/{id}/similar"] = new(OfficeEditors, Reach.ById),
        ["GET /api/rounds/{id}/clusters"] = new(OfficeEditors, Reach.ById),
        ["GET /api/search"] = new(OfficeEditors, Reach.List),
        ["POST /api/rounds/{id}/carry-over"] = new(OfficeEditors, Reach.ById),
        ["GET /api/rounds/{id}/evaluation-sheet"] = new(OfficeEditors, Reach.ById),
        ["PUT /api/rounds/{id}/evaluation-sheet"] = new(OfficeEditors, Reach.ById),
        ["GET /api/rounds/{id}/evaluations"] = new(OfficeEditors, Reach.ById),
        ["PUT /api/rounds/{id}/evaluations"] = new(OfficeEditors, Reach.ById),
        ["GET /api/problems/{id}/history"] = new(All, Reach.ById),

        // Plans, reports and disclosures owed to the office: the unit office submits, the offices of the review chain decide.
        ["GET /api/rounds/{id}/documents"] = new(OfficeEditors, Reach.ById),
        ["GET /api/rounds/{id}/review-chain"] = new(All, Reach.ById),
        ["PUT /api/rounds/{id}/review-chain"] = new(OfficeEditors, Reach.ById),
        ["GET /api/inspections/{id}/documents"] = new(All, Reach.ById),
        ["POST /api/inspections/{id}/documents"] = new(LedgerEditors, Reach.ById),
        ["POST /api/inspections/{id}/documents/generate"] = new(LedgerEditors, Reach.ById),
        ["GET /api/documents/{id}"] = new(All, Reach.ById),
        ["GET /api/documents/{id}/file"] = new(All, Reach.ById),
        ["POST /api/documents/{id}/accept"] = new(OfficeEditors, Reach.ById),
        ["POST /api/documents/{id}/return"] = new(OfficeEditors, Reach.ById),
    };
}
