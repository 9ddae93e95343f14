using System.Text;
using NUnit.Framework;
using Sim.Environments;
using Sim.Environments.Code;

namespace Sim.Tests.Environments;

/// <summary>Strings are compared code unit by code unit: a lone surrogate is never replaced (by U+FFFD or anything).</summary>
public class ExactStringsTests
{
    private static string Canon(string json) => JsSandbox.Canonical.OfJson(json);

    [Test]
    public void CanonicalTextKeepsEveryCodeUnit()
    {
        Assert.That(Canon("\"\\ud800\""), Is.Not.EqualTo(Canon("\"\\ufffd\"")));
        Assert.That(Canon("\"\\ud800\""), Is.EqualTo("\"\\ud800\""));
        Assert.That(Canon("\"a\\\"b\\\\c\\n\""), Is.EqualTo("\"a\\\"b\\\\c\\u000a\""));
        Assert.That(Canon("{\"\\udc00\":1,\"a\":2}"), Is.EqualTo("{\"a\":2,\"\\udc00\":1}"), "keys too, sorted ordinally");
        Assert.That(Canon("\"caf\u00e9 \\u00e9\""), Is.EqualTo("\"caf\\u00e9 \\u00e9\""), "a raw and an escaped é are one string");
        var sb = new StringBuilder();
        JsSandbox.Canonical.Quote("x\ud800y", sb);
        Assert.That(sb.ToString(), Is.EqualTo("\"x\\ud800y\""));
    }

    [Test]
    public void TheSandboxJudgesALoneSurrogateExactly()
    {
        var sandbox = new JsSandbox(SandboxLimits.Default);
        const string source = "function f() { return String.fromCharCode(0xD800); }";
        Assert.That(sandbox.Run(source, "f", [new CodeTest("[]", "\"\\ud800\"")]).Passed, Is.EqualTo(1));
        Assert.That(sandbox.Run(source, "f", [new CodeTest("[]", "\"\\ufffd\"")]).Passed, Is.EqualTo(0), "U+FFFD is another string");
        const string replacement = "function f() { return '\\uFFFD'; }";
        Assert.That(sandbox.Run(replacement, "f", [new CodeTest("[]", "\"\\ud800\"")]).Passed, Is.EqualTo(0));
    }

    [Test]
    public void AProblemWithALoneSurrogateInATestIsABadInputNotACrash()
    {
        var env = EnvironmentRegistry.Default.Get("code");
        string row = env.Sample(1, 2).ToRecord().ToJson();
        string bad = System.Text.RegularExpressions.Regex.Replace(row, "\"expected\":\\[\"1\"\\]", "\"expected\":[\"\\ud800\"]");
        Assert.That(bad, Is.Not.EqualTo(row), "the fixture holds the test to break");
        var ex = Assert.Throws<InvalidDataException>(() => env.Load(ProblemRecord.Parse(bad)));
        Assert.That(ex!.Message, Does.Contain("lone UTF-16 surrogate").And.Not.Contains("\n"));
        string path = Path.Combine(Path.GetTempPath(), $"sim-surrogate-{Environment.ProcessId}.json");
        string answer = Path.Combine(Path.GetTempPath(), $"sim-surrogate-{Environment.ProcessId}.js");
        try
        {
            File.WriteAllText(path, bad);
            File.WriteAllText(answer, "function fizzBuzz(n) { return []; }");
            var (code, _, stderr) = Sim.Tests.Cli.CliTests.Run("verify", "--problem", path, "--answer", answer);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr.Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
        }
        finally { File.Delete(path); File.Delete(answer); }
    }
}
