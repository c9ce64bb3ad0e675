using System.Collections.Frozen;
using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Rectify.Web;

/// <summary>
/// The words of the shell, the login page, the workbench and the ledger page in the user's language. Chinese is the
/// default and the key; English comes from this one table. The language is the request's UI culture, which the
/// localization middleware takes from the cookie set by <c>POST /account/language</c> (AntDesign follows the same
/// culture). Formatting (numbers, dates) stays Chinese in both.
/// </summary>
public static class Ui
{
    public const string Chinese = "zh-CN", English = "en";
    public static readonly string[] Languages = [Chinese, English];

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The text in the current language (the Chinese itself when the table has no English for it).</summary>
    public static string T(string zh) => IsEnglish && En.TryGetValue(zh, out var en) ? en : zh;

    /// <summary>A translated format string with its arguments, e.g. F("共 {0} 项", n).</summary>
    public static string F(string zh, params object?[] args) => string.Format(CultureInfo.InvariantCulture, T(zh), args);

    /// <summary>The cookie value that keeps formatting Chinese and sets the UI language.</summary>
    public static string CookieValue(string language) => CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Chinese, language));

    static readonly FrozenDictionary<string, string> En = new Dictionary<string, string>
    {
        // Shell
        ["整改台账"] = "Rectification ledger",
        ["主菜单"] = "Main menu",
        ["我的工作台"] = "My workbench",
        ["我的消息"] = "Messages",
        ["导入反馈文件"] = "Import feedback",
        ["审批"] = "Approvals",
        ["统计分析"] = "Statistics",
        ["全文检索"] = "Search",
        ["共性问题"] = "Shared problems",
        ["方案报告报送"] = "Plans & reports",
        ["系统管理"] = "Administration",
        ["当前用户：{0}（{1}）"] = "Signed in: {0} ({1})",
        ["修改密码"] = "Change password",
        ["退出登录"] = "Sign out",
        ["语言"] = "Language",
        ["系统管理员"] = "Administrator",
        ["巡察办"] = "Inspection office",
        ["单位管理员"] = "Unit administrator",
        ["责任领导"] = "Responsible leader",
        ["责任人"] = "Responsible person",
        ["查看"] = "Viewer",
        ["未知角色"] = "Unknown role",
        // Login
        ["登录"] = "Sign in",
        ["用户名"] = "User name",
        ["密码"] = "Password",
        ["用户名或密码不正确。"] = "Wrong user name or password.",
        ["密码错误次数过多，账户已临时锁定，请 15 分钟后再试。"] = "Too many wrong passwords: the account is locked, try again in 15 minutes.",
        ["账户已停用，请联系系统管理员。"] = "The account is disabled; ask your administrator.",
        ["请输入用户名和密码。"] = "Enter your user name and password.",
        ["您已退出登录。"] = "You have signed out.",
        ["登录失败，请重试。"] = "Sign-in failed, please try again.",
        // Workbench
        ["您有 {0} 条未读消息。"] = "You have {0} unread messages.",
        ["查看我的消息"] = "Read my messages",
        ["有 {0} 项销号、延期申请等待您审批。"] = "{0} closure or extension requests wait for your decision.",
        ["前往审批"] = "Go to approvals",
        ["我负责的整改措施"] = "Measures I am responsible for",
        ["共 {0} 项"] = "{0} in all",
        ["已完成 {0} 项"] = "{0} completed",
        ["已逾期 {0} 项"] = "{0} overdue",
        ["单位"] = "Unit",
        ["问题"] = "Problem",
        ["整改措施"] = "Measure",
        ["身份"] = "As",
        ["整改时限"] = "Deadline",
        ["状态"] = "Status",
        ["（逾期）"] = " (overdue)",
        ["本单位的巡察整改"] = "Inspections of my unit",
        ["暂无可查看的巡察整改。"] = "No inspection to show.",
        // Ledger page
        ["反馈日期"] = "Feedback date",
        ["问题数"] = "Problems",
        ["已完成整改"] = "Completed",
        ["基本完成"] = "Basically completed",
        ["未完成"] = "Not completed",
        ["整改完成率"] = "Completion rate",
        ["逾期措施"] = "Overdue measures",
        ["导出 Excel 台账"] = "Export Excel ledger",
        ["导出整改情况通报（Word）"] = "Export notice (Word)",
        ["通报网页版"] = "Notice as web page",
        ["统计图表"] = "Charts",
        ["周督查表"] = "Weekly grid",
        ["导入到此台账"] = "Import into this ledger",
        ["筛选"] = "Filters",
        ["责任部门"] = "Department",
        ["责任人/领导"] = "Person/leader",
        ["整改方式"] = "Mode",
        ["只看逾期"] = "Overdue only",
        ["搜索"] = "Search",
        ["问题、措施、责任人"] = "problem, measure, person",
        ["全部"] = "All",
        ["问题清单（{0}）"] = "Problems ({0})",
        ["任务清单（{0}）"] = "Measures ({0})",
        ["责任清单（{0}）"] = "Responsibilities ({0})",
        ["序号"] = "No.",
        ["问题类别"] = "Category",
        ["措施数"] = "Measures",
        ["已完成措施"] = "Completed measures",
        ["逾期"] = "Overdue",
        ["整改状态"] = "Status",
        ["措施"] = "No.",
        ["灯"] = "Light",
        ["牵头部门"] = "Lead department",
        ["操作"] = "Action",
        ["编辑"] = "Edit",
        ["已完成"] = "Completed",
        ["完成率"] = "Rate",
        ["红灯"] = "Red light",
        ["黄灯"] = "Yellow light",
        ["绿灯"] = "Green light",
        // Status wordings (StatusRules) and modes
        ["尚未启动"] = "Not started",
        ["整改推进中"] = "In progress",
        ["申请延期"] = "Extension requested",
        ["已整改，待验收销号"] = "Awaiting closure",
        ["已整改"] = "Rectified",
        ["已整改，长期坚持"] = "Rectified, kept up",
        ["已整改销号"] = "Closed",
        ["立行立改"] = "Fix now",
        ["限期整改"] = "Fix by a date",
        ["长期坚持"] = "Keep at it",
    }.ToFrozenDictionary();
}
