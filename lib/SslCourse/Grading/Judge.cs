using System.Text.Json.Nodes;
using TorchSharp;

namespace SslCourse.Grading;

/// <summary>
/// The judge's side of a hidden check (the grader's process; no learner code runs there). The grader declares, for
/// each function a master's solution cells define, a stub with the same signature that calls <see cref="Call{T}"/>:
/// the arguments go to the learner's sandboxed kernel as data, the learner's function runs there on them, and only its
/// result comes back, as data, to be compared here by the master's own check code. A delegate argument (a language
/// model the check hands to the learner's function) stays here: each time the learner's code calls it, the arguments
/// come here as data and the result goes back. No check source, expected value, seal or key ever enters the
/// learner's process.
/// </summary>
public static class Judge
{
    private static long _nextId;

    /// <summary>
    /// Sends one message (its call id, and the JSON) to the learner's kernel and returns its next message for that call
    /// (a result, an error, or a call of one of the judge's functions); set by the grader's judge host.
    /// </summary>
    public static Func<long, string, string>? Transport { get; set; }

    /// <summary>Calls the learner's function <paramref name="function"/> (name/arity) with <paramref name="args"/>.</summary>
    /// <typeparam name="T">The return type the master declares.</typeparam>
    /// <exception cref="JudgeValueException">The reply does not fit <typeparamref name="T"/>, or no learner kernel is attached.</exception>
    public static T Call<T>(string function, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var transport = Transport ?? throw new JudgeValueException("no learner kernel is attached to the judge");
        var name = function.Split('/')[0];
        var id = Interlocked.Increment(ref _nextId);
        var functions = new List<Delegate>();
        var message = new JsonObject { ["k"] = "call", ["id"] = id, ["f"] = function, ["args"] = new JsonArray(args.Select(a => (JsonNode)JudgeWire.Encode(a, functions)).ToArray()) };
        while (true)
        {
            var reply = JsonNode.Parse(transport(id, message.ToJsonString())) as JsonObject ?? throw new JudgeValueException("the notebook's reply is not a JSON object");
            switch ((string?)reply["k"])
            {
                case "error":
                    throw JudgeExceptions.Recreate((string?)reply["type"] ?? "", (string?)reply["message"] ?? "", name);
                case "callback":
                    message = Answer(id, reply, functions);
                    continue;
                case "result":
                    break;
                default:
                    throw new JudgeValueException($"{name}: the notebook's reply is not a result");
            }
            // Generators advance in the learner's kernel; the judge's copies follow, as if the call had run here.
            foreach (var update in reply["updated"] as JsonArray ?? [])
            {
                if ((int?)update?["i"] is { } i && i >= 0 && i < args.Length && args[i] is torch.Generator g)
                {
                    GeneratorHandles.Adopt(g, update!.AsObject());
                }
            }
            try
            {
                return JudgeWire.Decode<T>(reply["value"]);
            }
            catch (JudgeValueException e)
            {
                throw new JudgeValueException($"{name} returned {e.Message.Replace("malformed value from the notebook: ", "malformed data: ", StringComparison.Ordinal)}");
            }
        }
    }

    /// <summary>Runs one of the judge's own functions on the arguments the learner's code gave it.</summary>
    private static JsonObject Answer(long id, JsonObject callback, List<Delegate> functions)
    {
        try
        {
            var fn = (int?)callback["fn"] is { } n && n >= 0 && n < functions.Count ? functions[n] : throw new JudgeValueException("the notebook called a function the judge did not give it");
            var parameters = fn.GetType().GetMethod("Invoke")!.GetParameters();
            var given = callback["args"] as JsonArray ?? [];
            if (given.Count != parameters.Length)
            {
                throw new JudgeValueException($"the notebook called a function of {parameters.Length} parameters with {given.Count} arguments");
            }
            var values = parameters.Select((p, i) => JudgeWire.Decode(given[i], p.ParameterType)).ToArray();
            return new JsonObject { ["k"] = "return", ["id"] = id, ["value"] = JudgeWire.Encode(fn.DynamicInvoke(values)) };
        }
        catch (Exception e)
        {
            var inner = e is System.Reflection.TargetInvocationException { InnerException: { } cause } ? cause : e;
            return new JsonObject { ["k"] = "raise", ["id"] = id, ["type"] = inner.GetType().FullName, ["message"] = inner.Message };
        }
    }
}
