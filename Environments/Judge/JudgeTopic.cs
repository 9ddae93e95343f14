namespace Sim.Environments.Judge;

/// <summary>A free-form question and its hidden rubric: key points, each recognised by any of its phrases.</summary>
/// <param name="Id">A stable identifier.</param>
/// <param name="Question">The prompt.</param>
/// <param name="KeyPoints">The key points; each is a sentence a model answer would contain and the phrases that show it.</param>
public sealed record JudgeTopic(string Id, string Question, IReadOnlyList<(string Sentence, string[] Phrases)> KeyPoints)
{
    /// <summary>The built-in topics.</summary>
    public static IReadOnlyList<JudgeTopic> All { get; } =
    [
        new("sky-blue", "Why is the sky blue?",
        [
            ("Sunlight contains all visible wavelengths.", ["all visible wavelengths", "white light", "all colours", "all colors"]),
            ("Air molecules scatter light by Rayleigh scattering.", ["rayleigh"]),
            ("Scattering is much stronger for short wavelengths.", ["short wavelength", "shorter wavelength", "fourth power"]),
            ("So blue light reaches us from every direction of the sky.", ["every direction", "all directions", "whole sky"]),
            ("Violet is scattered even more, but the sun emits less of it and our eyes are less sensitive to it.", ["violet"]),
            ("At sunset the light crosses more air, so reds dominate.", ["sunset", "sunrise"]),
        ]),
        new("seasons", "What causes the seasons on Earth?",
        [
            ("Earth's axis is tilted about 23.5 degrees.", ["tilt", "23.5", "axial"]),
            ("This changes how directly sunlight strikes each hemisphere.", ["directly", "angle of sunlight", "angle of the sun"]),
            ("Direct sunlight delivers more energy per area.", ["per area", "concentrated", "more energy"]),
            ("Days are longer in summer.", ["longer days", "day length", "days are longer"]),
            ("Distance from the Sun is not the cause.", ["not the distance", "distance is not", "distance from the sun is not", "not because of distance", "closest in january", "perihelion"]),
            ("The hemispheres have opposite seasons.", ["opposite", "southern hemisphere"]),
        ]),
        new("vaccines", "How do vaccines protect against disease?",
        [
            ("A vaccine exposes the immune system to a harmless form of an antigen.", ["antigen", "weakened", "inactivated", "mrna"]),
            ("The body produces antibodies.", ["antibod"]),
            ("Memory cells remember the pathogen.", ["memory cell", "memory b", "memory t", "immune memory"]),
            ("A later infection is met with a faster, stronger response.", ["faster", "stronger response", "quickly"]),
            ("Herd immunity protects people who cannot be vaccinated.", ["herd immunity", "community immunity"]),
        ]),
        new("inflation", "What is inflation and what causes it?",
        [
            ("Inflation is a general rise in prices over time.", ["rise in prices", "prices rise", "price level", "increase in prices"]),
            ("It reduces the purchasing power of money.", ["purchasing power"]),
            ("Demand-pull: demand outgrows supply.", ["demand-pull", "demand pull", "excess demand", "demand exceeds"]),
            ("Cost-push: production costs rise.", ["cost-push", "cost push", "production costs", "input costs"]),
            ("Growth of the money supply can drive it.", ["money supply", "printing money"]),
            ("Central banks raise interest rates to slow it.", ["interest rate", "central bank"]),
        ]),
        new("photosynthesis", "Explain photosynthesis.",
        [
            ("Plants convert light energy into chemical energy.", ["light energy", "chemical energy", "energy from light"]),
            ("It takes in carbon dioxide and water.", ["carbon dioxide", "co2"]),
            ("It produces glucose.", ["glucose", "sugar"]),
            ("Oxygen is released.", ["oxygen", "o2"]),
            ("Chlorophyll in chloroplasts absorbs the light.", ["chlorophyll", "chloroplast"]),
            ("It has light-dependent reactions and the Calvin cycle.", ["calvin", "light-dependent", "light dependent"]),
        ]),
        new("tcp-udp", "What is the difference between TCP and UDP?",
        [
            ("TCP is connection-oriented; UDP is connectionless.", ["connection-oriented", "connection oriented", "connectionless", "handshake"]),
            ("TCP guarantees delivery with acknowledgements and retransmission.", ["reliab", "acknowledg", "retransmi", "guarantee"]),
            ("TCP delivers bytes in order.", ["in order", "ordering", "ordered"]),
            ("UDP has lower overhead and latency.", ["lower overhead", "less overhead", "lower latency", "faster"]),
            ("TCP has flow and congestion control.", ["congestion", "flow control"]),
            ("UDP suits streaming, games and DNS.", ["streaming", "gaming", "games", "dns", "voip"]),
        ]),
        new("black-holes", "What is a black hole?",
        [
            ("A region where gravity is so strong that nothing, not even light, escapes.", ["not even light", "light cannot escape", "nothing can escape"]),
            ("Its boundary is the event horizon.", ["event horizon"]),
            ("Many form when massive stars collapse.", ["collapse", "massive star", "supernova"]),
            ("General relativity predicts them.", ["general relativity", "einstein"]),
            ("Supermassive black holes sit at galaxy centres.", ["supermassive", "galactic center", "galaxy centre", "centre of galax", "center of galax"]),
            ("They slowly emit Hawking radiation.", ["hawking"]),
        ]),
        new("recursion", "What is recursion in programming?",
        [
            ("A function that calls itself.", ["calls itself", "call itself"]),
            ("It needs a base case to stop.", ["base case"]),
            ("Each call works on a smaller subproblem.", ["smaller", "subproblem", "sub-problem"]),
            ("Calls use the call stack, which can overflow.", ["call stack", "stack overflow"]),
            ("Examples: factorial, tree traversal.", ["factorial", "fibonacci", "tree", "traversal"]),
        ]),
    ];
}
