using NUnit.Framework;
using Sim.Environments;
using Sim.Environments.Code;

namespace Sim.Tests.Environments;

public sealed class SandboxTests
{
    private static readonly JsSandbox Sandbox = new(SandboxLimits.Default with { Timeout = TimeSpan.FromSeconds(5) });
    private static readonly CodeTest[] OneTest = [new("[2, 3]", "5")];

    private static SandboxResult Run(string body) => Sandbox.Run($"function f(a, b) {{ {body} }}", "f", OneTest);

    [Test]
    public void RightCodePasses()
    {
        var r = Run("return a + b;");
        Assert.That((r.Kind, r.Passed, r.Total), Is.EqualTo((VerdictKind.Ok, 1, 1)), r.Detail);
    }

    [TestCase("return a - b;", VerdictKind.WrongAnswer)]
    [TestCase("return a + ;", VerdictKind.SyntaxError)]
    [TestCase("throw new Error('boom');", VerdictKind.RuntimeError)]
    [TestCase("return undefinedVariable;", VerdictKind.RuntimeError)]
    [TestCase("while (true) {}", VerdictKind.Timeout)]
    [TestCase("for (;;) { a++; }", VerdictKind.Timeout)]
    [TestCase("function g(n) { return g(n + 1) + 1; } return g(0);", VerdictKind.RecursionLimit)]
    [TestCase("return 'x'.repeat(3e8).length;", VerdictKind.MemoryLimit)]
    [TestCase("return ''.padStart(3e8).length;", VerdictKind.MemoryLimit)]
    [TestCase("return ''.padEnd(3e8, 'ab').length;", VerdictKind.MemoryLimit)]
    [TestCase("return new Array(1e6).join('x'.repeat(1000)).length;", VerdictKind.MemoryLimit)]
    [TestCase("const s = 'x'.repeat(1e6); return [s, s, s].join('').length;", VerdictKind.MemoryLimit)]
    [TestCase("const s = 'x'.repeat(1e5); return s.replace(/x/g, 'yyyyyyyyyyyy').length;", VerdictKind.MemoryLimit)]
    [TestCase("const s = 'x'.repeat(1e6); return JSON.stringify([s, s, s]).length;", VerdictKind.MemoryLimit)]
    [TestCase("return new Array(4e9).length;", VerdictKind.MemoryLimit)]
    [TestCase("const xs = []; for (let i = 0; i < 1e7; i++) xs.push({ i }); return xs.length;", VerdictKind.MemoryLimit)]
    [TestCase("let s = 'xx'; for (let i = 0; i < 40; i++) s = s + s; return s.length;", VerdictKind.MemoryLimit)]
    [TestCase("return eval('1+1');", VerdictKind.RuntimeError)]
    [TestCase("return new Function('return 1')();", VerdictKind.RuntimeError)]
    [TestCase("return importNamespace('System').IO.File.ReadAllText('/etc/passwd');", VerdictKind.RuntimeError)]
    [TestCase("return System.IO.File;", VerdictKind.RuntimeError)]
    [TestCase("return new Uint8Array(1e9).length;", VerdictKind.RuntimeError)]
    [TestCase("return 2n ** 100000000n;", VerdictKind.SyntaxError)]
    [TestCase("return /(a+)+$/.test('a'.repeat(40) + 'b');", VerdictKind.Timeout)]
    [TestCase("x = 5; return x;", VerdictKind.RuntimeError)]
    [TestCase("let xs = []; for (let i = 0; i < 100000; i++) xs = [xs]; return String(xs).length;", VerdictKind.RecursionLimit)]
    [TestCase("const p = new Proxy({}, { get: (t, k, r) => r[k] }); return p.x;", VerdictKind.RecursionLimit)]
    public void HostileCodeGetsItsOwnVerdict(string body, VerdictKind kind)
    {
        var r = Run(body);
        Assert.That(r.Kind, Is.EqualTo(kind), r.Detail);
        Assert.That(r.Passed, Is.EqualTo(0));
    }

    [Test]
    public void DeepNestingInNativeCodeDoesNotKillTheProcess()
    {
        // Native recursion inside JSON.stringify: stopped by the stack probe or the clock, never a process crash.
        var quick = new JsSandbox(SandboxLimits.Default with { Timeout = TimeSpan.FromMilliseconds(300) });
        var r = quick.Run("function f(a, b) { let xs = []; for (let i = 0; i < 100000; i++) xs = [xs]; return JSON.stringify(xs).length; }", "f", OneTest);
        Assert.That(r.Kind, Is.AnyOf(VerdictKind.RecursionLimit, VerdictKind.Timeout), r.Detail);
    }

    [Test]
    public void EveryRunHasFreshGlobals()
    {
        var tests = new CodeTest[] { new("[1, 1]", "1") };
        const string Leaky = "function f(a, b) { globalThis.count = (globalThis.count || 0) + 1; return globalThis.count; }";
        Assert.That(Sandbox.Run(Leaky, "f", tests).Kind, Is.EqualTo(VerdictKind.Ok));
        Assert.That(Sandbox.Run(Leaky, "f", tests).Kind, Is.EqualTo(VerdictKind.Ok), "the second run starts from scratch too");
        const string Tamper = "Array.prototype.join = () => 'x'; function f(a, b) { return a + b; }";
        Assert.That(Sandbox.Run(Tamper, "f", OneTest).Kind, Is.EqualTo(VerdictKind.RuntimeError), "the guards cannot be replaced");
    }

    [Test]
    public void ComparisonIsStructural()
    {
        var tests = new CodeTest[] { new("[[3, 1, 2]]", "[1, 2, 3]"), new("[[]]", "[]") };
        Assert.That(Sandbox.Run("function s(a) { return [...a].sort((x, y) => x - y); }", "s", tests).Kind, Is.EqualTo(VerdictKind.Ok));
        var obj = new CodeTest[] { new("[\"ab\"]", "{\"b\": 1, \"a\": 1}") };
        Assert.That(Sandbox.Run("function c(s) { const o = {}; for (const ch of s) o[ch] = (o[ch] || 0) + 1; return o; }", "c", obj).Kind, Is.EqualTo(VerdictKind.Ok));
        Assert.That(Sandbox.Run("function c(s) { return '{\"a\":1,\"b\":1}'; }", "c", obj).Kind, Is.EqualTo(VerdictKind.WrongAnswer));
        Assert.That(Sandbox.Run("var c = 3;", "c", obj).Kind, Is.EqualTo(VerdictKind.RuntimeError));
    }
}
