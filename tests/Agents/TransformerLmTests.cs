using NUnit.Framework;
using Sim.Agents.Data;
using Sim.Agents.Tokenization;
using Sim.Agents.Training;
using Sim.Agents.Transformer;
using Sim.Engine;
using TorchSharp;

namespace Sim.Tests.Agents;

public class TransformerLmTests
{
    private static readonly SimTokenizer Tok = SimTokenizer.CreateDefault();

    internal static TransformerConfig Tiny => new(Tok.VocabSize, Layers: 2, Width: 32, Heads: 2, Context: 64);

    private static TransformerLm NewTiny(ulong seed = 7) => TransformerLm.Create(Tiny, Tok, seed, torch.CPU);

    /// <summary>Each row's first <paramref name="promptLens"/>[r] tokens, left-padded to <paramref name="width"/>: ids,
    /// positions (0 at each row's first real token) and validity, row-major [rows, width].</summary>
    private static (long[] Ids, long[] Pos, bool[] Valid) LeftPadded(int[][] seqs, int[] promptLens, int width)
    {
        int b = seqs.Length;
        var ids = new long[b * width];
        var pos = new long[b * width];
        var valid = new bool[b * width];
        for (int r = 0; r < b; r++)
            for (int j = 0; j < promptLens[r]; j++)
            {
                int c = r * width + width - promptLens[r] + j;
                (ids[c], pos[c], valid[c]) = (seqs[r][j], j, true);
            }
        return (ids, pos, valid);
    }

    [Test]
    public void ConfigCountsItsParameters()
    {
        using var lm = NewTiny();
        long actual = lm.Model.parameters().Sum(p => p.numel());
        Assert.That(Tiny.Parameters, Is.EqualTo(actual));
        var standard = new TransformerConfig(Tok.VocabSize);
        Assert.That(standard.Parameters, Is.InRange(700_000, 1_300_000), "the default model is about 1M parameters");
    }

    [Test]
    public void KvCacheSamplingMatchesTeacherForcedLogProbs()
    {
        // Contexts of different lengths share one left-padded batch; the cached, masked decode must give the same
        // per-token log-probs as a plain causal forward over each full sequence.
        using var lm = NewTiny();
        var contexts = new[] { lm.EncodeContext("Goal 24\n", []), lm.EncodeContext("a much longer prompt here\n", ["8 - 3 = 5"]) };
        var rng = new Rng(3);
        var steps = lm.SampleSteps(contexts, new SamplingSettings(Samples: 2, MaxStepTokens: 10), ref rng);
        Assert.That(steps, Has.Length.EqualTo(4));
        var seqs = steps.Select((s, i) => contexts[i / 2].Concat(s.Tokens).ToArray()).ToArray();
        var forced = lm.TokenLogProbs(seqs, steps.Select((_, i) => contexts[i / 2].Length).ToArray());
        for (int i = 0; i < steps.Length; i++)
            Assert.That(steps[i].TokenLogProbs, Is.EqualTo(forced[i]).Within(1e-4f), $"row {i}");
    }

    [Test]
    public void CachedDecodeMatchesFullForwardLogits()
    {
        // Rows of different prompt lengths, left-padded into one cache: the prefill's last-position logits and every
        // single-token decode step (ForwardLast, and Forward's [B, 1, V] form) equal a plain causal forward over each
        // row's own unpadded sequence.
        using var lm = NewTiny(5);
        var rng = new Rng(9);
        int[] promptLens = [3, 7, 5];
        const int steps = 6, width = 7;
        var seqs = promptLens.Select(p => Enumerable.Range(0, p + steps).Select(_ => 4 + rng.NextInt(Tok.VocabSize - 4)).ToArray()).ToArray();
        int b = seqs.Length, v = Tok.VocabSize;
        using var noGrad = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var full = seqs.Select(s => lm.Model.forward(torch.tensor(s.Select(t => (long)t).ToArray(), [1, s.Length]))).ToArray();
        using var cache = new KvCache(Tiny, b, width + steps, torch.CPU);
        var (ids, pos, valid) = LeftPadded(seqs, promptLens, width);
        cache.Valid.narrow(1, 0, width).copy_(torch.tensor(valid, [b, width]));
        var logits = lm.Model.ForwardLast(torch.tensor(ids, [b, width]), torch.tensor(pos, [b, width]), cache);
        for (int t = 0; ; t++)
        {
            Assert.That(logits.shape, Is.EqualTo(new long[] { b, v }));
            for (int r = 0; r < b; r++)
            {
                var expected = full[r][0, promptLens[r] + t - 1];
                Assert.That(logits[r].allclose(expected, rtol: 0, atol: 1e-4), $"row {r}, step {t}: max diff {(logits[r] - expected).abs().max().item<float>()}");
            }
            if (t == steps) break;
            var stepIds = torch.tensor(seqs.Select((s, r) => (long)s[promptLens[r] + t]).ToArray(), [b, 1]);
            var stepPos = torch.tensor(promptLens.Select(p => (long)(p + t)).ToArray(), [b, 1]);
            if (t % 2 == 0) logits = lm.Model.ForwardLast(stepIds, stepPos, cache);
            else
            {
                var three = lm.Model.Forward(stepIds, stepPos, cache);
                Assert.That(three.shape, Is.EqualTo(new long[] { b, 1, v }));
                logits = three.select(1, 0);
            }
        }
        Assert.That(cache.Length, Is.EqualTo(width + steps));
    }

