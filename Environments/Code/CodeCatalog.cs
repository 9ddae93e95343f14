namespace Sim.Environments.Code;

/// <summary>
/// The hand-written code tasks, graded 1 (a one-liner) to 5 (an algorithm). Each has a reference solution and test
/// inputs; the expected outputs are computed by running the reference in the sandbox once, so tests and reference can
/// never disagree. The first two inputs are the visible examples; every input is a hidden test.
/// </summary>
public static class CodeCatalog
{
    private sealed record Entry(string Id, int Difficulty, string Function, string Signature, string Description, string Reference, string[] Inputs);

    private static readonly Entry[] Entries =
    [
        // 1: one-liners.
        new("add", 1, "add", "add(a: number, b: number): number", "Return the sum of a and b.",
            "function add(a, b) { return a + b; }", ["[1, 2]", "[-5, 5]", "[0, 0]", "[1000000, 2345]", "[-7, -8]"]),
        new("square", 1, "square", "square(x: number): number", "Return x squared.",
            "function square(x) { return x * x; }", ["[3]", "[-4]", "[0]", "[12]", "[1.5]"]),
        new("is-even", 1, "isEven", "isEven(n: number): boolean", "Return true when the integer n is even.",
            "function isEven(n) { return n % 2 === 0; }", ["[4]", "[7]", "[0]", "[-2]", "[-3]"]),
        new("max-of-two", 1, "maxOfTwo", "maxOfTwo(a: number, b: number): number", "Return the larger of a and b.",
            "function maxOfTwo(a, b) { return a > b ? a : b; }", ["[1, 2]", "[5, 3]", "[-1, -1]", "[0, -9]", "[100, 101]"]),
        new("abs-value", 1, "absValue", "absValue(x: number): number", "Return the absolute value of x without Math.abs.",
            "function absValue(x) { return x < 0 ? -x : x; }", ["[-3]", "[4]", "[0]", "[-0.5]", "[123]"]),
        new("first-char", 1, "firstChar", "firstChar(s: string): string", "Return the first character of s, or an empty string when s is empty.",
            "function firstChar(s) { return s.length ? s[0] : ''; }", ["[\"hello\"]", "[\"\"]", "[\"a\"]", "[\"Zed\"]", "[\"  x\"]"]),
        new("string-length", 1, "stringLength", "stringLength(s: string): number", "Return the number of characters in s.",
            "function stringLength(s) { return s.length; }", ["[\"abc\"]", "[\"\"]", "[\"hello world\"]", "[\"a\"]", "[\"12345678\"]"]),
        new("celsius-to-fahrenheit", 1, "toFahrenheit", "toFahrenheit(c: number): number", "Convert Celsius to Fahrenheit: c * 9 / 5 + 32.",
            "function toFahrenheit(c) { return c * 9 / 5 + 32; }", ["[0]", "[100]", "[-40]", "[37]", "[-10]"]),

        // 2: a loop or a built-in.
        new("sum-array", 2, "sumArray", "sumArray(nums: number[]): number", "Return the sum of the numbers (0 for an empty array).",
            "function sumArray(nums) { let s = 0; for (const x of nums) s += x; return s; }", ["[[1, 2, 3]]", "[[]]", "[[-1, 1]]", "[[10]]", "[[5, 5, 5, 5]]"]),
        new("reverse-string", 2, "reverseString", "reverseString(s: string): string", "Return s reversed.",
            "function reverseString(s) { return s.split('').reverse().join(''); }", ["[\"abc\"]", "[\"\"]", "[\"racecar\"]", "[\"ab\"]", "[\"hello world\"]"]),
        new("count-vowels", 2, "countVowels", "countVowels(s: string): number", "Return how many of the letters a, e, i, o, u (either case) s contains.",
            "function countVowels(s) { let n = 0; for (const c of s.toLowerCase()) if ('aeiou'.includes(c)) n++; return n; }",
            ["[\"hello\"]", "[\"xyz\"]", "[\"AEIOU\"]", "[\"\"]", "[\"Programming\"]"]),
        new("factorial", 2, "factorial", "factorial(n: number): number", "Return n! for 0 <= n <= 18.",
            "function factorial(n) { let r = 1; for (let i = 2; i <= n; i++) r *= i; return r; }", ["[0]", "[5]", "[1]", "[10]", "[18]"]),
        new("max-array", 2, "maxArray", "maxArray(nums: number[]): number", "Return the largest number in a non-empty array.",
            "function maxArray(nums) { let m = nums[0]; for (const x of nums) if (x > m) m = x; return m; }", ["[[3, 1, 2]]", "[[-5, -2, -9]]", "[[7]]", "[[1, 1, 1]]", "[[0, 100, 50]]"]),
        new("count-occurrences", 2, "countOccurrences", "countOccurrences(nums: number[], x: number): number", "Return how many times x appears in nums.",
            "function countOccurrences(nums, x) { return nums.filter(v => v === x).length; }", ["[[1, 2, 1], 1]", "[[], 3]", "[[4, 4, 4], 4]", "[[1, 2, 3], 5]", "[[0, 0, 1], 0]"]),
        new("fizzbuzz", 2, "fizzBuzz", "fizzBuzz(n: number): string[]", "Return the strings for 1..n: 'Fizz' for multiples of 3, 'Buzz' for 5, 'FizzBuzz' for both, else the number as text.",
            "function fizzBuzz(n) { const r = []; for (let i = 1; i <= n; i++) r.push(i % 15 === 0 ? 'FizzBuzz' : i % 3 === 0 ? 'Fizz' : i % 5 === 0 ? 'Buzz' : String(i)); return r; }",
            ["[5]", "[15]", "[1]", "[0]", "[3]"]),
        new("capitalize-words", 2, "capitalizeWords", "capitalizeWords(s: string): string", "Upper-case the first letter of every space-separated word.",
            "function capitalizeWords(s) { return s.split(' ').map(w => w ? w[0].toUpperCase() + w.slice(1) : w).join(' '); }",
            ["[\"hello world\"]", "[\"\"]", "[\"a b c\"]", "[\"already Capital\"]", "[\"x\"]"]),

        // 3: a little logic.
        new("is-palindrome", 3, "isPalindrome", "isPalindrome(s: string): boolean", "Return true when s reads the same backwards, ignoring case and non-letters.",
            "function isPalindrome(s) { const t = s.toLowerCase().replace(/[^a-z]/g, ''); return t === t.split('').reverse().join(''); }",
            ["[\"Racecar\"]", "[\"hello\"]", "[\"A man, a plan, a canal: Panama\"]", "[\"\"]", "[\"ab\"]"]),
        new("fibonacci", 3, "fibonacci", "fibonacci(n: number): number", "Return the n-th Fibonacci number, with fibonacci(0) = 0 and fibonacci(1) = 1 (n <= 70).",
            "function fibonacci(n) { let a = 0, b = 1; for (let i = 0; i < n; i++) [a, b] = [b, a + b]; return a; }", ["[0]", "[10]", "[1]", "[2]", "[50]"]),
        new("is-prime", 3, "isPrime", "isPrime(n: number): boolean", "Return true when the integer n is prime.",
            "function isPrime(n) { if (n < 2) return false; for (let d = 2; d * d <= n; d++) if (n % d === 0) return false; return true; }",
            ["[7]", "[8]", "[1]", "[2]", "[97]", "[91]"]),
        new("gcd", 3, "gcd", "gcd(a: number, b: number): number", "Return the greatest common divisor of two non-negative integers.",
            "function gcd(a, b) { while (b) [a, b] = [b, a % b]; return a; }", ["[12, 18]", "[7, 5]", "[0, 9]", "[100, 75]", "[17, 17]"]),
        new("unique-sorted", 3, "uniqueSorted", "uniqueSorted(nums: number[]): number[]", "Return the distinct numbers in ascending order.",
            "function uniqueSorted(nums) { return [...new Set(nums)].sort((a, b) => a - b); }", ["[[3, 1, 3, 2]]", "[[]]", "[[5, 5]]", "[[-1, 10, -1, 2]]", "[[9, 8, 7]]"]),
        new("char-frequency", 3, "charFrequency", "charFrequency(s: string): object", "Return an object mapping each character of s to how many times it appears.",
            "function charFrequency(s) { const o = {}; for (const c of s) o[c] = (o[c] || 0) + 1; return o; }", ["[\"aab\"]", "[\"\"]", "[\"hello\"]", "[\"zzz\"]", "[\"abc\"]"]),
        new("flatten-once", 3, "flattenOnce", "flattenOnce(xs: any[]): any[]", "Flatten one level of nesting: [[1, 2], 3] becomes [1, 2, 3].",
            "function flattenOnce(xs) { const r = []; for (const x of xs) Array.isArray(x) ? r.push(...x) : r.push(x); return r; }",
            ["[[[1, 2], 3]]", "[[]]", "[[[1], [2], [3]]]", "[[[1, [2]], 3]]", "[[4, 5]]"]),
        new("digit-sum", 3, "digitSum", "digitSum(n: number): number", "Return the sum of the decimal digits of the non-negative integer n.",
            "function digitSum(n) { let s = 0; while (n > 0) { s += n % 10; n = Math.floor(n / 10); } return s; }", ["[123]", "[0]", "[9999]", "[10]", "[505]"]),

        // 4: a classic algorithm.
        new("two-sum", 4, "twoSum", "twoSum(nums: number[], target: number): number[]", "Return the indices [i, j] (i < j) of the first pair, in order of j, whose values add up to target, or [] if none.",
            "function twoSum(nums, target) { const seen = new Map(); for (let j = 0; j < nums.length; j++) { const i = seen.get(target - nums[j]); if (i !== undefined) return [i, j]; if (!seen.has(nums[j])) seen.set(nums[j], j); } return []; }",
            ["[[2, 7, 11, 15], 9]", "[[1, 2, 3], 7]", "[[3, 3], 6]", "[[1, 5, 3, 2], 5]", "[[], 1]"]),
        new("binary-search", 4, "binarySearch", "binarySearch(sorted: number[], x: number): number", "Return the index of x in the ascending array, or -1.",
            "function binarySearch(a, x) { let lo = 0, hi = a.length - 1; while (lo <= hi) { const m = (lo + hi) >> 1; if (a[m] === x) return m; if (a[m] < x) lo = m + 1; else hi = m - 1; } return -1; }",
            ["[[1, 3, 5, 7], 5]", "[[1, 3, 5, 7], 4]", "[[], 1]", "[[2], 2]", "[[1, 2, 3, 4, 5, 6, 7, 8], 8]"]),
        new("balanced-brackets", 4, "isBalanced", "isBalanced(s: string): boolean", "Return true when every (, [ and { in s is closed in the right order.",
            "function isBalanced(s) { const st = [], m = { ')': '(', ']': '[', '}': '{' }; for (const c of s) { if ('([{'.includes(c)) st.push(c); else if (c in m) { if (st.pop() !== m[c]) return false; } } return st.length === 0; }",
            ["[\"([]){}\"]", "[\"(]\"]", "[\"\"]", "[\"((\"]", "[\"a(b[c]d)e\"]"]),
        new("anagrams", 4, "areAnagrams", "areAnagrams(a: string, b: string): boolean", "Return true when a and b use the same letters the same number of times (case-sensitive).",
            "function areAnagrams(a, b) { return a.split('').sort().join('') === b.split('').sort().join(''); }",
            ["[\"listen\", \"silent\"]", "[\"abc\", \"abd\"]", "[\"\", \"\"]", "[\"aab\", \"aba\"]", "[\"ab\", \"abb\"]"]),
        new("run-length", 4, "runLength", "runLength(s: string): string", "Run-length encode s: 'aaab' becomes 'a3b1'.",
            "function runLength(s) { let r = ''; for (let i = 0; i < s.length;) { let j = i; while (j < s.length && s[j] === s[i]) j++; r += s[i] + (j - i); i = j; } return r; }",
            ["[\"aaab\"]", "[\"\"]", "[\"abc\"]", "[\"zzzzzz\"]", "[\"aabbaa\"]"]),
        new("merge-sorted", 4, "mergeSorted", "mergeSorted(a: number[], b: number[]): number[]", "Merge two ascending arrays into one ascending array.",
            "function mergeSorted(a, b) { const r = []; let i = 0, j = 0; while (i < a.length || j < b.length) r.push(j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++]); return r; }",
            ["[[1, 3], [2, 4]]", "[[], [1]]", "[[], []]", "[[1, 1], [1]]", "[[5, 6, 7], [1, 2]]"]),
        new("roman-numerals", 4, "toRoman", "toRoman(n: number): string", "Return n (1..3999) in Roman numerals.",
            "function toRoman(n) { const v = [1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1], s = ['M', 'CM', 'D', 'CD', 'C', 'XC', 'L', 'XL', 'X', 'IX', 'V', 'IV', 'I']; let r = ''; for (let i = 0; i < v.length; i++) while (n >= v[i]) { r += s[i]; n -= v[i]; } return r; }",
            ["[4]", "[1994]", "[1]", "[3999]", "[58]"]),
        new("transpose", 4, "transpose", "transpose(m: number[][]): number[][]", "Return the transpose of a rectangular matrix.",
            "function transpose(m) { return m.length ? m[0].map((_, j) => m.map(row => row[j])) : []; }",
            ["[[[1, 2], [3, 4]]]", "[[]]", "[[[1, 2, 3]]]", "[[[1], [2]]]", "[[[1, 2], [3, 4], [5, 6]]]"]),

        // 5: dynamic programming and search.
        new("max-subarray", 5, "maxSubarray", "maxSubarray(nums: number[]): number", "Return the largest sum of a non-empty contiguous subarray (0 for an empty array).",
            "function maxSubarray(nums) { if (!nums.length) return 0; let best = nums[0], cur = 0; for (const x of nums) { cur = Math.max(x, cur + x); best = Math.max(best, cur); } return best; }",
            ["[[1, -2, 3, 4, -1]]", "[[-3, -1, -2]]", "[[]]", "[[5]]", "[[2, -1, 2, -1, 2, -1, 2]]"]),
        new("longest-common-subsequence", 5, "lcsLength", "lcsLength(a: string, b: string): number", "Return the length of the longest common subsequence of a and b.",
            "function lcsLength(a, b) { const d = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0)); for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = a[i - 1] === b[j - 1] ? d[i - 1][j - 1] + 1 : Math.max(d[i - 1][j], d[i][j - 1]); return d[a.length][b.length]; }",
            ["[\"abcde\", \"ace\"]", "[\"abc\", \"def\"]", "[\"\", \"abc\"]", "[\"aaaa\", \"aa\"]", "[\"AGGTAB\", \"GXTXAYB\"]"]),
        new("coin-change", 5, "coinChange", "coinChange(coins: number[], amount: number): number", "Return the fewest coins that make amount, or -1 if impossible.",
            "function coinChange(coins, amount) { const d = new Array(amount + 1).fill(Infinity); d[0] = 0; for (let a = 1; a <= amount; a++) for (const c of coins) if (c <= a && d[a - c] + 1 < d[a]) d[a] = d[a - c] + 1; return d[amount] === Infinity ? -1 : d[amount]; }",
            ["[[1, 2, 5], 11]", "[[2], 3]", "[[1], 0]", "[[3, 7], 20]", "[[5, 10, 25], 30]"]),
        new("edit-distance", 5, "editDistance", "editDistance(a: string, b: string): number", "Return the Levenshtein distance between a and b.",
            "function editDistance(a, b) { let prev = Array.from({ length: b.length + 1 }, (_, j) => j); for (let i = 1; i <= a.length; i++) { const cur = [i]; for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)); prev = cur; } return prev[b.length]; }",
            ["[\"kitten\", \"sitting\"]", "[\"\", \"abc\"]", "[\"same\", \"same\"]", "[\"flaw\", \"lawn\"]", "[\"a\", \"\"]"]),
        new("permutations", 5, "permutations", "permutations(xs: number[]): number[][]", "Return every ordering of the distinct numbers, in lexicographic order of positions (the standard recursive order).",
            "function permutations(xs) { if (xs.length <= 1) return [xs.slice()]; const r = []; for (let i = 0; i < xs.length; i++) { const rest = xs.slice(0, i).concat(xs.slice(i + 1)); for (const p of permutations(rest)) r.push([xs[i], ...p]); } return r; }",
            ["[[1, 2]]", "[[1, 2, 3]]", "[[]]", "[[7]]", "[[3, 1, 2]]"]),
        new("longest-increasing-subsequence", 5, "lisLength", "lisLength(nums: number[]): number", "Return the length of the longest strictly increasing subsequence.",
            "function lisLength(nums) { const tails = []; for (const x of nums) { let lo = 0, hi = tails.length; while (lo < hi) { const m = (lo + hi) >> 1; if (tails[m] < x) lo = m + 1; else hi = m; } tails[lo] = x; } return tails.length; }",
            ["[[10, 9, 2, 5, 3, 7, 101, 18]]", "[[]]", "[[5, 4, 3]]", "[[1, 2, 3, 4]]", "[[3, 10, 2, 1, 20]]"]),
        new("island-count", 5, "countIslands", "countIslands(grid: number[][]): number", "Return the number of 4-connected groups of 1s in the grid.",
            "function countIslands(g) { const h = g.length, w = h ? g[0].length : 0, seen = g.map(r => r.map(() => false)); let n = 0; for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) { if (g[i][j] !== 1 || seen[i][j]) continue; n++; const st = [[i, j]]; seen[i][j] = true; while (st.length) { const [a, b] = st.pop(); for (const [da, db] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) { const x = a + da, y = b + db; if (x >= 0 && y >= 0 && x < h && y < w && g[x][y] === 1 && !seen[x][y]) { seen[x][y] = true; st.push([x, y]); } } } } return n; }",
            ["[[[1, 1, 0], [0, 1, 0], [1, 0, 1]]]", "[[]]", "[[[0, 0], [0, 0]]]", "[[[1]]]", "[[[1, 0, 1, 0, 1]]]"]),
        new("knapsack", 5, "knapsack", "knapsack(weights: number[], values: number[], capacity: number): number", "Return the best total value of items (each used at most once) with total weight at most capacity.",
            "function knapsack(w, v, cap) { const d = new Array(cap + 1).fill(0); for (let i = 0; i < w.length; i++) for (let c = cap; c >= w[i]; c--) d[c] = Math.max(d[c], d[c - w[i]] + v[i]); return d[cap]; }",
            ["[[1, 3, 4], [15, 20, 30], 4]", "[[], [], 10]", "[[5], [10], 4]", "[[2, 3, 4, 5], [3, 4, 5, 6], 5]", "[[1, 1, 1], [1, 2, 3], 2]"]),
    ];

    private static readonly Lazy<IReadOnlyList<CodeTask>> Built = new(Build);

    /// <summary>Every hand-written task, with expected outputs computed from the reference solutions.</summary>
    public static IReadOnlyList<CodeTask> Tasks => Built.Value;

    private static IReadOnlyList<CodeTask> Build()
    {
        var sandbox = new JsSandbox(SandboxLimits.Default with { Timeout = TimeSpan.FromSeconds(10) });
        return Entries.Select(e => Make(sandbox, e.Id, e.Difficulty, e.Function, e.Signature, e.Description, e.Reference, e.Inputs)).ToArray();
    }

    /// <summary>Builds a task whose expected outputs come from running <paramref name="reference"/> on the inputs.</summary>
    public static CodeTask Make(JsSandbox sandbox, string id, int difficulty, string function, string signature, string description, string reference, IReadOnlyList<string> inputs)
    {
        var tests = inputs.Select(i => new CodeTest(i, sandbox.Evaluate(reference, function, i))).ToArray();
        return new CodeTask(id, difficulty, function, signature, description, tests.Take(2).ToArray(), tests, reference);
    }
}
