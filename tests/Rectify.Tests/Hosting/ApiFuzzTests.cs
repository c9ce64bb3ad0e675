using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rectify.Tests.Access;
using Rectify.Tests.Support;
using Xunit.Abstractions;

namespace Rectify.Tests.Hosting;

/// <summary>
/// Hostile JSON bodies on every POST/PUT endpoint of /openapi/v1.json: each valid body (the authorisation matrix's) is
/// mutated — wrong types, nulls, huge strings, a 10 MB single line, invalid UTF-8 and GB18030 bytes, deep nesting,
/// unknown fields, negative and huge numbers, broken JSON. The server must never answer 5xx, and every refusal must be
/// ProblemDetails with a Chinese title.
/// </summary>
public class ApiFuzzTests(ITestOutputHelper output)
{
    static ApiFuzzTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task EveryJsonEndpoint_HostileBodies_NeverServerErrorAlwaysProblemDetails(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        var world = await MatrixWorld.SeedAsync(app);
        var admin = await app.ClientFor("admin");
        var openApi = JsonNode.Parse(await app.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var failures = new List<string>();
        int inputs = 0, endpoints = 0;
        var statuses = new SortedDictionary<int, int>();
        foreach (var (template, item) in openApi["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is not ("post" or "put") || operation?["requestBody"]?["content"]?["application/json"] is null) continue;
                var endpoint = $"{method.ToUpperInvariant()} {template}";
                endpoints++;
                var tree = await world.NewTreeAsync(world.A);
                var valid = AuthorisationMatrixTests.Build(endpoint, tree, world.A, world, 0, other: false);
                var url = valid.RequestUri!.ToString();
                var body = JsonNode.Parse(await valid.Content!.ReadAsStringAsync())!;
                foreach (var (name, bytes) in Mutations(body, tenMegabytes: endpoints <= 4))
                {
                    var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url) { Content = new ByteArrayContent(bytes) };
                    request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
                    var response = await admin.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    inputs++;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status >= 500) failures.Add($"{endpoint} {name} → {status} {Short(text)}");
                    else if (status >= 400 && !IsChineseProblem(response, text)) failures.Add($"{endpoint} {name} → {status} not a Chinese ProblemDetails: {Short(text)}");
                }
            }
        output.WriteLine($"API fuzz ({provider}): {endpoints} JSON endpoints, {inputs} hostile bodies, {failures.Count} failures; statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(40)));
        Assert.True(endpoints >= 30 && inputs > 1500, $"{endpoints} endpoints, {inputs} inputs");
    }

    /// <summary>The upload path of the importer: text files in invalid UTF-8, GB18030 and a mix, through the preview endpoint.</summary>
    [Fact]
    public async Task ImportPreview_InvalidUtf8AndGb18030Files_ReadOrRefusedInChineseNever500()
    {
        await using var app = await TestApp.StartAsync("sqlite");
        await app.SeedWorldAsync();
        var c = await app.ClientFor("unit_admin-a");
        const string notice = "一、政治建设方面\n1.学习贯彻习近平新时代中国特色社会主义思想不深入。\n整改措施：制定学习计划。\n";
        var gb = Encoding.GetEncoding("GB18030").GetBytes(notice);
        var cases = new (string Name, byte[] Bytes)[]
        {
            ("GB18030", gb),
            ("invalid UTF-8 only", [0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1, 0xF0, 0x28, 0x8C, 0xBC, 0xFF, 0xFE, 0xFD]),
            ("UTF-8 with invalid bytes inside", [.. Utf8(notice[..10]), 0xC0, 0xAF, 0xED, 0xA0, 0x80, .. Utf8(notice[10..])]),
            ("UTF-8 then GB18030", [.. Utf8(notice), .. gb]),
            ("GB18030 with a UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. gb]),
            ("UTF-16 without BOM", Encoding.Unicode.GetBytes(notice)),
        };
        foreach (var (name, bytes) in cases)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(bytes) { Headers = { ContentType = new("text/plain") } }, "file", "通知.txt");
            var r = await c.PostAsync("/api/import/preview", form);
            var text = await r.Content.ReadAsStringAsync();
            Assert.True((int)r.StatusCode is 200 or 400, $"{name}: {(int)r.StatusCode} {Short(text)}");
            if (r.StatusCode != System.Net.HttpStatusCode.OK) Assert.True(IsChineseProblem(r, text), $"{name}: {Short(text)}");
            if (name == "GB18030") Assert.Contains("学习贯彻习近平新时代中国特色社会主义思想不深入", text);
        }
    }