    [Test]
    public void HostAttentionDecodeMatchesLibtorchAttention()
    {
        // The same rows decoded twice from the same prefill: attention on the host (the CPU default) and through libtorch's
        // batched matrix products. Padded rows, several heads and a cache with spare capacity.
        using var lm = NewTiny(5);
        var rng = new Rng(4);
        int[] promptLens = [2, 6, 4, 6];
        const int steps = 5, width = 6, b = 4;
        var seqs = promptLens.Select(p => Enumerable.Range(0, p + steps).Select(_ => 4 + rng.NextInt(Tok.VocabSize - 4)).ToArray()).ToArray();
        using var noGrad = torch.inference_mode();
        using var scope = torch.NewDisposeScope();
        var (ids, pos, valid) = LeftPadded(seqs, promptLens, width);
        var outputs = new List<torch.Tensor>[2];
        for (int mode = 0; mode < 2; mode++)
        {
            lm.Model.HostDecodeAttention = mode == 0;
            using var cache = new KvCache(Tiny, b, width + steps + 3, torch.CPU);
            cache.Valid.narrow(1, 0, width).copy_(torch.tensor(valid, [b, width]));
            outputs[mode] = [lm.Model.ForwardLast(torch.tensor(ids, [b, width]), torch.tensor(pos, [b, width]), cache)];
            for (int t = 0; t < steps; t++)
            {
                var stepIds = torch.tensor(seqs.Select((s, r) => (long)s[promptLens[r] + t]).ToArray(), [b, 1]);
                var stepPos = torch.tensor(promptLens.Select(p => (long)(p + t)).ToArray(), [b, 1]);
                outputs[mode].Add(lm.Model.ForwardLast(stepIds, stepPos, cache));
            }
        }
        lm.Model.HostDecodeAttention = true;
        for (int t = 0; t <= steps; t++)
        {
            var diff = (outputs[0][t] - outputs[1][t]).abs().max().item<float>();
            Assert.That(diff, Is.LessThan(1e-5f), $"step {t}");
        }
        Assert.That(outputs[0][0].eq(outputs[1][0]).all().item<bool>(), "the prefill does not use host attention");
    }

    [Test]
    public void ReusedCachesGiveTheSameSamplesAsFreshOnes()
    {
        // SampleSteps keeps its KV caches for the next call. A call after larger and smaller ones (more rows, longer
        // prompts, K > 1) draws exactly what the same call draws on a fresh model.
        var small = new[] { Tok.BosId, 10, 11, 12 };
        var s = new SamplingSettings(Samples: 2, Temperature: 1.2, TopP: 0.95, MaxStepTokens: 6);
        using var fresh = NewTiny();
        var a = new Rng(21);
        var expected = fresh.SampleSteps([small, small[..2]], s, ref a);

        using var used = NewTiny();
        var warm = new Rng(1);
        used.SampleSteps(Enumerable.Range(0, 9).Select(i => Enumerable.Range(0, 3 + i * 4).Select(j => 4 + (i * 7 + j) % 200).ToArray()).ToArray(),
            s with { Samples = 3 }, ref warm);
        used.SampleSteps([small], SamplingSettings.GreedyOne, ref warm);
        var b = new Rng(21);
        var again = used.SampleSteps([small, small[..2]], s, ref b);
        Assert.That(again, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < again.Length; i++)
        {
            Assert.That(again[i].Tokens, Is.EqualTo(expected[i].Tokens), $"row {i}");
            Assert.That(again[i].TokenLogProbs, Is.EqualTo(expected[i].TokenLogProbs), $"row {i}");
        }
    }

