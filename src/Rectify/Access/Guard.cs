using Rectify.Core.Access;

namespace Rectify.Access;

/// <summary>Role checks, made inside handlers after the object was found, so another unit's object is a 404 first.</summary>
public static class Guard
{
    public static readonly Role[] LedgerEditors = [Role.Admin, Role.UnitAdmin];
    public static readonly Role[] OfficeEditors = [Role.Admin, Role.Office];
    public static readonly Role[] SetupEditors = [Role.Admin, Role.Office, Role.UnitAdmin];

    public static bool Allows(this CallerScope scope, Role[] roles) => scope.All || scope.Role is { } r && roles.Contains(r);

    public static IResult Forbidden(string detail = "您的角色不能执行此操作。") =>
        TypedResults.Problem(title: "无权操作", detail: detail, statusCode: StatusCodes.Status403Forbidden);

    public static IResult NotFound(string what = "对象") =>
        TypedResults.Problem(title: "未找到", detail: $"{what}不存在或无权访问。", statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string detail, int currentVersion) =>
        TypedResults.Problem(title: "数据已被他人修改", detail: detail, statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?> { ["currentVersion"] = currentVersion });

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "请求字段校验未通过", detail: message);
}
