using BenchmarkDotNet.Running;

namespace Rectify.Bench;

/// <summary>All in-process benchmarks: dotnet run -c Release --project bench/Rectify.Bench -- --filter '*' --job short</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