    static string Short(string s) => s.Length > 300 ? s[..300] : s;

    static bool IsChineseProblem(HttpResponseMessage r, string text)
    {
        if (r.Content.Headers.ContentType?.MediaType != "application/problem+json") return false;
        try
        {
            var title = JsonDocument.Parse(text).RootElement.GetProperty("title").GetString() ?? "";
            return title.Any(c => c is >= '\u4E00' and <= '\u9FFF');
        }
        catch (JsonException) { return false; }
    }

    static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    /// <summary>The hostile variants of one valid body, named for the failure message.</summary>
    static IEnumerable<(string Name, byte[] Bytes)> Mutations(JsonNode valid, bool tenMegabytes)
    {
        var json = valid.ToJsonString();
        yield return ("empty body", []);
        foreach (var raw in new[] { "null", "[]", "\"text\"", "123", "true", "{", "{\"a\":", "{}{}", "{\"a\":1,}", "{'a':1}", "{\"a\":NaN}" })
            yield return ($"raw {raw}", Utf8(raw));
        yield return ("array nesting 5000", Utf8(new string('[', 5000) + new string(']', 5000)));
        yield return ("object nesting 300", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + new string('}', 300)));
        yield return ("BOM before valid body", [0xEF, 0xBB, 0xBF, .. Utf8(json)]);
        // The body limit is checked before any endpoint code runs: a few endpoints suffice (CI time); 1.5 MB on the rest.
        yield return (tenMegabytes ? "10 MB single line" : "1.5 MB single line", Utf8(json.TrimEnd('}') + (json.Length > 2 ? "," : "") + "\"pad\":\"" + new string('x', tenMegabytes ? 10 * 1024 * 1024 : 1536 * 1024) + "\"}"));
        yield return ("truncated valid body", Utf8(json[..(json.Length / 2)]));
        yield return ("unknown fields", Utf8(json.TrimEnd('}') + (json.Length > 2 ? "," : "") + "\"__proto__\":{\"admin\":true},\"id\":1,\"unitId\":999999}"));
        yield return ("duplicate keys", Utf8(json.TrimEnd('}') + (json.Length > 2 ? "," : "") + json.TrimStart('{')));
        if (valid is not JsonObject obj) yield break;
        foreach (var (field, value) in obj.ToList())
        {
            var hostile = new (string, string)[]
            {
                ("null", "null"), ("number", "123"), ("negative", "-1"), ("huge", "1e308"), ("beyond long", "9223372036854775808"),
                ("below int", "-2147483649"), ("fraction", "0.5"), ("string", "\"abc\""), ("bool", "true"), ("array", "[]"), ("object", "{}"),
                ("huge string", JsonSerializer.Serialize(new string('长', 200_000))), ("nested array", new string('[', 60) + new string(']', 60)),
                ("bad date", "\"2022-13-45\""), ("NUL and lone surrogate", "\"@@LONE@@\""), ("script", "\"<script>alert(1)</script>\""),
                ("array of nulls", "[null,null]"), ("array of strings", "[\"a\",\"b\"]"),
            };
            foreach (var (name, replacement) in hostile)
            {
                var copy = JsonNode.Parse(json)!.AsObject();
                copy[field] = JsonNode.Parse(replacement);
                yield return ($"{field}={name}", Utf8(copy.ToJsonString().Replace("@@LONE@@", "a\\u0000b\\ud800c")));
            }
            if (value is JsonValue v && v.TryGetValue<string>(out _))
            {
                // Raw bytes inside the string: invalid UTF-8, and GB18030 (what a Windows client might send).
                var prefix = Utf8(json[..json.IndexOf($"\"{field}\"", StringComparison.Ordinal)] + $"\"{field}\":\"");
                var rest = json[(json.IndexOf($"\"{field}\"", StringComparison.Ordinal) + field.Length + 2)..];
                rest = rest[(rest.IndexOf('"', rest.IndexOf(':')) + 1)..];
                rest = rest[(rest.IndexOf('"') + 1)..];
                var suffix = Utf8("\"" + rest);
                yield return ($"{field}=invalid UTF-8", [.. prefix, 0xC3, 0x28, 0xFF, 0xFE, 0x80, .. suffix]);
                yield return ($"{field}=GB18030 bytes", [.. prefix, .. Encoding.GetEncoding("GB18030").GetBytes("整改落实"), .. suffix]);
            }
        }
    }
}
