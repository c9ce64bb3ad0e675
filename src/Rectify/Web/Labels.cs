using Microsoft.EntityFrameworkCore;
using Rectify.Core.Access;
using Rectify.Core.Ledger;

namespace Rectify.Web;

/// <summary>Chinese words for codes shown on the pages, and the names of what they refer to.</summary>
public static class Labels
{
    public static string Role(string? code) => code switch
    {
        "admin" => "系统管理员",
        "office" => "巡察办",
        "unit_admin" => "单位管理员",
        "leader" => "责任领导",
        "owner" => "责任人",
        "viewer" => "查看",
        _ => "未知角色",
    };

    public static string Role(Role role) => Role(User.RoleCode(role));

    /// <summary>AntDesign tag colour of a status: done green, waiting blue, open orange, not started grey.</summary>
    public static string StatusColor(MeasureStatus s) => s switch
    {
        MeasureStatus.Closed or MeasureStatus.Rectified or MeasureStatus.RectifiedOngoing => "green",
        MeasureStatus.PendingClosure => "cyan",
        MeasureStatus.BasicallyRectified => "blue",
        MeasureStatus.ExtensionRequested => "gold",
        MeasureStatus.InProgress => "orange",
        _ => "default",
    };

    public static readonly MeasureStatus[] Statuses = Enum.GetValues<MeasureStatus>();
    public static readonly RectificationMode[] Modes = Enum.GetValues<RectificationMode>();

    /// <summary>A file's size as a person reads it: 512 B, 12.3 KB, 4.5 MB.</summary>
    public static string FileSize(long bytes) => bytes < 1024 ? $"{bytes} B" : bytes < 1024 * 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes / 1024.0 / 1024:0.#} MB";

    /// <summary>The names of the given organisations (units, offices) the caller may see, by id, in one query.</summary>
    public static Task<Dictionary<long, string>> OrganisationNamesAsync(Rectify.Core.Data.RectifyDb db, IEnumerable<long> ids)
    {
        var list = ids.Distinct().ToList();
        return db.Organisations.AsNoTracking().Where(o => list.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name);
    }

    public static string Date(DateOnly? d) => d is { } x ? x.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "—";

    /// <summary>Open and past its deadline.</summary>
    public static bool Overdue(MeasureStatus status, DateOnly? deadline, DateOnly today) =>
        StatusRules.IsOpen(status) && deadline is { } d && d < today;
}
