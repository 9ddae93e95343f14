// An MSBuild task (compiled by RoslynCodeTaskFactory from TorchSharpGlibcFix.targets) that marks one symbol-version
// requirement of an ELF shared library weak, so the dynamic loader no longer refuses the library when the version is
// missing. Why: libLibTorchSharp.so (TorchSharp 0.107.0) asks libstdc++ for GLIBCXX_3.4.32, which Debian 12's
// libstdc++ (GLIBCXX_3.4.30) lacks. The only symbol bound to that version is _ZSt21ios_base_library_initv, a marker
// symbol that is never called, so a weak requirement is safe. The task checks exactly that before it writes a byte,
// is idempotent, replaces the file atomically (never writing through a hard link into the NuGet cache), and fails
// the build with a clear message when the file does not look the way this fix expects.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchElfWeakVersion : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const uint ShtDynsym = 11;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The library files to patch (every copy in an output or publish folder).</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The version requirement to weaken, e.g. GLIBCXX_3.4.32.</summary>
    [Required] public string Version { get; set; } = "";

    /// <summary>Semicolon-separated symbols that may be bound to <see cref="Version"/>; any other symbol fails the build.</summary>
    [Required] public string AllowedSymbols { get; set; } = "";

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                string result = Patch(path, Version, new HashSet<string>(AllowedSymbols.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)));
                Log.LogMessage(MessageImportance.Normal, "TorchSharpGlibcFix: {0}: {1}", path, result);
            }
            catch (InvalidDataException ex)
            {
                Log.LogError("TorchSharpGlibcFix: cannot patch {0}: {1}", path, ex.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Weakens <paramref name="version"/> in the file at <paramref name="path"/>; returns what it did.</summary>
    public static string Patch(string path, string version, HashSet<string> allowed)
    {
        byte[] elf = File.ReadAllBytes(path);
        Require(elf.Length >= 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L' && elf[3] == (byte)'F', "not an ELF file");
        Require(elf[4] == 2, "not a 64-bit ELF file");
        Require(elf[5] == 1, "not a little-endian ELF file");
        ulong shoff = U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        Require(shoff != 0 && shnum > 0, "no section headers");
        Require(shentsize == 64, "unexpected section header size " + shentsize);
        Require(shoff + (ulong)shnum * 64 <= (ulong)elf.Length, "section headers run past the end of the file");

        int verneed = -1, versym = -1;
        for (int i = 0; i < shnum; i++)
        {
            uint type = U32(elf, (int)shoff + i * 64 + 4);
            if (type == ShtGnuVerneed) { Require(verneed < 0, "two .gnu.version_r sections"); verneed = i; }
            if (type == ShtGnuVersym) { Require(versym < 0, "two .gnu.version sections"); versym = i; }
        }
        Require(verneed >= 0, "no .gnu.version_r (SHT_GNU_verneed) section");
        Require(versym >= 0, "no .gnu.version (SHT_GNU_versym) section");

        var need = Section(elf, shoff, verneed);
        var strtab = Section(elf, shoff, (int)need.Link);
        int entries = (int)need.Info;

        // Walk the Verneed list and its Vernaux entries to find the requirement by name.
        int found = -1, versionIndex = -1;
        long at = need.Offset;
        for (int n = 0; n < entries; n++)
        {
            Require(at + 16 <= need.Offset + need.Size, "Verneed entry outside its section");
            Require(U16(elf, (int)at) == 1, "unknown Verneed version " + U16(elf, (int)at));
            int count = U16(elf, (int)at + 2);
            long aux = at + U32(elf, (int)at + 8);
            for (int a = 0; a < count; a++)
            {
                Require(aux + 16 <= need.Offset + need.Size, "Vernaux entry outside its section");
                string name = Str(elf, strtab, U32(elf, (int)aux + 8));
                if (name == version)
                {
                    Require(found < 0, "requirement " + version + " appears twice");
                    Require(U32(elf, (int)aux) == ElfHash(name), "hash of " + version + " does not match its name");
                    found = (int)aux;
                    versionIndex = U16(elf, (int)aux + 6) & 0x7fff;
                }
                uint next = U32(elf, (int)aux + 12);
                if (next == 0) { Require(a == count - 1, "Vernaux list shorter than vn_cnt"); break; }
                aux += next;
            }
            uint nextNeed = U32(elf, (int)at + 12);
            if (nextNeed == 0) { Require(n == entries - 1, "Verneed list shorter than sh_info"); break; }
            at += nextNeed;
        }
        Require(found >= 0, "no requirement named " + version + " (the fix may no longer be needed: remove it)");

        // Only weaken the requirement if every symbol bound to it is one we know is never called.
        var vs = Section(elf, shoff, versym);
        var dynsym = Section(elf, shoff, (int)vs.Link);
        Require(dynsym.Type == ShtDynsym, ".gnu.version does not link to .dynsym");
        var dynstr = Section(elf, shoff, (int)dynsym.Link);
        long symbols = dynsym.Size / 24;
        Require(vs.Size == symbols * 2, ".gnu.version and .dynsym differ in length");
        int bound = 0;
        for (long s = 0; s < symbols; s++)
        {
            if ((U16(elf, (int)(vs.Offset + s * 2)) & 0x7fff) != versionIndex) continue;
            string sym = Str(elf, dynstr, U32(elf, (int)(dynsym.Offset + s * 24)));
            Require(allowed.Contains(sym), "symbol " + sym + " needs " + version + "; weakening it is not known to be safe");
            Require(U16(elf, (int)(dynsym.Offset + s * 24) + 6) == 0, "symbol " + sym + " is defined here, not imported");
            bound++;
        }

        ushort flags = (ushort)U16(elf, found + 4);
        if ((flags & VerFlgWeak) != 0) return version + " already weak (" + bound + " symbol(s))";
        flags |= VerFlgWeak;
        elf[found + 4] = (byte)flags;
        elf[found + 5] = (byte)(flags >> 8);

        // Write beside the file and rename over it: atomic, and it breaks any hard link into the package cache.
        string tmp = path + ".weak-" + Guid.NewGuid().ToString("N") + ".tmp";
        var stamp = File.GetLastWriteTimeUtc(path);
        File.WriteAllBytes(tmp, elf);
        // (RoslynCodeTaskFactory compiles against netstandard2.0, so no File.Move overwrite; Replace is a rename on Unix.)
        File.Replace(tmp, path, null);
        // Keep the original time stamp so incremental builds do not see a changed file and copy it again.
        File.SetLastWriteTimeUtc(path, stamp);
        return "marked " + version + " weak (" + bound + " symbol(s))";
    }

    private readonly struct Sec
    {
        public Sec(uint type, long offset, long size, uint link, uint info) { Type = type; Offset = offset; Size = size; Link = link; Info = info; }
        public uint Type { get; }
        public long Offset { get; }
        public long Size { get; }
        public uint Link { get; }
        public uint Info { get; }
    }

    private static Sec Section(byte[] elf, ulong shoff, int index)
    {
        int shnum = U16(elf, 0x3C);
        Require(index > 0 && index < shnum, "section index " + index + " out of range");
        int h = (int)shoff + index * 64;
        var s = new Sec(U32(elf, h + 4), (long)U64(elf, h + 0x18), (long)U64(elf, h + 0x20), U32(elf, h + 0x28), U32(elf, h + 0x2C));
        Require(s.Offset >= 0 && s.Size >= 0 && s.Offset + s.Size <= elf.Length, "section " + index + " runs past the end of the file");
        return s;
    }

    private static string Str(byte[] elf, Sec table, uint offset)
    {
        Require(offset < table.Size, "string offset outside its table");
        int start = (int)(table.Offset + offset), end = start;
        while (end < table.Offset + table.Size && elf[end] != 0) end++;
        Require(end < table.Offset + table.Size, "unterminated string");
        return Encoding.ASCII.GetString(elf, start, end - start);
    }

    // The SysV ELF hash, which vna_hash must hold for the requirement's name.
    private static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    private static void Require(bool ok, string what)
    {
        if (!ok) throw new InvalidDataException("unexpected ELF layout: " + what);
    }

    private static int U16(byte[] b, int at) { Require(at >= 0 && at + 2 <= b.Length, "read past end"); return b[at] | b[at + 1] << 8; }
    private static uint U32(byte[] b, int at) { Require(at >= 0 && at + 4 <= b.Length, "read past end"); return BitConverter.ToUInt32(b, at); }
    private static ulong U64(byte[] b, int at) { Require(at >= 0 && at + 8 <= b.Length, "read past end"); return BitConverter.ToUInt64(b, at); }
}
