using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Sim.Tests.Docs;

/// <summary>The docs describe the system as it is: no work-log numbering, and pages short enough to read.</summary>
public class DocsTests
{
    // docs/*.md, README.md and DEVELOPERS.md travel with the test assembly, in its docs/ folder (tests/Sim.Tests.csproj).
    private static string Folder => Path.Combine(TestContext.CurrentContext.TestDirectory, "docs");

    private static IEnumerable<string> Pages() => Directory.GetFiles(Folder, "*.md");

    private static readonly Regex WorkLog = new(@"session [0-9]|issue #?[0-9]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [Test]
    public void NoPageNarratesSessionsOrIssues()
    {
        Assert.That(Pages().Count(), Is.GreaterThan(10), "the docs are copied next to the tests");
        var hits = new List<string>();
        foreach (var page in Pages())
        {
            if (Path.GetFileName(page).StartsWith("CHANGELOG", StringComparison.OrdinalIgnoreCase)) continue;
            int n = 0;
            foreach (var line in File.ReadLines(page))
            {
                n++;
                if (WorkLog.IsMatch(line)) hits.Add($"{Path.GetFileName(page)}:{n}: {line.Trim()}");
            }
        }
        Assert.That(hits, Is.Empty, "docs describe the system as it is; git history holds the story");
    }

    [Test]
    public void PagesStayReadable()
    {
        var long_ = Pages().Where(p => Path.GetFileName(p) is not ("README.md" or "DEVELOPERS.md"))
            .Select(p => (Page: Path.GetFileName(p), Lines: File.ReadLines(p).Count()))
            .Where(p => p.Lines > 300).Select(p => $"{p.Page}: {p.Lines} lines").ToList();
        Assert.That(long_, Is.Empty, "a docs page stays within 300 lines");
    }
}
