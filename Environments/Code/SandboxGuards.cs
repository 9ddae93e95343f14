using System.Runtime.CompilerServices;
using Jint;
using Jint.Native;
using Jint.Native.Function;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace Sim.Environments.Code;

/// <summary>
/// Installs, in a fresh engine and before any user code, the guards that close the single-huge-allocation hole: every
/// string-building built-in is replaced by a host function that computes the result's length first and throws a
/// <c>RangeError</c> past <see cref="SandboxLimits.MaxStringLength"/> characters, then calls the original. The
/// replacements are non-writable and non-configurable; the originals are reachable only from here. Host functions that
/// can recurse through user values (<c>join</c> via <c>toString</c>, the <c>JSON.stringify</c> replacer) probe the native
/// stack, so deeply nested values end in a recursion verdict, never a process crash. Written in C# rather than as a
/// script prelude because a prelude costs a few hundred microseconds per fresh engine.
/// </summary>
internal static class SandboxGuards
{
    private const PropertyFlag Locked = PropertyFlag.AllForbidden; // not writable, not enumerable, not configurable

    public static void Install(Jint.Engine engine, int limit)
    {
        var global = engine.Global;
        var stringProto = Proto(global, "String");
        var arrayProto = Proto(global, "Array");
        var json = (ObjectInstance)global.Get("JSON");
        var rangeError = (Jint.Native.Error.ErrorConstructor)global.Get("RangeError");

        JavaScriptException TooLong(string what)
        {
            string message = $"{what}: result longer than {limit} characters";
            return new JavaScriptException(rangeError, message, new InvalidOperationException(message));
        }

        void Define(ObjectInstance target, string name, int length, Func<Function, JsValue, JsValue[], JsValue> body)
        {
            var original = (Function)target.Get(name);
            var guard = new ClrFunction(engine, name, (self, args) => body(original, self, args), length);
            target.DefineOwnProperty(name, new PropertyDescriptor(guard, Locked));
        }

        static JsValue Arg(JsValue[] args, int i) => i < args.Length ? args[i] : JsValue.Undefined;

        Define(stringProto, "repeat", 1, (orig, self, args) =>
        {
            string s = TypeConverter.ToString(self);
            double k = Math.Floor(TypeConverter.ToNumber(Arg(args, 0)));
            if (k > 0 && s.Length * k > limit) throw TooLong("repeat");
            return orig.Call(s, args);
        });
        Define(stringProto, "padStart", 2, (orig, self, args) =>
        {
            if (TypeConverter.ToNumber(Arg(args, 0)) > limit) throw TooLong("padStart");
            return orig.Call(self, args);
        });
        Define(stringProto, "padEnd", 2, (orig, self, args) =>
        {
            if (TypeConverter.ToNumber(Arg(args, 0)) > limit) throw TooLong("padEnd");
            return orig.Call(self, args);
        });
        Define(stringProto, "concat", 1, (orig, self, args) =>
        {
            string s = TypeConverter.ToString(self);
            long total = s.Length;
            var parts = new JsValue[args.Length];
            for (int i = 0; i < args.Length; i++)
            {
                string p = TypeConverter.ToString(args[i]);
                total += p.Length;
                if (total > limit) throw TooLong("concat");
                parts[i] = p;
            }
            return orig.Call(s, parts);
        });

        Func<Function, JsValue, JsValue[], JsValue> Replace(string name, bool all) => (orig, self, args) =>
        {
            string s = TypeConverter.ToString(self);
            var pattern = Arg(args, 0);
            var replacement = Arg(args, 1);
            if (replacement is Function f)
            {
                long total = s.Length;
                var counted = new ClrFunction(engine, "replacer", (t, a) =>
                {
                    string r = TypeConverter.ToString(f.Call(JsValue.Undefined, a));
                    total += r.Length;
                    if (total > limit) throw TooLong(name);
                    return r;
                });
                return orig.Call(s, new JsValue[] { pattern, counted });
            }
            string rep = TypeConverter.ToString(replacement);
            bool many = all || pattern.IsObject();
            long perMatch = rep.Length + (rep.Contains('$') ? (rep.Length / 2 + 1L) * s.Length : 0);
            if (s.Length + (many ? s.Length + 1L : 1L) * perMatch > limit) throw TooLong(name);
            return orig.Call(s, new JsValue[] { pattern, rep });
        };
        Define(stringProto, "replace", 2, Replace("replace", false));
        Define(stringProto, "replaceAll", 2, Replace("replaceAll", true));

        Define(arrayProto, "join", 1, (orig, self, args) =>
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            if (self is not ObjectInstance o) return orig.Call(self, args);
            double len = TypeConverter.ToNumber(o.Get("length"));
            long n = double.IsNaN(len) || len <= 0 ? 0 : (long)Math.Min(len, uint.MaxValue);
            var sepArg = Arg(args, 0);
            string sep = sepArg.IsUndefined() ? "," : TypeConverter.ToString(sepArg);
            if (n > 1 && (n - 1) * (double)sep.Length > limit) throw TooLong("join");
            var sb = new System.Text.StringBuilder();
            for (long i = 0; i < n; i++)
            {
                if (i > 0) sb.Append(sep);
                var x = o.Get(i);
                if (!x.IsUndefined() && !x.IsNull()) sb.Append(TypeConverter.ToString(x));
                if (sb.Length > limit) throw TooLong("join");
            }
            return sb.ToString();
        });
        Define(arrayProto, "flat", 0, (orig, self, args) =>
        {
            double d = args.Length == 0 || args[0].IsUndefined() ? 1 : TypeConverter.ToNumber(args[0]);
            return orig.Call(self, new JsValue[] { d > 200 ? 200 : d });
        });
        Define(json, "stringify", 3, (orig, self, args) =>
        {
            long total = 0;
            var user = Arg(args, 1) as Function;
            var replacerArg = Arg(args, 1);
            JsValue replacer = replacerArg is JsArray ? replacerArg : new ClrFunction(engine, "counted", (t, a) =>
            {
                RuntimeHelpers.EnsureSufficientExecutionStack();
                var v = user is null ? Arg(a, 1) : user.Call(t, a);
                total += (v.IsString() ? v.AsString().Length : 8) + TypeConverter.ToString(Arg(a, 0)).Length;
                if (total > limit) throw TooLong("JSON.stringify");
                return v;
            }, 2);
            return orig.Call(json, new JsValue[] { Arg(args, 0), replacer, Arg(args, 2) });
        });
    }

    private static ObjectInstance Proto(ObjectInstance global, string ctor) =>
        (ObjectInstance)((ObjectInstance)global.Get(ctor)).Get("prototype");
}
