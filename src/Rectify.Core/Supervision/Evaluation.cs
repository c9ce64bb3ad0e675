using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;

namespace Rectify.Core.Supervision;

/// <summary>One criterion of a scoring sheet: code, wording, the most points it gives.</summary>
public sealed record Criterion(string Code, string Title, decimal MaxScore);

/// <summary>A grade from a minimum total, and the follow-up it triggers (interview 约谈, re_rectify 二次整改, or none).</summary>
public sealed record GradeBand(string Grade, decimal MinScore, string? FollowUp);

/// <summary>整改评估 scoring sheet of a round: criteria and grade bands, configurable by the office.</summary>
public sealed class EvaluationSheet : Entity
{
    public long RoundId { get; set; }
    public required string Name { get; set; }
    public string CriteriaJson { get; set; } = "[]";
    public string GradesJson { get; set; } = "[]";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [JsonIgnore] public IReadOnlyList<Criterion> Criteria
    {
        get => JsonSerializer.Deserialize<List<Criterion>>(CriteriaJson, Json) ?? [];
        set => CriteriaJson = JsonSerializer.Serialize(value, Json);
    }

    [JsonIgnore] public IReadOnlyList<GradeBand> Grades
    {
        get => JsonSerializer.Deserialize<List<GradeBand>>(GradesJson, Json) ?? [];
        set => GradesJson = JsonSerializer.Serialize(value, Json);
    }
}

/// <summary>The evaluation of one unit in a round: scores per criterion, total, grade, follow-up.</summary>
public sealed class UnitEvaluation : Entity, IUnitOwned
{
    public long RoundId { get; set; }
    public long UnitId { get; set; }
    public string ScoresJson { get; set; } = "{}";
    public decimal Total { get; set; }
    public required string Grade { get; set; }
    /// <summary>interview (约谈), re_rectify (二次整改), or null.</summary>
    public string? FollowUp { get; set; }
    public string? Comment { get; set; }
    public DateTime EvaluatedAt { get; set; }
    public long? EvaluatorUserId { get; set; }
}

/// <summary>The sheet used when the office configured none, and the scoring rules.</summary>
public static class EvaluationRules
{
    public const string Interview = "interview";
    public const string ReRectify = "re_rectify";

    public static readonly Criterion[] DefaultCriteria =
    [
        new("responsibility", "整改主体责任落实", 20),
        new("completion", "反馈问题整改完成情况", 40),
        new("rules", "建章立制和长效机制", 15),
        new("outcome", "整改成效", 15),
        new("disclosure", "整改情况报告和公开", 10),
    ];

    public static readonly GradeBand[] DefaultGrades =
    [
        new("好", 90, null),
        new("较好", 80, null),
        new("一般", 60, Interview),
        new("差", 0, ReRectify),
    ];

    public static string FollowUpWording(string? f) => f switch
    {
        Interview => "约谈",
        ReRectify => "二次整改",
        _ => "",
    };

    /// <summary>Checks a sheet: criteria with unique codes and positive maxima; grades with distinct names, one of them from 0.</summary>
    public static void Validate(IReadOnlyList<Criterion> criteria, IReadOnlyList<GradeBand> grades)
    {
        if (criteria.Count == 0) throw new DomainRuleException("评分表至少需要一项评分标准。", "criteria");
        // A JSON body may carry null entries ([null]): refused like any other malformed entry, never a crash.
        if (criteria.Any(c => c is null)) throw new DomainRuleException("每项评分标准须有代码、名称和大于 0 的分值。", "criteria");
        if (grades.Any(g => g is null)) throw new DomainRuleException("等次不能为空项。", "grades");
        if (criteria.Select(c => c.Code).Distinct().Count() != criteria.Count) throw new DomainRuleException("评分标准的代码不能重复。", "criteria");
        if (criteria.Any(c => string.IsNullOrWhiteSpace(c.Code) || string.IsNullOrWhiteSpace(c.Title) || c.MaxScore <= 0))
            throw new DomainRuleException("每项评分标准须有代码、名称和大于 0 的分值。", "criteria");
        if (grades.Count == 0 || grades.All(g => g.MinScore > 0)) throw new DomainRuleException("等次须覆盖 0 分起的全部分数段。", "grades");
        if (grades.Select(g => g.Grade).Distinct().Count() != grades.Count) throw new DomainRuleException("等次名称不能重复。", "grades");
        if (grades.Any(g => g.FollowUp is not (null or Interview or ReRectify)))
            throw new DomainRuleException("后续处置只能是 interview（约谈）或 re_rectify（二次整改）。", "grades");
    }

    /// <summary>Total of the scores (each within 0–max of its criterion) and the grade of the highest band reached.</summary>
    public static (decimal Total, GradeBand Grade) Score(IReadOnlyList<Criterion> criteria, IReadOnlyList<GradeBand> grades, IReadOnlyDictionary<string, decimal> scores)
    {
        foreach (var code in scores.Keys)
            if (criteria.All(c => c.Code != code)) throw new DomainRuleException($"评分表中没有“{code}”这一项。", "scores");
        decimal total = 0;
        foreach (var c in criteria)
        {
            if (!scores.TryGetValue(c.Code, out var v)) throw new DomainRuleException($"缺少“{c.Title}”的得分。", "scores");
            if (v < 0 || v > c.MaxScore) throw new DomainRuleException($"“{c.Title}”的得分须在 0–{c.MaxScore:0.##} 之间。", "scores");
            total += v;
        }
        var grade = grades.OrderByDescending(g => g.MinScore).First(g => total >= g.MinScore);
        return (total, grade);
    }

    public static async Task<(IReadOnlyList<Criterion> Criteria, IReadOnlyList<GradeBand> Grades, string Name)> SheetAsync(RectifyDb db, long roundId, CancellationToken ct)
    {
        var sheet = await db.EvaluationSheets.AsNoTracking().FirstOrDefaultAsync(s => s.RoundId == roundId, ct);
        return sheet is null ? (DefaultCriteria, DefaultGrades, "整改评估评分表") : (sheet.Criteria, sheet.Grades, sheet.Name);
    }
}
