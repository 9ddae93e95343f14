using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Acornima;
using Acornima.Ast;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using Jint.Runtime;

namespace Sim.Environments.Code;

/// <summary>
/// Runs untrusted JavaScript functions against tests on Jint 4, in a fresh engine (fresh global state) for every run.
/// Limits (<see cref="SandboxLimits"/>): statements, wall time, allocated memory, recursion depth (plus Jint's native
/// stack probe), array size, string size per string-building call, and regex time. Strict mode; no CLR access (interop
/// is never enabled); no <c>eval</c> or <c>Function</c> (string compilation is disabled); no BigInt, typed arrays,
/// <c>ArrayBuffer</c>, <c>Atomics</c>, <c>WeakRef</c> or <c>FinalizationRegistry</c>. Results are compared in C# by
/// walking the returned value, so script cannot tamper with the comparison. Parsed scripts are cached by source text
/// (parsing is pure), so repeated runs of the same submission pay only for execution. Thread-safe; never throws for
/// any submission. See <c>docs/sandbox.md</c>.
/// </summary>
public sealed class JsSandbox
{
    private const int CacheCapacity = 4096;
    private const int MaxSourceLength = 64 * 1024;

    private readonly ConcurrentDictionary<string, ParsedScript> _cache = new(StringComparer.Ordinal);

    private sealed record ParsedScript(Prepared<Script>? Script, string? Error);

    /// <summary>Makes a sandbox with the given limits.</summary>
    public JsSandbox(SandboxLimits? limits = null)
    {
        Limits = limits ?? SandboxLimits.Default;
    }

    /// <summary>The limits of every run.</summary>
    public SandboxLimits Limits { get; }


    // Globals removed from every engine (from C#, which is cheaper than a script loop): BigInt arithmetic and typed
    // arrays can allocate huge blocks in one call, and the rest are not needed by any task.
    private static readonly string[] Removed =
    [
        "BigInt", "ArrayBuffer", "SharedArrayBuffer", "DataView", "Atomics", "WeakRef", "FinalizationRegistry",
        "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
        "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
    ];

    private ParsedScript Parse(string source)
    {
        if (_cache.TryGetValue(source, out var hit)) return hit;
        ParsedScript parsed;
        if (source.Length > MaxSourceLength)
        {
            parsed = new ParsedScript(null, $"source longer than {MaxSourceLength} characters");
        }
        else
        {
            try
            {
                var script = Jint.Engine.PrepareScript(source, "submission", strict: true);
                bool bigInt = script.Program!.DescendantNodes().Any(n => n is BigIntLiteral);
                parsed = bigInt ? new ParsedScript(null, "BigInt is not available in the sandbox") : new ParsedScript(script, null);
            }
            catch (Exception ex)
            {
                parsed = new ParsedScript(null, OneLine(ex.Message));
            }
        }
        if (_cache.Count >= CacheCapacity) _cache.Clear();
        _cache[source] = parsed;
        return parsed;
    }

    private Jint.Engine NewEngine() => new(o =>
    {
        o.Strict = true;
        o.DisableStringCompilation();
        o.MaxStatements(Limits.MaxStatements);
        o.Constraint(new DeadlineConstraint(Limits.Timeout));
        o.LimitMemory(Limits.MemoryBytes);
        o.LimitRecursion(Limits.MaxRecursion);
        o.Constraints.MaxArraySize = Limits.MaxArraySize;
        o.Constraints.RegexTimeout = Limits.RegexTimeout;
        o.Constraints.StackOverflowGuard = true;
        o.Interop.Enabled = false;
    });

    /// <summary>
    /// Runs <paramref name="source"/> (which must define a function named <paramref name="function"/>) against every
    /// test, in one fresh engine. Never throws for any source.
    /// </summary>
    public SandboxResult Run(string source, string function, IReadOnlyList<CodeTest> tests, IReadOnlyList<string>? expectedCanonical = null)
    {
        var parsed = Parse(source);
        if (parsed.Script is null) return new SandboxResult(VerdictKind.SyntaxError, 0, tests.Count, $"syntax error: {parsed.Error}");
        int passed = 0;
        var stage = "loading the submission";
        try
        {
            var engine = NewEngine();
            foreach (var name in Removed) engine.Global.Delete(name);
            SandboxGuards.Install(engine, Limits.MaxStringLength);
            var prepared = parsed.Script.Value;
            engine.Execute(prepared);
            var fn = engine.GetValue(function);
            if (fn is not Jint.Native.Function.Function)
                return new SandboxResult(VerdictKind.RuntimeError, 0, tests.Count, $"the submission does not define a function named {function}");
            var json = new JsonParser(engine);
            VerdictKind firstKind = VerdictKind.Ok;
            string firstDetail = "all tests passed";
            for (int i = 0; i < tests.Count; i++)
            {
                stage = $"test {i + 1}";
                var args = json.Parse(tests[i].ArgsJson);
                JsValue[] argv = args is JsArray arr ? ToArgs(arr) : [args];
                var result = engine.Call(fn, JsValue.Undefined, argv);
                string got = Canonical.Of(result);
                string want = expectedCanonical?[i] ?? Canonical.OfJson(tests[i].ExpectedJson);
                if (got == want) passed++;
                else if (firstKind == VerdictKind.Ok)
                {
                    firstKind = VerdictKind.WrongAnswer;
                    firstDetail = $"test {i + 1}: expected {Clip(want)}, got {Clip(got)}";
                }
            }
            return new SandboxResult(firstKind, passed, tests.Count, passed == tests.Count ? "all tests passed" : firstDetail);
        }
        catch (Exception ex)
        {
            var (kind, why) = Classify(ex);
            return new SandboxResult(kind, passed, tests.Count, $"{stage}: {why}");
        }
    }

