using NUnit.Framework;
using Sim.Agents.Tokenization;
using Sim.Engine;

namespace Sim.Tests.Agents;

public class SimTokenizerTests
{
    private static readonly SimTokenizer Tok = SimTokenizer.CreateDefault();

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("   leading and trailing   ")]
    [TestCase("8 - 3 = 5\n5 * 4 = 20\nAnswer: (8-3)*4")]
    [TestCase("tabs\tand\r\nwindows lines")]
    [TestCase("héllo wörld ∑ 😀 中文")]
    [TestCase("<|bos|>Goal: 24<|eos|>")]
    [TestCase("\u0000\u0001 control \u007f")]
    public void RoundTrips(string text)
    {
        Assert.That(Tok.Decode(Tok.Encode(text)), Is.EqualTo(text));
        Assert.That(Tok.Count(text), Is.EqualTo(Tok.Encode(text).Length));
    }

    [Test]
    public void RandomStringsRoundTrip()
    {
        // Property test: strings drawn from a mix of protocol characters, whitespace, keywords and arbitrary code points.
        var rng = new Rng(12345);
        string[] pieces = ["Answer", "Goal", " ", "  ", "\n", "\t", "+", "-", "*", "/", "=", "(", ")", "é", "😀", "\u2028", "x", "42"];
        for (int trial = 0; trial < 2000; trial++)
        {
            var sb = new System.Text.StringBuilder();
            int n = rng.NextInt(0, 30);
            for (int i = 0; i < n; i++)
            {
                if (rng.NextDouble() < 0.6) sb.Append(pieces[rng.NextInt(0, pieces.Length)]);
                else
                {
                    int cp = rng.NextInt(0, 0x10FFFF);
                    if (cp is >= 0xD800 and <= 0xDFFF) cp = 'z';
                    sb.Append(char.ConvertFromUtf32(cp));
                }
            }
            string s = sb.ToString();
            int[] ids = Tok.Encode(s);
            Assert.That(ids, Has.None.EqualTo(Tok.UnkId), s);
            Assert.That(Tok.Decode(ids), Is.EqualTo(s), $"trial {trial}");
            Assert.That(Tok.Count(s), Is.EqualTo(ids.Length), $"trial {trial}: Count agrees with Encode");
        }
    }

    [Test]
    public void StepDelimiterIsItsOwnTokenAndKeywordsAreSingleTokens()
    {
        int[] ids = Tok.Encode("Answer:\nGoal");
        Assert.That(ids, Has.Length.EqualTo(4));
        Assert.That(ids[2], Is.EqualTo(Tok.StepDelimiterId));
        Assert.That(Tok.Encode("12"), Has.Length.EqualTo(2), "digits are spelled one by one");
        Assert.That(Tok.Encode(SimTokenizer.Eos), Is.EqualTo(new[] { Tok.EosId }));
        Assert.That(Tok.VocabSize, Is.LessThan(512));
    }

    [Test]
    public void SavesAndLoads()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sim-tok-{Environment.ProcessId}.json");
        try
        {
            Tok.Save(path);
            var back = SimTokenizer.Load(path);
            Assert.That(back.VocabSize, Is.EqualTo(Tok.VocabSize));
            Assert.That(back.Encode("Check 8 - 3 = 5"), Is.EqualTo(Tok.Encode("Check 8 - 3 = 5")));
            File.WriteAllText(path, "{\"kind\":\"other\"}");
            Assert.Throws<InvalidDataException>(() => SimTokenizer.Load(path));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void DecodeRejectsIdsOutsideTheVocabulary() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Tok.Decode([Tok.VocabSize]));
}
