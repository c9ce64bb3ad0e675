using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Rectify.Core.Data;
using Rectify.Core.Import;

namespace Rectify.Hosting;

/// <summary>
/// The one table that turns exceptions into ProblemDetails with a Chinese title and detail. Nothing reaches the
/// client as a stack trace; unexpected errors are logged and answered with a plain 500.
/// </summary>
public sealed class ErrorHandler(IProblemDetailsService problems, ILogger<ErrorHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, extensions) = exception switch
        {
            ConcurrencyConflictException c => (409, "数据已被他人修改", c.Message,
                new Dictionary<string, object?> { ["currentVersion"] = c.CurrentVersion, ["entity"] = c.Entity, ["id"] = c.EntityId }),
            OutOfScopeException => (404, "未找到", "对象不存在或无权访问。", null),
            DomainRuleException d => (400, "请求不符合业务规则", d.Message,
                d.Field is null ? null : new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [d.Field] = [d.Message] } }),
            ImportException i => (400, "无法读取文件", i.Message, null),
            BadHttpRequestException b => (b.StatusCode, b.StatusCode == 413 ? "请求体过大" : "请求格式错误", Describe(b), Fields(b)),
            _ => (500, "服务器内部错误", "服务器处理请求时出错，请稍后重试或联系管理员。", null),
        };
        if (status == 500) log.LogError(exception, "Unhandled error on {Path}", http.Request.Path);
        http.Response.StatusCode = status;
        var pd = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (extensions is not null) foreach (var (k, v) in extensions) pd.Extensions[k] = v;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = pd, Exception = exception });
    }

    static string Describe(BadHttpRequestException b) => b.StatusCode switch
    {
        413 => "请求体超过了允许的大小。",
        _ when b.InnerException is JsonException j => $"请求体不是有效的 JSON，或字段类型不对{(j.Path is { Length: > 0 } p ? "：" + p : "")}。",
        _ when b.Message.Contains("Required parameter", StringComparison.Ordinal) => "缺少必需的参数或请求体。",
        _ => "请求参数格式不正确。",
    };

    static Dictionary<string, object?>? Fields(BadHttpRequestException b) =>
        b.InnerException is JsonException { Path: { Length: > 0 } path }
            ? new() { ["errors"] = new Dictionary<string, string[]> { [path.TrimStart('$', '.')] = ["类型或格式不正确。"] } }
            : null;

    /// <summary>Chinese titles for the bodies the framework writes itself (404, 401, validation).</summary>
    public static void Customize(ProblemDetailsContext ctx)
    {
        var pd = ctx.ProblemDetails;
        pd.Extensions.Remove("traceId");
        // Titles we set ourselves are Chinese already; only the framework's English defaults are replaced.
        if (pd.Title is { Length: > 0 } t && !char.IsAscii(t[0])) return;
        switch (pd.Status)
        {
            case 400 when pd is HttpValidationProblemDetails:
                pd.Title = "请求字段校验未通过";
                pd.Detail ??= "请检查标出的字段。";
                break;
            case 400: pd.Title = "请求格式错误"; break;
            case 401: pd.Title = "未登录"; pd.Detail ??= "请先登录。"; break;
            case 403: pd.Title = "无权操作"; pd.Detail ??= "您的角色不能执行此操作。"; break;
            case 404: pd.Title = "未找到"; pd.Detail ??= "对象不存在或无权访问。"; break;
            case 405: pd.Title = "不支持的请求方法"; break;
            case 409 when pd.Title is null or "Conflict": pd.Title = "冲突"; break;
            case 413: pd.Title = "请求体过大"; break;
            case 415: pd.Title = "不支持的内容类型"; pd.Detail ??= "请以 application/json 发送请求体。"; break;
            case 429: pd.Title = "请求过于频繁"; pd.Detail ??= "请稍后再试。"; break;
        }
    }
}
