using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SslCourse.Grading;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// The judge for one notebook run, in the runner's own (trusted) process: a C# kernel of its own that runs the
/// master's public cells and stubs, then each check when the learner's kernel reaches the check's place and says it
/// is ready. A stub's call goes to the learner's kernel as data (on the child's stdin) and its reply comes back as
/// data (a line on the child's stdout); the check's verdict is this kernel's. The learner's process holds no check
/// source, expected value or key, so nothing it does in its own process can make a check pass: it can only change
/// what its functions return.
/// </summary>
internal sealed class JudgeSession : IDisposable
{
    private const string TransportSlot = "sslcourse.judge.transport";
    private readonly JudgeSpec _spec;
    private readonly TimeSpan _cellTimeout;
    private readonly long _maxOutput;
    private readonly TextWriter? _progress;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<string>> _pending = new();
    private readonly ConcurrentDictionary<string, Verdict> _verdicts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _gone = new();
    private readonly Lock _gate = new();
    private KernelHost? _kernel;
    private Task<string?>? _ready;
    private Func<string, bool>? _send;
    private int _rejected;

    /// <summary>The judge's outcome for one check cell.</summary>
    public sealed record Verdict(CellStatus Status, JsonArray Outputs, string? Error);

    public JudgeSession(JudgeSpec spec, TimeSpan cellTimeout, long maxOutput, TextWriter? progress)
    {
        _spec = spec;
        _cellTimeout = cellTimeout;
        _maxOutput = maxOutput;
        _progress = progress;
    }

    /// <summary>Probe lines that came at the wrong time or were malformed.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Ids of the cells that stand for checks.</summary>
    public IEnumerable<string> CheckCells => _spec.Checks.Keys;

    /// <summary>Starts the judge's kernel (the master's public cells and the stubs) while the learner's kernel starts.</summary>
    public void Start(IReadOnlyList<KeyValuePair<string, string>> parameters, string name) => _ready = Task.Run(async () =>
    {
        try
        {
            _kernel = new KernelHost();
            Directory.SetCurrentDirectory(_spec.Directory);
            var prelude = new NotebookDocument();
            prelude.Cells.AddRange(_spec.Prelude.Select(c => new NotebookCell("code", c.Source)));
            for (var i = 0; i < _spec.Prelude.Count; i++)
            {
                if (_spec.Prelude[i].IsParameters)
                {
                    prelude.Cells[i].Metadata["tags"] = new JsonArray(NotebookCell.ParametersTag);
                }
            }
            ParameterInjector.Inject(prelude, parameters, name);
            await _kernel.RunAsync("System.Environment.SetEnvironmentVariable(\"SSLCOURSE_HEADLESS\", \"1\");", new CellOutputRecorder(0, 0), TimeSpan.FromMinutes(2));
            foreach (var cell in prelude.Cells)
            {
                var recorder = new CellOutputRecorder(0, _maxOutput);
                if (await _kernel.RunAsync(cell.Source, recorder, _cellTimeout) != true)
                {
                    _progress?.WriteLine($"[{name}] judge: a public cell of the master failed: {Reports(recorder.Error)}");
                }
            }
            var stubs = new CellOutputRecorder(0, _maxOutput);
            if (await _kernel.RunAsync(_spec.Stubs, stubs, _cellTimeout) != true)
            {
                return $"the stubs of the learner's functions do not compile: {Reports(stubs.Error)}";
            }
            // Set from inside the kernel, so it reaches the Judge type the kernel's code binds to (the kernel loads
            // #r assemblies into a load context of its own).
            AppDomain.CurrentDomain.SetData(TransportSlot, new Func<long, string, string>(Call));
            var connect = new CellOutputRecorder(0, _maxOutput);
            if (await _kernel.RunAsync($"global::SslCourse.Grading.Judge.Transport = (global::System.Func<long, string, string>)global::System.AppDomain.CurrentDomain.GetData(\"{TransportSlot}\")!;", connect, _cellTimeout) != true)
            {
                return $"the master does not load the course library (SslCourse.dll), which the judge needs: {Reports(connect.Error)}";
            }
            return null;
        }
        catch (NotebookFormatException e)
        {
            return e.Message;
        }
    });

