using Sim.Agents.Policies;
using Sim.Environments;

namespace Sim.Tests.Agents;

public class SimulatedSelfEvaluatorTests
{
    private static readonly IEnvironment Env = EnvironmentRegistry.Default.Get("countdown");

    // The first reference step of many problems, right and mutated (the policy's kind of error), and the answer lines.
    private static List<(SelfEvalRequest Request, bool Truth)> Requests(int problems)
    {
        var list = new List<(SelfEvalRequest, bool)>();
        for (int i = 0; i < problems; i++)
        {
            var p = Env.Sample((ulong)i + 100, 2);
            var solution = Env.Solve(p)!;
            var ctx = new PolicyContext(Env, p, Env.Start(p), Array.Empty<string>(), (ulong)i * 4);
            string step = solution.Steps[0].Trim();
            list.Add((new SelfEvalRequest(ctx, step, StepKind.Step), true));
            list.Add((new SelfEvalRequest(ctx with { Key = ctx.Key + 1 }, step + "1", StepKind.Step), false));
            list.Add((new SelfEvalRequest(ctx with { Key = ctx.Key + 2 }, "Answer: " + solution.Answer, StepKind.Answer), true));
            list.Add((new SelfEvalRequest(ctx with { Key = ctx.Key + 3 }, "Answer: " + solution.Answer + "0", StepKind.Answer), false));
        }
        return list;
    }

    private static SelfEvaluation[] Judge(double error, List<(SelfEvalRequest Request, bool Truth)> requests, ulong seed = 7)
    {
        var output = new SelfEvaluation[requests.Count];
        new SimulatedSelfEvaluator(new SimulatedSelfEvalConfig(error, 3)).Evaluate(requests.Select(r => r.Request).ToList(), output, seed);
        return output;
    }

    [Test]
    public void WithoutErrorsItReportsTheTruth()
    {
        var requests = Requests(50);
        var judged = Judge(0, requests);
        for (int i = 0; i < requests.Count; i++)
        {
            Assert.That(judged[i].Correct, Is.EqualTo(requests[i].Truth ? 1.0 : 0.0), requests[i].Request.Line);
            Assert.That(judged[i].Tokens, Is.EqualTo(3));
        }
    }

    [Test]
    public void ItsErrorRateIsTheConfiguredOneAndHalfCarriesNoInformation()
    {
        var requests = Requests(500);
        var judged = Judge(0.2, requests);
        int flipped = 0;
        for (int i = 0; i < requests.Count; i++)
        {
            bool says = judged[i].Correct > 0.5;
            Assert.That(judged[i].Correct, Is.EqualTo(says ? 0.8 : 0.2).Within(1e-12));
            if (says != requests[i].Truth) flipped++;
        }
        double rate = flipped / (double)requests.Count, se = Math.Sqrt(0.2 * 0.8 / requests.Count);
        Assert.That(rate, Is.EqualTo(0.2).Within(4 * se));
        Assert.That(Judge(0.5, requests).Select(j => j.Correct), Is.All.EqualTo(0.5));
    }

    [Test]
    public void JudgementsDependOnTheSeedAndKeyNotTheBatch()
    {
        var requests = Requests(40);
        var all = Judge(0.3, requests);
        var half = Judge(0.3, requests.Skip(20).ToList());
        Assert.That(half, Is.EqualTo(all.Skip(20).ToArray()));
        Assert.That(Judge(0.3, requests, seed: 8), Is.Not.EqualTo(all));
    }

    [Test]
    public void BadConfigsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new SimulatedSelfEvaluator(new SimulatedSelfEvalConfig(1.5)));
        Assert.Throws<ArgumentException>(() => new SimulatedSelfEvaluator(new SimulatedSelfEvalConfig(0.1, -1)));
    }
}
