using System.Runtime.InteropServices;

namespace Sim.Viewer.Glfw;

/// <summary>
/// The few GLFW 3 functions the viewer needs, bound by hand to Debian's <c>libglfw.so.3</c> (package libglfw3).
/// Kept small on purpose: a window with an OpenGL context, input polling and callbacks, and GL function lookup for
/// SkiaSharp. All calls must come from the thread that called <see cref="Init"/>.
/// </summary>
internal static unsafe partial class Glfw
{
    private const string Lib = "libglfw.so.3";

    public const int True = 1, False = 0;
    public const int Press = 1, Release = 0, Repeat = 2;
    public const int MouseButtonLeft = 0;
    public const int ContextVersionMajor = 0x00022002, ContextVersionMinor = 0x00022003;
    public const int Visible = 0x00020004, Resizable = 0x00020003, Samples = 0x0002100D, StencilBits = 0x00021006;
    public const int KeySpace = 32, KeyRight = 262, KeyLeft = 261, KeyDown = 264, KeyUp = 265, KeyEscape = 256;
    public const int KeyEqual = 61, KeyMinus = 45, KeyKpAdd = 334, KeyKpSubtract = 333, KeyHome = 268, KeyEnd = 269;
    public const int KeyA = 65, KeyR = 82;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void ErrorCallback(int code, IntPtr description);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void KeyCallback(IntPtr window, int key, int scancode, int action, int mods);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void MouseButtonCallback(IntPtr window, int button, int action, int mods);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void ScrollCallback(IntPtr window, double dx, double dy);

    [DllImport(Lib, EntryPoint = "glfwInit")] public static extern int Init();
    [DllImport(Lib, EntryPoint = "glfwTerminate")] public static extern void Terminate();
    [DllImport(Lib, EntryPoint = "glfwSetErrorCallback")] public static extern IntPtr SetErrorCallback(ErrorCallback? callback);
    [DllImport(Lib, EntryPoint = "glfwDefaultWindowHints")] public static extern void DefaultWindowHints();
    [DllImport(Lib, EntryPoint = "glfwWindowHint")] public static extern void WindowHint(int hint, int value);
    [DllImport(Lib, EntryPoint = "glfwCreateWindow")] public static extern IntPtr CreateWindow(int width, int height, [MarshalAs(UnmanagedType.LPUTF8Str)] string title, IntPtr monitor, IntPtr share);
    [DllImport(Lib, EntryPoint = "glfwDestroyWindow")] public static extern void DestroyWindow(IntPtr window);
    [DllImport(Lib, EntryPoint = "glfwMakeContextCurrent")] public static extern void MakeContextCurrent(IntPtr window);
    [DllImport(Lib, EntryPoint = "glfwSwapInterval")] public static extern void SwapInterval(int interval);
    [DllImport(Lib, EntryPoint = "glfwSwapBuffers")] public static extern void SwapBuffers(IntPtr window);
    [DllImport(Lib, EntryPoint = "glfwPollEvents")] public static extern void PollEvents();
    [DllImport(Lib, EntryPoint = "glfwWindowShouldClose")] public static extern int WindowShouldClose(IntPtr window);
    [DllImport(Lib, EntryPoint = "glfwSetWindowShouldClose")] public static extern void SetWindowShouldClose(IntPtr window, int value);
    [DllImport(Lib, EntryPoint = "glfwGetFramebufferSize")] public static extern void GetFramebufferSize(IntPtr window, out int width, out int height);
    [DllImport(Lib, EntryPoint = "glfwGetCursorPos")] public static extern void GetCursorPos(IntPtr window, out double x, out double y);
    [DllImport(Lib, EntryPoint = "glfwGetMouseButton")] public static extern int GetMouseButton(IntPtr window, int button);
    [DllImport(Lib, EntryPoint = "glfwGetTime")] public static extern double GetTime();
    [DllImport(Lib, EntryPoint = "glfwGetProcAddress")] public static extern IntPtr GetProcAddress([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    [DllImport(Lib, EntryPoint = "glfwSetKeyCallback")] public static extern IntPtr SetKeyCallback(IntPtr window, KeyCallback? callback);
    [DllImport(Lib, EntryPoint = "glfwSetMouseButtonCallback")] public static extern IntPtr SetMouseButtonCallback(IntPtr window, MouseButtonCallback? callback);
    [DllImport(Lib, EntryPoint = "glfwSetScrollCallback")] public static extern IntPtr SetScrollCallback(IntPtr window, ScrollCallback? callback);

    /// <summary>True when libglfw.so.3 can be loaded on this machine.</summary>
    public static bool IsAvailable() => NativeLibrary.TryLoad(Lib, out _);
}