    /// <summary>
    /// The first session of this process finishes the master's public cells before the learner's kernel starts: they
    /// run outside the sandbox, so the course library's one-time native step (libstdc++ compatibility) happens there,
    /// and a fresh clone's first sandboxed kernel finds the library ready (the sandbox shows it read-only).
    /// </summary>
    public async Task PrepareOnceAsync()
    {
        if (Interlocked.Exchange(ref _prepared, 1) == 0)
        {
            await _ready!;
        }
    }

    private static int _prepared;

    /// <summary>How the session writes a line to the learner's kernel (its stdin); false once that is closed.</summary>
    public void Attach(Func<string, bool> send) => _send = send;

    /// <summary>A probe line from the learner's kernel; <paramref name="currentCellId"/> is the cell the runner saw it begin.</summary>
    public void OnLine(string json, string? currentCellId)
    {
        JsonObject? m;
        try
        {
            m = JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            m = null;
        }
        switch ((string?)m?["k"])
        {
            case "ready" when (string?)m!["cell"] is { } cell && cell == currentCellId && _spec.Checks.ContainsKey(cell) && !_running.ContainsKey(cell):
                _running[cell] = Task.Run(() => JudgeAsync(cell));
                return;
            case "result" or "error" or "callback" when (long?)m!["id"] is { } id && _pending.TryRemove(id, out var reply):
                reply.TrySetResult(json);
                return;
            default:
                Interlocked.Increment(ref _rejected);
                return;
        }
    }

    /// <summary>A reply was too long to read: the oldest pending call fails.</summary>
    public void OnOverlongLine()
    {
        if (_pending.Keys.Order().FirstOrDefault() is var id && _pending.TryRemove(id, out var reply))
        {
            reply.TrySetException(new InvalidOperationException("the notebook's reply was larger than the grader accepts"));
        }
    }

    /// <summary>The learner's kernel is gone: pending calls fail, and the checks in progress end.</summary>
    public async Task ChildEndedAsync(TimeSpan wait)
    {
        await _gone.CancelAsync();
        await Task.WhenAll(_running.Values).WaitAsync(wait).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public bool TryGetVerdict(string cellId, out Verdict verdict) => _verdicts.TryGetValue(cellId, out verdict!);

    private async Task JudgeAsync(string cell)
    {
        var recorder = new CellOutputRecorder(0, _maxOutput);
        var error = await _ready!;
        CellStatus status;
        if (error is not null)
        {
            recorder.Fail("JudgeUnavailable", $"the grader's judge could not start: {error}");
            status = CellStatus.Failed;
        }
        else
        {
            var ok = await _kernel!.RunAsync(_spec.Checks[cell], recorder, _cellTimeout);
            status = ok switch { true => CellStatus.Ok, false => CellStatus.Failed, null => CellStatus.Timeout };
            if (status == CellStatus.Timeout)
            {
                recorder.Fail(ErrorNames.CellTimeout, $"cell exceeded the cell timeout of {_cellTimeout.TotalSeconds:0.#} s");
            }
        }
        _verdicts[cell] = new Verdict(status, recorder.Snapshot(), status == CellStatus.Ok ? null : recorder.Error ?? "check failed");
        _send?.Invoke("{\"k\":\"end\"}");
    }

    /// <summary>The transport behind every stub: one message to the learner's kernel, its next message for the same call.</summary>
    private string Call(long id, string message)
    {
        // Completed on the reader thread, which wakes this (kernel) thread directly: no hop through the thread pool per call.
        var reply = new TaskCompletionSource<string>();
        _pending[id] = reply;
        using var registration = _gone.Token.Register(() => reply.TrySetException(new InvalidOperationException("the notebook's process ended during the check")));
        lock (_gate)
        {
            if (_gone.IsCancellationRequested || _send?.Invoke(message) != true)
            {
                throw new InvalidOperationException("the notebook's process ended during the check");
            }
        }
        try
        {
            if (!reply.Task.Wait(_cellTimeout))
            {
                throw new TimeoutException($"the notebook's function did not return within {_cellTimeout.TotalSeconds:0.#} s");
            }
            return reply.Task.Result;
        }
        catch (AggregateException e) when (e.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private static string Reports(string? error) => (error ?? "failed").Split('\n')[0];

    public void Dispose()
    {
        _gone.Cancel();
        AppDomain.CurrentDomain.SetData(TransportSlot, null);
        _kernel?.Dispose();
        _gone.Dispose();
    }
}