    [Test]
    public void ContinuedRowsMatchFreshPrefills()
    {
        // With ReuseCachedRows, a call whose contexts extend rows of the previous call (a rollout sampling line by line,
        // some rows dropped, some given extra tokens) runs only the new tokens through the model, and draws what a model
        // prefilling every context draws from the same stream (log-probs equal to rounding); a call that extends nothing
        // prefills everything. 20 contexts x 2 samples: two row groups, then continuations of a subset of the rows.
        using var reuse = NewTiny();
        using var fresh = NewTiny();
        reuse.ReuseCachedRows = true;
        var prompts = Enumerable.Range(0, 20).Select(i => reuse.EncodeContext($"Goal {i * 7 % 50}\n{new string('x', i % 5)}", [])).ToArray();
        var s = new SamplingSettings(Samples: 2, Temperature: 1.1, MaxStepTokens: 6);
        var a = new Rng(5);
        var b = new Rng(5);
        var first = reuse.SampleSteps(prompts, s, ref a);
        var expectedFirst = fresh.SampleSteps(prompts, s, ref b);
        Assert.That(first.Select(x => x.Tokens), Is.EqualTo(expectedFirst.Select(x => x.Tokens)));

        var rows = first.Select((step, r) => prompts[r / 2].Concat(step.Tokens).ToArray()).ToArray();
        var one = s with { Samples = 1 };
        for (int line = 0; line < 3; line++)
        {
            // Drop every third row; close cut lines with the delimiter; give every fourth row an extra line of text.
            rows = rows.Where((_, r) => r % 3 != 1).Select((c, r) =>
            {
                var next = c[^1] == Tok.StepDelimiterId || c[^1] == Tok.EosId ? c : [.. c, Tok.StepDelimiterId];
                return r % 4 == 0 ? [.. next, .. Tok.Encode("Wait: 3 + 4\n")] : next;
            }).ToArray();
            long before = reuse.PrefillTokens;
            var continued = reuse.SampleSteps(rows, one, ref a);
            var expected = fresh.SampleSteps(rows, one, ref b);
            Assert.That(reuse.PrefillTokens - before, Is.LessThan(rows.Sum(c => c.Length) / 2), $"line {line}: only new tokens prefilled");
            var forced = fresh.TokenLogProbs(rows.Select((c, r) => c.Concat(continued[r].Tokens).ToArray()).ToArray(), rows.Select(c => c.Length).ToArray());
            for (int r = 0; r < rows.Length; r++)
            {
                Assert.That(continued[r].Tokens, Is.EqualTo(expected[r].Tokens), $"line {line}, row {r}");
                Assert.That(continued[r].TokenLogProbs, Is.EqualTo(expected[r].TokenLogProbs).Within(1e-4f), $"line {line}, row {r}");
                Assert.That(continued[r].TokenLogProbs, Is.EqualTo(forced[r]).Within(1e-4f), $"line {line}, row {r}, teacher-forced");
            }
            rows = rows.Select((c, r) => c.Concat(continued[r].Tokens).ToArray()).ToArray();
        }
        long all = reuse.PrefillTokens;
        var c2 = new Rng(9);
        reuse.SampleSteps(prompts[..3], one, ref c2);
        Assert.That(reuse.PrefillTokens - all, Is.EqualTo(prompts[..3].Sum(c => c.Length)), "unrelated contexts are prefilled in full");
    }

