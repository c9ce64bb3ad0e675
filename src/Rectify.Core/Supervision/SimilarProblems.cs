using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Rectify.Core.Data;

namespace Rectify.Core.Supervision;

/// <summary>A problem as the similarity index sees it.</summary>
public sealed record ProblemText(long Id, long UnitId, long InspectionId, long? RoundId, string Title, string? Description);

/// <summary>A similar problem: which, where, and the cosine similarity (0–1).</summary>
public sealed record SimilarProblem(long ProblemId, long UnitId, long InspectionId, long? RoundId, string Title, double Score);

/// <summary>A cluster of similar problems across units: one sector-wide measure may answer them all.</summary>
public sealed record ProblemCluster(string Label, int UnitCount, IReadOnlyList<SimilarProblem> Problems);

/// <summary>
/// TF-IDF over Chinese character bigrams and trigrams (no word segmentation), cosine similarity, an inverted index for
/// queries. Immutable once built; <see cref="ProblemSimilarity"/> caches one per database and data version.
/// </summary>
public sealed class ProblemIndex
{
    readonly Dictionary<long, int> _row = [];
    readonly ProblemText[] _docs;
    readonly (int Term, float Weight)[][] _vectors;
    readonly List<(int Doc, float Weight)>[] _postings;

    public ProblemIndex(IReadOnlyList<ProblemText> problems)
    {
        _docs = [.. problems];
        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = new Dictionary<int, int>[_docs.Length];
        var df = new List<int>();
        for (int d = 0; d < _docs.Length; d++)
        {
            _row[_docs[d].Id] = d;
            var tf = new Dictionary<int, int>();
            foreach (var g in Grams(_docs[d].Title + "。" + _docs[d].Description))
            {
                if (!terms.TryGetValue(g, out var t)) { t = terms.Count; terms[g] = t; df.Add(0); }
                tf[t] = tf.GetValueOrDefault(t) + 1;
            }
            foreach (var t in tf.Keys) df[t]++;
            counts[d] = tf;
        }
        _postings = new List<(int, float)>[terms.Count];
        for (int t = 0; t < _postings.Length; t++) _postings[t] = [];
        _vectors = new (int, float)[_docs.Length][];
        double n = _docs.Length;
        for (int d = 0; d < _docs.Length; d++)
        {
            var v = counts[d].Select(kv => (Term: kv.Key, W: (1 + Math.Log(kv.Value)) * Math.Log((1 + n) / (1 + df[kv.Key])) + 1e-9)).ToList();
            var norm = Math.Sqrt(v.Sum(x => x.W * x.W));
            _vectors[d] = [.. v.Select(x => (x.Term, (float)(norm == 0 ? 0 : x.W / norm)))];
            foreach (var (t, w) in _vectors[d]) _postings[t].Add((d, w));
        }
    }

    public int Count => _docs.Length;
    public bool Contains(long problemId) => _row.ContainsKey(problemId);

    /// <summary>Character bigrams and trigrams of each run of letters, digits and CJK characters (punctuation splits runs).</summary>
    public static IEnumerable<string> Grams(string text)
    {
        var run = new System.Text.StringBuilder();
        foreach (var c in text.Append('。'))
        {
            if (char.IsLetterOrDigit(c)) { run.Append(char.ToLowerInvariant(c)); continue; }
            if (run.Length > 0)
            {
                var s = run.ToString();
                if (s.Length == 1) yield return s;
                for (int i = 0; i + 2 <= s.Length; i++) yield return s.Substring(i, 2);
                for (int i = 0; i + 3 <= s.Length; i++) yield return s.Substring(i, 3);
                run.Clear();
            }
        }
    }

    /// <summary>Similarity of one indexed problem to every other with a shared term, via the postings.</summary>
    public Dictionary<int, double> Scores(long problemId, int maxPostings = int.MaxValue)
    {
        if (!_row.TryGetValue(problemId, out var d)) return [];
        return WithScores(d, maxPostings, (acc, touched) => touched.ToDictionary(o => o, o => acc[o]));
    }

