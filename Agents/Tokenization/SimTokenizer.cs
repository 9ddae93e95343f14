using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Sim.Agents.Tokenization;

/// <summary>
/// The tokenizer of Sim's transformer policies and reward models: a Microsoft.ML.Tokenizers byte-level BPE with a small
/// vocabulary built for Sim's step protocols.
/// <para><b>Vocabulary.</b> Four special tokens (<see cref="Pad"/>, <see cref="Unk"/>, <see cref="Bos"/>, <see cref="Eos"/>),
/// then all 256 bytes (in GPT-2's byte-to-character alphabet), then merges that make the protocol's keywords
/// (<c>Answer</c>, <c>Goal</c>, <c>Check</c>, <c>backtrack</c>...) single tokens. Digits, operators and delimiters are single
/// bytes, so every number is spelled digit by digit, which helps small models do arithmetic.</para>
/// <para><b>Round trip.</b> <c>Decode(Encode(s)) == s</c> for every string <c>s</c>: the pre-tokenizer is a regex whose
/// alternatives cover every character (runs of ASCII letters, single digits, single whitespace characters, surrogate pairs,
/// any other single character), so nothing is dropped, and because the base alphabet holds every byte, no character is
/// ever unknown. <see cref="Unk"/> is still configured (the library's default is to drop what it cannot map); it appears
/// only for ids a caller invents.</para>
/// <para><b>Step protocol.</b> One reasoning step is one line: <see cref="StepDelimiter"/> (<c>"\n"</c>) ends it and is always
/// its own token (<see cref="StepDelimiterId"/>). A completion ends with <see cref="Eos"/>.</para>
/// </summary>
public sealed class SimTokenizer
{
    /// <summary>Padding token (id 0).</summary>
    public const string Pad = "<|pad|>";

    /// <summary>Unknown token (id 1).</summary>
    public const string Unk = "<|unk|>";

    /// <summary>Beginning of a sequence (id 2).</summary>
    public const string Bos = "<|bos|>";

    /// <summary>End of a completion (id 3).</summary>
    public const string Eos = "<|eos|>";

    /// <summary>The text that ends one reasoning step.</summary>
    public const string StepDelimiter = "\n";

    /// <summary>The pre-tokenizer pattern; its alternatives cover every character, so no input text is dropped.</summary>
    public const string Pattern = @"[A-Za-z]+|\d|\s|[\uD800-\uDBFF][\uDC00-\uDFFF]|[^A-Za-z\d\s]";

    /// <summary>Version of the vocabulary layout, saved with checkpoints.</summary>
    public const int FormatVersion = 1;

    /// <summary>Words of the step protocols and demonstrator traces that get their own token.</summary>
    public static IReadOnlyList<string> DefaultKeywords { get; } =
    [
        "Answer", "Goal", "Problem", "Plan", "Check", "check", "Try", "try", "Wait", "wait", "Backtrack", "backtrack",
        "Alternatively", "Correction", "mistake", "Remaining", "remaining", "numbers", "target", "reached", "reach",
        "Explore", "Queue", "Node", "dead", "end", "Then", "First", "Use", "use", "with", "from", "the", "and", "not",
        "is", "so", "Verify", "valid", "invalid", "Step", "step", "left", "make", "need", "close", "far", "Option",
        "Done", "Split", "into", "parts", "solved", "unsolvable", "Let", "me", "to", "of", "it", "can", "get",
    ];

    private static readonly string[] Specials = [Pad, Unk, Bos, Eos];

    private readonly BpeTokenizer _bpe;
    private readonly string[] _idToToken;

