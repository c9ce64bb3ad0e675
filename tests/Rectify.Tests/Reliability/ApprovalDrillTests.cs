using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Audit;
using Rectify.Core.Organisations;
using Rectify.Core.Workflow;
using Rectify.Tests.Support;
using Rectify.Tests.Workflow;
using Xunit.Abstractions;

namespace Rectify.Tests.Reliability;

/// <summary>
/// Many approvers decide the same closure requests at once (责任领导, 单位整改办 and 巡察办, two sessions each, and the
/// admin), while editors change the same measures: every answer is 200, 403 (not your step), 409 (decided or changed
/// meanwhile) or 400, never 5xx; every step is decided exactly once; each 200 is exactly one stored step; no measure
/// edit is lost; the audit chain stays valid.
/// </summary>
public class ApprovalDrillTests(ITestOutputHelper output)
{
    public static TheoryData<string> Providers => TestDatabases.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task SameRequests_ManyApproversAndEditorsAtOnce_EachStepDecidedOnceNoLostUpdateNo500(string provider)
    {
        const int requests = 6;
        await using var app = await TestApp.StartAsync(provider);
        var w = await app.SeedWorldAsync();
        long leaderPerson;
        await using (var db = app.Open())
        {
            var leader = new Person { Name = "李局长", Post = "副局长", OrganisationId = w.A.DepartmentId, UnitId = w.A.UnitId };
            db.People.Add(leader);
            await db.SaveChangesAsync();
            leaderPerson = leader.Id;
            (await db.Users.SingleAsync(u => u.UserName == "owner-a")).PersonId = w.A.PersonId;
            (await db.Users.SingleAsync(u => u.UserName == "leader-a")).PersonId = leader.Id;
            await db.SaveChangesAsync();
        }
        var unitAdmin = await app.ClientFor("unit_admin-a");
        var owner = await app.ClientFor("owner-a");
        var measures = new List<long>();
        var requestIds = new List<long>();
        for (int i = 0; i < requests; i++)
        {
            var m = await HttpAssert.Ok<JsonElement>(await unitAdmin.PostJson($"/api/problems/{w.A.ProblemId}/measures",
                new { text = $"措施{i}", ownerId = w.A.PersonId, leaderId = leaderPerson, deadline = "2022-08-31", status = "in_progress" }));
            var id = m.GetProperty("id").GetInt64();
            measures.Add(id);
            var evidence = await WorkflowScenarioTests.UploadAsync(owner, id, WorkflowScenarioTests.Pdf, $"纪要{i}.pdf");
            var r = await HttpAssert.Ok<JsonElement>(await owner.PostJson($"/api/measures/{id}/closure", new { statement = $"措施{i}已完成", evidenceIds = new[] { evidence } }));
            requestIds.Add(r.GetProperty("id").GetInt64());
        }

        var deciders = new List<(string Who, HttpClient Client)>();
        foreach (var user in new[] { "leader-a", "leader-a", "unit_admin-a", "unit_admin-a", "office", "office", "admin" })
            deciders.Add((user, await app.ClientFor(user)));
        var editors = new List<HttpClient> { await app.ClientFor("unit_admin-a"), await app.ClientFor("unit_admin-a"), await app.ClientFor("admin") };

        var decisions = new ConcurrentBag<(long Request, int Status)>();
        var edits = new ConcurrentBag<(long Measure, int Status, int Version)>();
        var unexpected = new ConcurrentBag<string>();
        using var start = new SemaphoreSlim(0);
        var deciding = deciders.Select((d, k) => Task.Run(async () =>
        {
            await start.WaitAsync();
            var random = new Random(k);
            for (int pass = 0; pass < 8; pass++)
                foreach (var id in requestIds.OrderBy(_ => random.Next()))
                {
                    // Return one request in six (with an opinion), approve the rest.
                    var back = random.Next(6) == 0;
                    var r = await d.Client.PostJson($"/api/requests/{id}/{(back ? "return" : "approve")}", new { opinion = back ? "材料不全，退回" : "同意" });
                    var text = await r.Content.ReadAsStringAsync();
                    decisions.Add((id, (int)r.StatusCode));
                    if (r.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Forbidden or HttpStatusCode.Conflict or HttpStatusCode.BadRequest))
                        unexpected.Add($"{d.Who} decide {id}: {(int)r.StatusCode} {text}");
                }
        })).ToList();
        var editing = editors.Select((c, k) => Task.Run(async () =>
        {
            await start.WaitAsync();
            for (int n = 0; n < 10; n++)
                foreach (var id in measures)
                {
                    var read = JsonDocument.Parse(await c.GetStringAsync($"/api/measures/{id}")).RootElement;
                    var r = await c.PutJson($"/api/measures/{id}", new { remarks = $"编辑{k}-{n}", version = read.GetProperty("version").GetInt32() });
                    var text = await r.Content.ReadAsStringAsync();
                    edits.Add((id, (int)r.StatusCode, r.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt32() : 0));
                    if (r.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Conflict)) unexpected.Add($"edit {id}: {(int)r.StatusCode} {text}");
                }
        })).ToList();
        start.Release(deciders.Count + editors.Count);
        await Task.WhenAll(deciding.Concat(editing));

        await using var check = app.Open();
        var steps = await check.ApprovalSteps.AsNoTracking().Where(s => requestIds.Contains(s.RequestId)).ToListAsync();
        var stored = await check.ClosureRequests.AsNoTracking().Where(r => requestIds.Contains(r.Id)).ToListAsync();
        var states = stored.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count());
        var summary = $"approvals {provider}: {requests} closure requests, {deciders.Count} approvers + {editors.Count} editors at once — decisions " +
                      string.Join(", ", decisions.GroupBy(d => d.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")) +
                      "; measure edits " + string.Join(", ", edits.GroupBy(e => e.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}")) +
                      $"; {steps.Count} steps stored; requests " + string.Join(", ", states.Select(s => $"{s.Key}×{s.Value}"));
        output.WriteLine(summary);
        Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected.Take(20)));

        foreach (var r in stored)
        {
            var mine = steps.Where(s => s.RequestId == r.Id).OrderBy(s => s.StepIndex).ToList();
            // Exactly one decision per step, steps in order without gaps; each 200 answer is exactly one stored step.
            Assert.Equal(Enumerable.Range(0, mine.Count), mine.Select(s => s.StepIndex));
            Assert.Equal(mine.Count, decisions.Count(d => d.Request == r.Id && d.Status == 200));
            Assert.NotEqual(RequestState.Pending, r.State);
            if (r.State == RequestState.Approved)
            {
                Assert.Equal(r.ChainSteps.Length, mine.Count);
                Assert.All(mine, s => Assert.Equal(RequestState.Approved, s.Decision));
            }
            else
            {
                Assert.Equal(RequestState.Returned, r.State);
                Assert.Equal(RequestState.Returned, mine[^1].Decision);
                Assert.Single(mine, s => s.Decision == RequestState.Returned);
            }
        }

        foreach (var id in measures)
        {
            // No lost edit: the successful edits of a measure have distinct versions, and every change of the row
            // (edits and the status change of a final approval or a return) is one audit event and one version.
            var ok = edits.Where(e => e.Measure == id && e.Status == 200).Select(e => e.Version).ToList();
            Assert.Equal(ok.Count, ok.Distinct().Count());
            var m = await check.Measures.AsNoTracking().SingleAsync(x => x.Id == id);
            var updates = await check.AuditEvents.CountAsync(e => e.EntityType == "Measure" && e.EntityId == id && e.Action == "updated");
            Assert.Equal(m.Version - 1, updates);
            Assert.True(ok.All(v => v <= m.Version));
        }
        var chain = await AuditChain.VerifyAsync(check);
        Assert.True(chain.Ok, chain.Problem);
    }
}