    /// <summary>
    /// Sums the similarity of document <paramref name="d"/> to every other sharing a term (terms with more than
    /// <paramref name="maxPostings"/> postings left out) in a dense pooled array — a query touches tens of thousands of
    /// documents, and a dictionary update per posting cost most of a request — and hands the sums and the documents
    /// touched to <paramref name="use"/> before the array goes back to the pool.
    /// </summary>
    T WithScores<T>(int d, int maxPostings, Func<double[], List<int>, T> use)
    {
        var acc = System.Buffers.ArrayPool<double>.Shared.Rent(_docs.Length);
        var touched = new List<int>();
        try
        {
            Array.Clear(acc, 0, _docs.Length);
            foreach (var (t, w) in _vectors[d])
            {
                if (_postings[t].Count > maxPostings) continue;
                foreach (var (other, w2) in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_postings[t]))
                {
                    if (other == d) continue;
                    // Weights are positive, so a zero sum means not touched yet.
                    if (acc[other] == 0) touched.Add(other);
                    acc[other] += w * w2;
                }
            }
            return use(acc, touched);
        }
        finally { System.Buffers.ArrayPool<double>.Shared.Return(acc); }
    }

    /// <summary>
    /// The most similar problems in other inspections (other units, earlier rounds of the same unit) among those
    /// <paramref name="visible"/> accepts, best first.
    /// </summary>
    public IReadOnlyList<SimilarProblem> Similar(long problemId, int take, Func<ProblemText, bool> visible, double min = 0.05)
    {
        if (!_row.TryGetValue(problemId, out var d)) return [];
        var self = _docs[d];
        // Terms in more than a tenth of a large index carry almost no weight; skipping them keeps a query fast.
        return WithScores(d, Math.Max(1000, _docs.Length / 10), (acc, touched) =>
        {
            // The best `take` by (score descending, id ascending) in one pass over the touched documents (often tens of
            // thousands): a heap of `take` whose root is the worst kept, instead of sorting every candidate.
            var best = new PriorityQueue<int, (double Score, long Id)>(take + 1, WorstFirst);
            foreach (var o in touched)
            {
                if (acc[o] < min || _docs[o].InspectionId == self.InspectionId) continue;
                if (best.Count == take && best.TryPeek(out _, out var worst) && WorstFirst.Compare((acc[o], _docs[o].Id), worst) <= 0) continue;
                if (!visible(_docs[o])) continue;
                best.Enqueue(o, (acc[o], _docs[o].Id));
                if (best.Count > take) best.Dequeue();
            }
            var list = new List<SimilarProblem>(best.Count);
            while (best.TryDequeue(out var o, out _)) list.Add(Hit(o, acc[o]));
            list.Reverse();
            return (IReadOnlyList<SimilarProblem>)list;
        });
    }

    /// <summary>Orders candidates from worst to best: lower score first, then higher id (ids ascending win ties).</summary>
    static readonly Comparer<(double Score, long Id)> WorstFirst = Comparer<(double Score, long Id)>.Create((a, b) =>
        a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Id.CompareTo(a.Id));

    SimilarProblem Hit(int doc, double score)
    {
        var p = _docs[doc];
        return new SimilarProblem(p.Id, p.UnitId, p.InspectionId, p.RoundId, p.Title, Math.Round(score, 4));
    }

    /// <summary>
    /// Clusters of the given problems: pairs in different units whose similarity reaches <paramref name="threshold"/>
    /// are joined (union-find); clusters spanning at least two units, largest first. Labelled by their most central problem.
    /// On a large index the most common terms (in more than 2% of the problems, and more than 200) are left out of the
    /// similarity: their weight is small and they would join almost everything.
    /// </summary>
    /// <remarks>
    /// Pairs are found with the All-Pairs prefix filter (Bayardo, Ma and Srikant, 2007), which is exact: terms are ordered
    /// from common to rare; each vector indexes only its suffix, from the point where the running sum of
    /// weight × (largest weight of that term among the members) reaches the threshold. Two vectors whose dot product
    /// reaches the threshold must then share a term in the indexed suffix of the earlier one, so only such candidates
    /// are scored, and their score is completed with the unindexed prefix. Postings stay short (rare terms), which turns
    /// the quadratic pairing of a round into roughly linear work.
    /// </remarks>
    public IReadOnlyList<ProblemCluster> Clusters(IReadOnlyCollection<long> problemIds, double threshold)
    {
        var members = problemIds.Where(_row.ContainsKey).Select(id => _row[id]).Distinct().Order().ToArray();
        var cap = Math.Max(200, _docs.Length / 50);
        // The members' vectors without the most common terms of the index.
        var vectors = members.Select(d => _vectors[d].Where(x => _postings[x.Term].Count <= cap).ToArray()).ToArray();
        var df = new Dictionary<int, int>();
        var maxWeight = new Dictionary<int, float>();
        foreach (var v in vectors)
            foreach (var (t, w) in v)
            {
                df[t] = df.GetValueOrDefault(t) + 1;
                if (w > maxWeight.GetValueOrDefault(t)) maxWeight[t] = w;
            }
        // Common terms first: they stay in the unindexed prefixes; the inverted index holds the rare ones.
        foreach (var v in vectors) Array.Sort(v, (a, b) => df[a.Term] != df[b.Term] ? df[b.Term].CompareTo(df[a.Term]) : a.Term.CompareTo(b.Term));
        var prefixEnd = new int[members.Length];
        var inverted = new Dictionary<int, List<(int Member, float Weight)>>();
        var parent = Enumerable.Range(0, members.Length).ToArray();
        int Find(int x) { while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
        var degree = new double[members.Length];
        var units = members.Select(m => _docs[m].UnitId).ToArray();
        // Scratch space reused for every vector: accumulated scores by member, and x's weights by term.
        var partial = new double[members.Length];
        var touched = new List<int>();
        var weights = new float[_postings.Length];
        var bound = threshold - 1e-6;
        for (int k = 0; k < members.Length; k++)
        {
            var x = vectors[k];
            var unit = units[k];
            touched.Clear();
            foreach (var (t, w) in x)
                if (inverted.TryGetValue(t, out var list))
                    foreach (var (y, wy) in list)
                    {
                        if (units[y] == unit) continue;
                        if (partial[y] == 0) touched.Add(y);
                        partial[y] += w * wy;
                    }
            if (touched.Count > 0)
            {
                foreach (var (t, w) in x) weights[t] = w;
                foreach (var y in touched)
                {
                    double score = partial[y];
                    partial[y] = 0;
                    var vy = vectors[y];
                    for (int i = 0; i < prefixEnd[y]; i++) score += weights[vy[i].Term] * vy[i].Weight;
                    if (score < threshold) continue;
                    var (a, b) = (Find(k), Find(y));
                    if (a != b) parent[a] = b;
                    degree[k] += score;
                    degree[y] += score;
                }
                foreach (var (t, _) in x) weights[t] = 0;
            }
            // Index the suffix of x that a vector reaching the threshold with it must touch.
            double sum = 0;
            prefixEnd[k] = x.Length;
            for (int i = 0; i < x.Length; i++)
            {
                sum += x[i].Weight * maxWeight[x[i].Term];
                if (sum < bound) continue;
                prefixEnd[k] = i;
                for (int j = i; j < x.Length; j++)
                {
                    if (!inverted.TryGetValue(x[j].Term, out var list)) inverted[x[j].Term] = list = [];
                    list.Add((k, x[j].Weight));
                }
                break;
            }
        }
        return [.. Enumerable.Range(0, members.Length).GroupBy(Find).Where(g => g.Select(m => _docs[members[m]].UnitId).Distinct().Count() >= 2)
            .Select(g =>
            {
                var list = g.OrderByDescending(m => degree[m]).ThenBy(m => _docs[members[m]].Id).ToList();
                return new ProblemCluster(_docs[members[list[0]]].Title, g.Select(m => _docs[members[m]].UnitId).Distinct().Count(),
                    [.. list.Select(m => Hit(members[m], degree[m]))]);
            })
            .OrderByDescending(c => c.Problems.Count).ThenBy(c => c.Problems[0].ProblemId)];
    }

    /// <summary>
    /// The clusters as the first version computed them: every member scored against every other through the postings.
    /// Quadratic; kept to check <see cref="Clusters"/> against it.
    /// </summary>
    internal IReadOnlyList<ProblemCluster> ClustersByBruteForce(IReadOnlyCollection<long> problemIds, double threshold)
    {
        var members = problemIds.Where(_row.ContainsKey).Select(id => _row[id]).ToHashSet();
        var parent = members.ToDictionary(m => m, m => m);
        int Find(int x) { while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
        var degree = new Dictionary<int, double>();
        foreach (var d in members)
            foreach (var (other, score) in Scores(_docs[d].Id, Math.Max(200, _docs.Length / 50)))
            {
                if (other <= d || !members.Contains(other) || score < threshold || _docs[other].UnitId == _docs[d].UnitId) continue;
                var (a, b) = (Find(d), Find(other));
                if (a != b) parent[a] = b;
                degree[d] = degree.GetValueOrDefault(d) + score;
                degree[other] = degree.GetValueOrDefault(other) + score;
            }
        return [.. members.GroupBy(Find).Where(g => g.Select(m => _docs[m].UnitId).Distinct().Count() >= 2)
            .Select(g =>
            {
                var list = g.OrderByDescending(m => degree.GetValueOrDefault(m)).ThenBy(m => _docs[m].Id).ToList();
                return new ProblemCluster(_docs[list[0]].Title, g.Select(m => _docs[m].UnitId).Distinct().Count(),
                    [.. list.Select(m => Hit(m, degree.GetValueOrDefault(m)))]);
            })
            .OrderByDescending(c => c.Problems.Count).ThenBy(c => c.Problems[0].ProblemId)];
    }
}

/// <summary>
/// 举一反三: similar problems and clusters. The index covers every problem of the database (built with no scope) and
/// is cached per database; it is rebuilt when the caller's <c>version</c> changes: the newest audit sequence of an event
/// of a problem or an inspection (a change of text, unit or round), which the server keeps in memory
/// (<c>AuditHeads.CurrentProblemsAsync</c>) — asked of the database, it walked the audit trail back to the last problem
/// edit behind millions of weekly reports' events. Results are always filtered by the caller's scope.
/// </summary>
public static class ProblemSimilarity
{
    static readonly ConcurrentDictionary<string, (long Version, ProblemIndex Index)> Cache = new();
    static readonly SemaphoreSlim Building = new(1, 1);

    /// <summary>Default cut for clusters: cosine similarity of two reworded statements of the same problem.</summary>
    public const double ClusterThreshold = 0.35;

    /// <summary>The index of every problem, built anew when <paramref name="version"/> is not the one it was built at.</summary>
    public static async Task<ProblemIndex> IndexAsync(RectifyDb db, long version, CancellationToken ct = default)
    {
        var key = db.DatabaseKey;
        if (Cache.TryGetValue(key, out var hit) && hit.Version == version) return hit.Index;
        await Building.WaitAsync(ct);
        try
        {
            if (Cache.TryGetValue(key, out hit) && hit.Version == version) return hit.Index;
            var rows = await db.Problems.IgnoreQueryFilters().AsNoTracking()
                .Join(db.Inspections.IgnoreQueryFilters(), p => p.InspectionId, i => i.Id,
                    (p, i) => new ProblemText(p.Id, p.UnitId, p.InspectionId, i.RoundId, p.Title, p.Description))
                .ToListAsync(ct);
            var index = new ProblemIndex(rows);
            Cache[key] = (version, index);
            return index;
        }
        finally { Building.Release(); }
    }

    public static async Task<IReadOnlyList<SimilarProblem>> SimilarAsync(RectifyDb db, long version, long problemId, int take = 10, CancellationToken ct = default)
    {
        var index = await IndexAsync(db, version, ct);
        return index.Similar(problemId, take, p => db.Scope.CanSeeUnit(p.UnitId));
    }

    public static async Task<IReadOnlyList<ProblemCluster>> ClustersAsync(RectifyDb db, long version, long roundId, double threshold = ClusterThreshold, CancellationToken ct = default)
    {
        // Problems of the round inside the caller's scope (query filter).
        var ids = await db.Problems.AsNoTracking()
            .Where(p => db.Inspections.Any(i => i.Id == p.InspectionId && i.RoundId == roundId)).Select(p => p.Id).ToListAsync(ct);
        var index = await IndexAsync(db, version, ct);
        return index.Clusters(ids, threshold);
    }
}
