using System.Collections.Concurrent;
using System.Reactive.Linq;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace SslCourse.Runner;

/// <summary>An in-process C# kernel as Polyglot Notebooks sets it up (NuGet directive, kernel helpers, NuGet extensions).</summary>
internal sealed class KernelHost : IDisposable
{
    private readonly CompositeKernel _kernel;
    private readonly ConcurrentQueue<PackageAdded> _addedPackages = new();
    private readonly IDisposable _subscription;
    private volatile CellOutputRecorder? _recorder;

    public KernelHost()
    {
        var csharp = new CSharpKernel().UseKernelHelpers();
        csharp.UseNugetDirective((k, packages) =>
        {
            k.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
            return Task.CompletedTask;
        });
        _kernel = new CompositeKernel { DefaultKernelName = "csharp" };
        _kernel.Add(csharp, ["c#", "C#"]);
        _kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            await LoadPackageExtensionsAsync();
        });
        _subscription = _kernel.KernelEvents.Subscribe(e =>
        {
            if (e is PackageAdded added)
            {
                _addedPackages.Enqueue(added);
            }
            _recorder?.Record(e);
        });
    }

    /// <summary>Runs one cell; events go to <paramref name="recorder"/>. Completes with null on timeout.</summary>
    public async Task<bool?> RunAsync(string code, CellOutputRecorder recorder, TimeSpan timeout)
    {
        _recorder = recorder;
        using var cts = new CancellationTokenSource();
        try
        {
            var run = _kernel.SendAsync(new SubmitCode(code, "csharp"), cts.Token);
            var finished = await Task.WhenAny(run, Task.Delay(timeout));
            if (finished != run)
            {
                // Ask the kernel to stop; code that ignores cancellation (a busy loop) keeps running, so the caller ends the process.
                await cts.CancelAsync();
                await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(2)));
                return null;
            }
            var result = await run;
            return !result.Events.OfType<CommandFailed>().Any();
        }
        finally
        {
            _recorder = null;
        }
    }

    /// <summary>
    /// Loads kernel extensions shipped in a package's <c>interactive-extensions/dotnet</c> folder
    /// (e.g. Plotly.NET.Interactive's formatter), once per package root.
    /// </summary>
    private async Task LoadPackageExtensionsAsync()
    {
        while (_addedPackages.TryDequeue(out var added))
        {
            if (added.PackageReference.PackageRoot is not { } root || !_loadedRoots.Add(root))
            {
                continue;
            }
            var dir = Path.Combine(root, "interactive-extensions", "dotnet");
            if (!Directory.Exists(dir))
            {
                continue;
            }
            foreach (var dll in Directory.GetFiles(dir, "*.dll").Order(StringComparer.Ordinal))
            {
                var assembly = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath(dll);
                var types = assembly.GetExportedTypes()
                    .Where(t => typeof(IKernelExtension).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false });
                foreach (var type in types)
                {
                    var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                    await extension.OnLoadAsync(_kernel);
                }
            }
        }
    }

    private readonly HashSet<string> _loadedRoots = new(StringComparer.Ordinal);

    public void Dispose()
    {
        _subscription.Dispose();
        _kernel.Dispose();
    }
}