    /// <summary>
    /// Runs a trusted function (a reference solution) on one argument list and returns its result as canonical JSON.
    /// Throws <see cref="InvalidOperationException"/> when it fails: a reference must not.
    /// </summary>
    public string Evaluate(string source, string function, string argsJson)
    {
        var parsed = Parse(source);
        if (parsed.Script is null) throw new InvalidOperationException($"reference for {function} does not parse: {parsed.Error}");
        try
        {
            var engine = NewEngine();
            SandboxGuards.Install(engine, Limits.MaxStringLength);
            engine.Execute(parsed.Script.Value);
            var args = new JsonParser(engine).Parse(argsJson);
            var result = engine.Call(engine.GetValue(function), JsValue.Undefined, args is JsArray arr ? ToArgs(arr) : [args]);
            return Canonical.Of(result);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"reference for {function} failed on {argsJson}: {ex.Message}", ex);
        }
    }

    private static JsValue[] ToArgs(JsArray arr)
    {
        var argv = new JsValue[(int)arr.Length];
        for (uint i = 0; i < argv.Length; i++) argv[i] = arr.Get(i);
        return argv;
    }

    /// <summary>Maps anything a run can throw to a verdict kind and a one-line reason.</summary>
    internal static (VerdictKind Kind, string Reason) Classify(Exception ex) => ex switch
    {
        StatementsCountOverflowException => (VerdictKind.Timeout, "statement limit reached"),
        RegexMatchTimeoutException => (VerdictKind.Timeout, "regular expression took too long"),
        TimeoutException => (VerdictKind.Timeout, "time limit reached"),
        ExecutionCanceledException => (VerdictKind.Timeout, "time limit reached"),
        MemoryLimitExceededException => (VerdictKind.MemoryLimit, "memory limit reached"),
        OutOfMemoryException => (VerdictKind.MemoryLimit, "allocation too large"),
        RecursionDepthOverflowException or InsufficientExecutionStackException => (VerdictKind.RecursionLimit, "recursion limit reached"),
        JavaScriptException js when js.Message.Contains("call stack", StringComparison.OrdinalIgnoreCase) => (VerdictKind.RecursionLimit, "recursion limit reached"),
        JavaScriptException js when js.Message.Contains("result longer than", StringComparison.Ordinal) => (VerdictKind.MemoryLimit, OneLine(js.Message)),
        JavaScriptException js when js.Message.Contains("Invalid array length", StringComparison.OrdinalIgnoreCase) => (VerdictKind.MemoryLimit, OneLine(js.Message)),
        JavaScriptException js => (VerdictKind.RuntimeError, OneLine(js.Message)),
        ParseErrorException => (VerdictKind.SyntaxError, OneLine(ex.Message)),
        _ => (VerdictKind.RuntimeError, $"{ex.GetType().Name}: {OneLine(ex.Message)}"),
    };

    private static string OneLine(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length > 200 ? s[..200] + "..." : s;
    }

    private static string Clip(string s) => s.Length > 80 ? s[..80] + "..." : s;

    /// <summary>
    /// Canonical text of values for comparison: JSON with object keys sorted, integers without a fraction, and
    /// <c>undefined</c>, <c>NaN</c> and infinities spelled out. Depth and size are bounded.
    /// </summary>
    internal static class Canonical
    {
        private const int MaxDepth = 64;
        private const int MaxChars = 1 << 20;

        public static string Of(JsValue v)
        {
            var sb = new StringBuilder();
            Write(v, sb, 0);
            return sb.ToString();
        }

        private static void Write(JsValue v, StringBuilder sb, int depth)
        {
            if (depth > MaxDepth || sb.Length > MaxChars) { sb.Append("<too large>"); return; }
            if (v.IsUndefined()) { sb.Append("undefined"); return; }
            if (v.IsNull()) { sb.Append("null"); return; }
            switch (v)
            {
                case JsBoolean b: sb.Append(b.AsBoolean() ? "true" : "false"); return;
                case JsNumber n: Number(n.AsNumber(), sb); return;
                case JsString s: Quote(s.ToString(), sb); return;
                case JsArray a:
                {
                    sb.Append('[');
                    uint len = a.Length;
                    for (uint i = 0; i < len && sb.Length <= MaxChars; i++)
                    {
                        if (i > 0) sb.Append(',');
                        Write(a.Get(i), sb, depth + 1);
                    }
                    sb.Append(']');
                    return;
                }
                case Jint.Native.Function.Function: sb.Append("<function>"); return;
                case Jint.Native.Object.ObjectInstance o:
                {
                    var keys = new List<string>();
                    foreach (var k in o.GetOwnPropertyKeys(Types.String)) keys.Add(k.ToString());
                    keys.Sort(StringComparer.Ordinal);
                    sb.Append('{');
                    bool first = true;
                    foreach (var k in keys)
                    {
                        if (sb.Length > MaxChars) break;
                        if (!first) sb.Append(',');
                        first = false;
                        Quote(k, sb);
                        sb.Append(':');
                        Write(o.Get(k), sb, depth + 1);
                    }
                    sb.Append('}');
                    return;
                }
                default: sb.Append('<').Append(v.Type.ToString()).Append('>'); return;
            }
        }

        private static void Number(double d, StringBuilder sb)
        {
            if (double.IsNaN(d)) sb.Append("NaN");
            else if (double.IsInfinity(d)) sb.Append(d > 0 ? "Infinity" : "-Infinity");
            else if (d == Math.Floor(d) && Math.Abs(d) < 9.007199254740992E15) sb.Append(((long)d).ToString(CultureInfo.InvariantCulture));
            else sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
        }

        // A string as a JSON literal that keeps every UTF-16 code unit: printable ASCII as itself (with \" and \\),
        // everything else as \uXXXX, lone surrogates included. (JsonSerializer replaces a lone surrogate with U+FFFD,
        // which would make two different strings compare equal.)
        internal static void Quote(string text, StringBuilder sb)
        {
            sb.Append('"');
            foreach (char c in text)
            {
                if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                else if (c >= 0x20 && c < 0x7F) sb.Append(c);
                else sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            sb.Append('"');
        }

        // The code units of a JSON string token as written (without quotes, escapes undone), lone surrogates kept:
        // JsonElement.GetString refuses them. The token is valid JSON (the document parsed), so escapes are well formed.
        internal static string RawString(ReadOnlySpan<byte> raw)
        {
            if (raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"') raw = raw[1..^1];
            if (raw.IndexOf((byte)'\\') < 0) return Encoding.UTF8.GetString(raw);
            var sb = new StringBuilder(raw.Length);
            int start = 0;
            for (int i = 0; i < raw.Length; i++)
            {
                if (raw[i] != (byte)'\\') continue;
                sb.Append(Encoding.UTF8.GetString(raw[start..i]));
                char e = (char)raw[++i];
                switch (e)
                {
                    case 'u':
                        sb.Append((char)int.Parse(Encoding.ASCII.GetString(raw.Slice(i + 1, 4)), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    default: sb.Append(e); break; // \" \\ \/
                }
                start = i + 1;
            }
            sb.Append(Encoding.UTF8.GetString(raw[start..]));
            return sb.ToString();
        }

        public static string OfJson(string json)
        {
            using var doc = JsonDocument.Parse(json);
            var sb = new StringBuilder();
            Write(doc.RootElement, sb);
            return sb.ToString();
        }

        private static void Write(JsonElement e, StringBuilder sb)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Null: sb.Append("null"); break;
                case JsonValueKind.True: sb.Append("true"); break;
                case JsonValueKind.False: sb.Append("false"); break;
                case JsonValueKind.Number: Number(e.GetDouble(), sb); break;
                case JsonValueKind.String: Quote(RawString(JsonMarshal.GetRawUtf8Value(e)), sb); break;
                case JsonValueKind.Array:
                {
                    sb.Append('[');
                    bool first = true;
                    foreach (var x in e.EnumerateArray()) { if (!first) sb.Append(','); first = false; Write(x, sb); }
                    sb.Append(']');
                    break;
                }
                case JsonValueKind.Object:
                {
                    sb.Append('{');
                    bool first = true;
                    foreach (var (name, value) in e.EnumerateObject().Select(p => (RawString(JsonMarshal.GetRawUtf8PropertyName(p)), p.Value))
                        .OrderBy(p => p.Item1, StringComparer.Ordinal))
                    {
                        if (!first) sb.Append(',');
                        first = false;
                        Quote(name, sb);
                        sb.Append(':');
                        Write(value, sb);
                    }
                    sb.Append('}');
                    break;
                }
                default: sb.Append("undefined"); break;
            }
        }
    }
}