    [Test]
    public void RowGroupsDecodedSideBySideMatchOneBatch()
    {
        // On the CPU the rows of a call are split into groups of whole contexts decoded on their own threads; the samples
        // (one Rng stream drawn in row order) and log-probs equal those of one batch. 6 contexts x 4 samples: 2 groups of 12 rows, 3 of 8.
        using var lm = NewTiny();
        var ctx = new[] { "Goal 24\n", "Goal 7\n", "make 10 from 2 5\n", "x\n", "Goal 100 with 25 4\n", "Goal 3\n" }
            .Select(t => lm.EncodeContext(t, [])).ToArray();
        var s = new SamplingSettings(Samples: 4, Temperature: 1.1, TopP: 0.9, MaxStepTokens: 7);
        lm.SamplingGroups = 1;
        var a = new Rng(8);
        var one = lm.SampleSteps(ctx, s, ref a);
        lm.SamplingGroups = 2;
        var b = new Rng(8);
        var two = lm.SampleSteps(ctx, s, ref b);
        lm.SamplingGroups = 3;
        var c = new Rng(8);
        var three = lm.SampleSteps(ctx, s, ref c);
        Assert.That(two, Has.Length.EqualTo(one.Length));
        Assert.That(three, Has.Length.EqualTo(one.Length));
        for (int i = 0; i < one.Length; i++)
        {
            Assert.That(two[i].Tokens, Is.EqualTo(one[i].Tokens), $"row {i}, 2 groups");
            Assert.That(two[i].TokenLogProbs, Is.EqualTo(one[i].TokenLogProbs).Within(1e-5f), $"row {i}, 2 groups");
            Assert.That(three[i].Tokens, Is.EqualTo(one[i].Tokens), $"row {i}, 3 groups");
            Assert.That(three[i].TokenLogProbs, Is.EqualTo(one[i].TokenLogProbs).Within(1e-5f), $"row {i}, 3 groups");
        }
        Assert.That(a.NextULong(), Is.EqualTo(b.NextULong()), "the same number of draws");
    }

    [Test]
    public void TopPDrawsOnlyFromTheNucleusInOrder()
    {
        // Probabilities 0.1, 0.3, 0.3, 0.2, 0.1: sorted by probability then id, the nucleus for top-p 0.7 is ids 1, 2, 3
        // (0.3 + 0.3 + 0.2 = 0.8 >= 0.7); the draw follows that order, so u < 0.3/0.8 gives id 1.
        float[] p = [0.1f, 0.3f, 0.3f, 0.2f, 0.1f];
        var keys = new long[p.Length];
        var counts = new int[p.Length];
        var rng = new Rng(3);
        for (int i = 0; i < 4000; i++) counts[TransformerLm.Draw(p, 0.7, keys, ref rng)]++;
        Assert.That(counts[0] + counts[4], Is.Zero, "outside the nucleus");
        Assert.That(counts[1] / 4000.0, Is.EqualTo(0.375).Within(0.03));
        Assert.That(counts[2] / 4000.0, Is.EqualTo(0.375).Within(0.03));
        Assert.That(counts[3] / 4000.0, Is.EqualTo(0.25).Within(0.03));
        // The first draw of a fixed stream is pinned by the order: u below 0.375 of the mass picks id 1, the first key.
        var r1 = new Rng(3);
        double u = r1.NextDouble();
        var r2 = new Rng(3);
        int first = TransformerLm.Draw(p, 0.7, keys, ref r2);
        Assert.That(first, Is.EqualTo(u < 0.375 ? 1 : u < 0.75 ? 2 : 3));
        // Without a nucleus every id can come up, in id order.
        var all = new int[p.Length];
        for (int i = 0; i < 4000; i++) all[TransformerLm.Draw(p, 1.0, null, ref rng)]++;
        Assert.That(all, Has.All.GreaterThan(200));
    }

    [Test]
    public void KSamplesShareOnePrefillAndMatchSeparatePrefills()
    {
        // K samples of one context reuse its prefilled KV cache: the prompt runs through the model once, and the samples
        // equal those drawn from K separate copies of the context (each prefilled on its own) with the same seed.
        using var lm = NewTiny();
        var ctx = new[] { lm.EncodeContext("Goal 24\n", ["8 - 3 = 5"]), lm.EncodeContext("Goal 7\n", []) };
        var s = new SamplingSettings(Samples: 4, Temperature: 1.3, MaxStepTokens: 10);
        long before = lm.PrefillTokens;
        var a = new Rng(17);
        var shared = lm.SampleSteps(ctx, s, ref a);
        Assert.That(lm.PrefillTokens - before, Is.EqualTo(ctx.Sum(c => c.Length)), "each prompt prefilled once");

        var copies = ctx.SelectMany(c => Enumerable.Repeat(c, 4)).ToArray();
        before = lm.PrefillTokens;
        var b = new Rng(17);
        var separate = lm.SampleSteps(copies, s with { Samples = 1 }, ref b);
        Assert.That(lm.PrefillTokens - before, Is.EqualTo(4 * ctx.Sum(c => c.Length)));
        Assert.That(shared, Has.Length.EqualTo(separate.Length));
        for (int i = 0; i < shared.Length; i++)
        {
            Assert.That(shared[i].Tokens, Is.EqualTo(separate[i].Tokens), $"row {i}");
            Assert.That(shared[i].TokenLogProbs, Is.EqualTo(separate[i].TokenLogProbs).Within(1e-5f), $"row {i}");
        }
        var g1 = new Rng(1);
        var g2 = new Rng(1);
        var greedyShared = lm.SampleSteps(ctx, SamplingSettings.GreedyOne with { Samples = 3 }, ref g1);
        var greedySeparate = lm.SampleSteps(ctx.SelectMany(c => Enumerable.Repeat(c, 3)).ToArray(), SamplingSettings.GreedyOne, ref g2);
        Assert.That(greedyShared.Select(x => x.Text), Is.EqualTo(greedySeparate.Select(x => x.Text)));
    }