    private SimTokenizer(IReadOnlyList<string> keywords)
    {
        Keywords = keywords.ToArray();
        var alphabet = ByteAlphabet();
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in Specials) vocab[s] = vocab.Count;
        for (int b = 0; b < 256; b++) vocab[alphabet[b].ToString()] = vocab.Count;
        var merges = new List<string>();
        foreach (var word in Keywords)
        {
            if (word.Length < 2 || !Regex.IsMatch(word, "^[A-Za-z]+$"))
                throw new ArgumentException($"keyword '{word}' must be two or more ASCII letters");
            // Left-to-right merges build the word one letter at a time; the merged prefixes join the vocabulary.
            for (int i = 1; i < word.Length; i++)
            {
                string left = word[..i], right = word[i].ToString();
                if (vocab.TryAdd(left + right, vocab.Count)) merges.Add(left + " " + right);
            }
        }
        var special = Specials.ToDictionary(s => s, s => vocab[s]);
        _bpe = BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            PreTokenizer = new RegexPreTokenizer(new Regex(Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), special),
            UnknownToken = Unk,
            ByteLevel = true,
            SpecialTokens = special,
        });
        _idToToken = new string[vocab.Count];
        foreach (var (tok, id) in vocab) _idToToken[id] = tok;
        StepDelimiterId = vocab[alphabet['\n'].ToString()];
    }

    /// <summary>The tokenizer with <see cref="DefaultKeywords"/>.</summary>
    public static SimTokenizer CreateDefault() => new(DefaultKeywords);

    /// <summary>A tokenizer with custom keywords (each two or more ASCII letters).</summary>
    public static SimTokenizer Create(IReadOnlyList<string> keywords) => new(keywords);

    /// <summary>The keywords that were merged into single tokens, in merge order.</summary>
    public IReadOnlyList<string> Keywords { get; }

    /// <summary>Number of token ids (the model's vocabulary size).</summary>
    public int VocabSize => _idToToken.Length;

    /// <summary>Id of <see cref="Pad"/>.</summary>
    public int PadId => 0;

    /// <summary>Id of <see cref="Unk"/>.</summary>
    public int UnkId => 1;

    /// <summary>Id of <see cref="Bos"/>.</summary>
    public int BosId => 2;

    /// <summary>Id of <see cref="Eos"/>.</summary>
    public int EosId => 3;

    /// <summary>Id of the <see cref="StepDelimiter"/> token.</summary>
    public int StepDelimiterId { get; }

    /// <summary>The underlying library tokenizer.</summary>
    public Tokenizer Inner => _bpe;

    /// <summary>Encodes text to ids. Special-token text (<c>&lt;|eos|&gt;</c>) in the input maps to its special id.</summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? [] : _bpe.EncodeToIds(text).ToArray();
    }

    /// <summary>The number of ids <see cref="Encode"/> gives for <paramref name="text"/>, without making them.</summary>
    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : _bpe.CountTokens(text);
    }

    /// <summary>Decodes ids to text, special tokens included as their text.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id outside the vocabulary.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        var list = ids as IReadOnlyList<int> ?? ids.ToArray();
        foreach (int id in list)
            if ((uint)id >= (uint)VocabSize) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} outside the vocabulary of {VocabSize}");
        return _bpe.Decode(list) ?? "";
    }

    /// <summary>The token string of an id (byte-level form), for inspection.</summary>
    public string TokenOf(int id) => _idToToken[id];

    /// <summary>The JSON form saved beside checkpoints.</summary>
    public JsonObject ToJson() => new()
    {
        ["kind"] = "sim-bpe",
        ["format"] = FormatVersion,
        ["pattern"] = Pattern,
        ["vocab_size"] = VocabSize,
        ["keywords"] = new JsonArray(Keywords.Select(k => (JsonNode)k).ToArray()),
    };

    /// <summary>Rebuilds a tokenizer from <see cref="ToJson"/>; checks that it reproduces the saved vocabulary size.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a Sim tokenizer of a known format.</exception>
    public static SimTokenizer FromJson(JsonNode? json)
    {
        if (json is not JsonObject o || (string?)o["kind"] != "sim-bpe")
            throw new InvalidDataException("not a Sim tokenizer (kind != sim-bpe)");
        if ((int?)o["format"] != FormatVersion) throw new InvalidDataException($"unknown tokenizer format {o["format"]}");
        if ((string?)o["pattern"] != Pattern) throw new InvalidDataException("tokenizer pattern differs from this build's");
        var keywords = (o["keywords"] as JsonArray ?? throw new InvalidDataException("tokenizer has no keywords"))
            .Select(k => (string?)k ?? throw new InvalidDataException("null keyword")).ToArray();
        SimTokenizer t;
        try { t = new SimTokenizer(keywords); }
        catch (ArgumentException ex) { throw new InvalidDataException(ex.Message); }
        if ((int?)o["vocab_size"] != t.VocabSize) throw new InvalidDataException($"tokenizer vocabulary size {o["vocab_size"]} != rebuilt {t.VocabSize}");
        return t;
    }

    /// <summary>Writes <see cref="ToJson"/> to a file.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Reads a tokenizer written by <see cref="Save"/>.</summary>
    public static SimTokenizer Load(string path) => FromJson(JsonNode.Parse(File.ReadAllText(path)));

    // GPT-2's reversible byte-to-character map: printable bytes map to themselves, the rest to code points from 256 up,
    // so that every byte has a visible, non-whitespace character (which is what the library's ByteLevel mode expects).
    private static char[] ByteAlphabet()
    {
        var bytes = new List<int>();
        for (int b = '!'; b <= '~'; b++) bytes.Add(b);
        for (int b = 0xA1; b <= 0xAC; b++) bytes.Add(b);
        for (int b = 0xAE; b <= 0xFF; b++) bytes.Add(b);
        var chars = new List<int>(bytes);
        int extra = 0;
        for (int b = 0; b < 256; b++)
        {
            if (bytes.Contains(b)) continue;
            bytes.Add(b);
            chars.Add(256 + extra++);
        }
        var map = new char[256];
        for (int i = 0; i < 256; i++) map[bytes[i]] = (char)chars[i];
        return map;
    }
}
