using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using TorchSharp;

namespace SslCourse.Grading;

/// <summary>One learner function a check calls: its key (name/arity) and how to call it with decoded arguments.</summary>
/// <param name="Key">The function's name and arity, e.g. <c>NtXent/3</c>.</param>
/// <param name="Invoke">Calls the learner's function; returns its result (null for void).</param>
public sealed record ProbeEntry(string Key, Func<ProbeArgs, object?> Invoke);

/// <summary>The arguments of one call, decoded on demand to the types the learner's function takes.</summary>
public sealed class ProbeArgs
{
    private readonly JsonArray _args;
    private readonly long _call;
    private readonly Dictionary<int, (torch.Generator Generator, byte[] Before)> _generators = [];

    internal ProbeArgs(JsonArray args, long call)
    {
        _args = args;
        _call = call;
    }

    /// <summary>Argument <paramref name="i"/> as <typeparamref name="T"/>.</summary>
    /// <exception cref="JudgeValueException">It is missing or does not fit <typeparamref name="T"/>.</exception>
    public T Get<T>(int i)
    {
        if (i < 0 || i >= _args.Count)
        {
            throw new JudgeValueException($"argument {i} is missing");
        }
        var value = (T)JudgeWire.Decode(_args[i], typeof(T), (fn, type) => Probe.Proxy(_call, fn, type))!;
        if (value is torch.Generator g)
        {
            _generators[i] = (g, GeneratorHandles.StateBytes(g));
        }
        return value;
    }

    /// <summary>The generators' states after the call (they advance as the learner's code draws from them).</summary>
    internal JsonArray Updated() => new(_generators.Select(kv => (JsonNode)GeneratorHandles.Changes(kv.Key, kv.Value.Before, GeneratorHandles.StateBytes(kv.Value.Generator))).ToArray());
}

/// <summary>
/// The learner's side of a hidden check, run in the learner's (sandboxed) kernel where the check cell stood: it tells
/// the grader it is ready, then answers the grader's calls — each one runs a learner function on the arguments the
/// grader sends and returns the result as data — until the grader says the check is over. It holds no check source,
/// no expected value and no verdict; anything the notebook does to it changes only what the learner's own functions
/// return, which is what the judge is there to examine.
/// </summary>
public static class Probe
{
    /// <summary>Prefix of the lines this side writes on the process's standard output.</summary>
    public const string Prefix = "@@sslcourse-probe ";

    private static readonly Lock Gate = new();
    private static StreamReader? _input;
    private static Stream? _output;

    /// <summary>Serves the grader's calls for the check cell <paramref name="cellId"/>.</summary>
    /// <param name="cellId">The check cell this probe stands in for.</param>
    /// <param name="entries">The learner functions the check calls.</param>
    public static void Serve(string cellId, params ProbeEntry[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (Gate)
        {
            _input ??= new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            _output ??= Console.OpenStandardOutput();
            var table = entries.ToDictionary(e => e.Key, StringComparer.Ordinal);
            Send(new JsonObject { ["k"] = "ready", ["cell"] = cellId });
            while (_input.ReadLine() is { } line)
            {
                var request = JsonNode.Parse(line) as JsonObject;
                var kind = (string?)request?["k"];
                if (kind != "call")
                {
                    return;
                }
                Send(Answer(request!, table));
            }
        }
    }

    private static JsonObject Answer(JsonObject request, Dictionary<string, ProbeEntry> table)
    {
        var id = (long?)request["id"] ?? 0;
        var key = (string?)request["f"] ?? "";
        if (!table.TryGetValue(key, out var entry))
        {
            return Error(id, typeof(JudgeValueException).FullName!, $"no function {key} to call");
        }
        var args = new ProbeArgs(request["args"] as JsonArray ?? [], id);
        object? result;
        try
        {
            result = entry.Invoke(args);
        }
        catch (Exception e)
        {
            var inner = e is System.Reflection.TargetInvocationException { InnerException: { } cause } ? cause : e;
            return Error(id, inner.GetType().FullName ?? inner.GetType().Name, inner.Message);
        }
        try
        {
            return new JsonObject { ["k"] = "result", ["id"] = id, ["value"] = JudgeWire.Encode(result), ["updated"] = args.Updated() };
        }
        catch (JudgeValueException e)
        {
            return Error(id, typeof(JudgeValueException).FullName!, e.Message);
        }
    }

    /// <summary>
    /// A delegate of <paramref name="type"/> that stands for the judge's function <paramref name="fn"/>: calling it sends
    /// the arguments to the judge and waits for its result (the judge's code runs in the judge, never here).
    /// </summary>
    internal static Delegate Proxy(long call, int fn, Type type)
    {
        var invoke = type.GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(p => Expression.Parameter(p.ParameterType, p.Name)).ToArray();
        var body = Expression.Call(typeof(Probe).GetMethod(nameof(Callback), BindingFlags.NonPublic | BindingFlags.Static)!,
            Expression.Constant(call), Expression.Constant(fn), Expression.Constant(invoke.ReturnType, typeof(Type)),
            Expression.NewArrayInit(typeof(object), parameters.Select(p => Expression.Convert(p, typeof(object)))));
        Expression result = invoke.ReturnType == typeof(void) ? body : Expression.Convert(body, invoke.ReturnType);
        return Expression.Lambda(type, result, parameters).Compile();
    }

    /// <remarks>Runs on the thread that serves the call (Serve holds the gate): the judge answers before it sends anything else.</remarks>
    private static object? Callback(long call, int fn, Type returns, object?[] args)
    {
        Send(new JsonObject { ["k"] = "callback", ["id"] = call, ["fn"] = fn, ["args"] = new JsonArray(args.Select(a => (JsonNode)JudgeWire.Encode(a)).ToArray()) });
        var reply = _input?.ReadLine() is { } line ? JsonNode.Parse(line) as JsonObject : null;
        return (string?)reply?["k"] switch
        {
            "return" => returns == typeof(void) ? null : JudgeWire.Decode(reply!["value"], returns),
            "raise" => throw JudgeExceptions.Recreate((string?)reply!["type"] ?? "", (string?)reply["message"] ?? "", "the grader's function"),
            _ => throw new JudgeValueException("the grader's function can only be called while the grader waits for your function"),
        };
    }

    private static JsonObject Error(long id, string type, string message) =>
        new() { ["k"] = "error", ["id"] = id, ["type"] = type, ["message"] = message };

    private static void Send(JsonObject message)
    {
        // The leading newline ends any partial line the notebook's own code left on this pipe.
        var bytes = Encoding.UTF8.GetBytes("\n" + Prefix + message.ToJsonString() + "\n");
        _output!.Write(bytes);
        _output.Flush();
    }
}