    [Test]
    public void GreedyIsDeterministicAndSamplingFollowsTheSeed()
    {
        using var lm = NewTiny();
        var ctx = new[] { lm.EncodeContext("Goal 10\n", []) };
        var r1 = new Rng(1);
        var r2 = new Rng(99);
        var g1 = lm.SampleSteps(ctx, SamplingSettings.GreedyOne, ref r1);
        var g2 = lm.SampleSteps(ctx, SamplingSettings.GreedyOne, ref r2);
        Assert.That(g1[0].Tokens, Is.EqualTo(g2[0].Tokens));
        var s = new SamplingSettings(Samples: 3, Temperature: 1.5, TopP: 0.9, MaxStepTokens: 8);
        var a = new Rng(5);
        var b = new Rng(5);
        var x = lm.SampleSteps(ctx, s, ref a);
        var y = lm.SampleSteps(ctx, s, ref b);
        Assert.That(x.Select(t => t.Text), Is.EqualTo(y.Select(t => t.Text)));
        Assert.That(x.All(t => t.Tokens.Length <= 8));
    }

    [Test]
    public void TrainsStopsAtTheDelimiterAndReloadsToIdenticalOutputs()
    {
        using var lm = NewTiny();
        var rows = Enumerable.Range(0, 8).Select(i => new PromptCompletion($"copy {i}\n", $"Answer: {i}\n")).ToList();
        var trainer = new SftTrainer(lm, rows, new SftConfig(Steps: 60, BatchSize: 8, LearningRate: 1e-2, WarmupSteps: 5));
        var losses = trainer.Train();
        Assert.That(losses[^1], Is.LessThan(losses[0] * 0.3), "loss falls");

        var ctx = rows.Select(r => lm.EncodeContext(r.Prompt, [])).ToArray();
        var rng = new Rng(1);
        var greedy = lm.SampleSteps(ctx, SamplingSettings.GreedyOne, ref rng);
        Assert.That(greedy.Count(g => g.Stop == StopReason.Delimiter), Is.EqualTo(rows.Count), "every step ends at the newline");
        Assert.That(greedy.Select(g => g.Text), Has.All.Match(@"^Answer: \d$"), "learned the step format");

        string dir = Path.Combine(Path.GetTempPath(), $"sim-ckpt-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            lm.Metadata["note"] = "test";
            lm.Save(dir);
            using var back = TransformerLm.Load(dir, torch.CPU);
            Assert.That((string?)back.Metadata["note"], Is.EqualTo("test"));
            var rng2 = new Rng(1);
            var again = back.SampleSteps(ctx, SamplingSettings.GreedyOne, ref rng2);
            for (int i = 0; i < greedy.Length; i++)
            {
                Assert.That(again[i].Tokens, Is.EqualTo(greedy[i].Tokens));
                Assert.That(again[i].TokenLogProbs, Is.EqualTo(greedy[i].TokenLogProbs), "bit-identical log-probs");
            }
            File.WriteAllText(Path.Combine(dir, "config.json"), "{ not json");
            Assert.Throws<InvalidDataException>(() => TransformerLm.Load(dir, torch.CPU));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Test]
    public void SameSeedAndDataGiveTheSameModel()
    {
        var rows = Enumerable.Range(0, 6).Select(i => new PromptCompletion($"n {i}\n", $"{i} + 1 = {i + 1}\n")).ToList();
        float Train()
        {
            using var lm = NewTiny(11);
            var losses = new SftTrainer(lm, rows, new SftConfig(Steps: 10, BatchSize: 4, Seed: 3)).Train();
            return losses[^1];
        }
        Assert.That(Train(), Is.EqualTo(Train()));
    }
}
