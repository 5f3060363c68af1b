using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Grading;

/// <summary>
/// Random generators passed from the judge to the learner's functions. A generator's state is about 5 KB; a check that
/// draws thousands of samples through the learner's <c>Sample(probs, generator)</c> would send it both ways on every
/// call. Instead each generator gets a handle: the learner's kernel keeps its copy under that handle, and the judge
/// sends the state only when its own copy differs from the state both sides last agreed on (the judge drew from it
/// itself, or it is new). The learner's copy advances as the learner's code draws; its state comes back after each
/// call, so the judge's copy always ends where it would have in one process.
/// </summary>
internal static class GeneratorHandles
{
    private sealed class Shared
    {
        public required int Handle { get; init; }

        public required byte[] State { get; set; }
    }

    private static readonly ConditionalWeakTable<torch.Generator, Shared> Judged = new();
    private static readonly Dictionary<int, torch.Generator> Learner = [];
    private static int _next;

    /// <summary>The judge's side: a handle, with the state only when the learner's copy may differ.</summary>
    public static JsonObject Share(torch.Generator g)
    {
        var state = StateBytes(g);
        if (Judged.TryGetValue(g, out var shared) && shared.State.AsSpan().SequenceEqual(state))
        {
            return new JsonObject { ["t"] = "generator", ["handle"] = shared.Handle };
        }
        if (shared is null)
        {
            shared = new Shared { Handle = Interlocked.Increment(ref _next), State = state };
            Judged.AddOrUpdate(g, shared);
        }
        shared.State = state;
        return new JsonObject { ["t"] = "generator", ["handle"] = shared.Handle, ["state"] = Convert.ToBase64String(state) };
    }

    /// <summary>
    /// The learner's side, after a call: how the state moved from <paramref name="before"/> to <paramref name="after"/>.
    /// A draw moves a few bytes (the Mersenne Twister's position) except when the twister regenerates its 624 words,
    /// so the changed byte ranges are sent, or the whole state when most of it changed.
    /// </summary>
    public static JsonObject Changes(int index, byte[] before, byte[] after)
    {
        var ranges = new JsonArray();
        var changed = 0;
        for (var i = 0; before.Length == after.Length && i < after.Length; i++)
        {
            if (before[i] == after[i])
            {
                continue;
            }
            var end = i;
            for (var gap = 0; end < after.Length && gap < 16; end++)
            {
                gap = before[end] == after[end] ? gap + 1 : 0;
            }
            end -= Math.Min(end - i, 16);
            end = Math.Max(end, i + 1);
            ranges.Add(new JsonArray(i, Convert.ToBase64String(after, i, end - i)));
            changed += end - i;
            i = end - 1;
        }
        return before.Length != after.Length || changed * 2 > after.Length
            ? new JsonObject { ["i"] = index, ["state"] = Convert.ToBase64String(after) }
            : new JsonObject { ["i"] = index, ["diff"] = ranges };
    }

    /// <summary>The judge's side, after a call: the learner's copy moved (<see cref="Changes"/>); the judge's follows.</summary>
    /// <exception cref="JudgeValueException">A change that does not apply to the state both sides last agreed on.</exception>
    public static void Adopt(torch.Generator g, JsonObject update)
    {
        if (!Judged.TryGetValue(g, out var shared))
        {
            throw new JudgeValueException("the notebook updated a random generator the judge did not share");
        }
        byte[] state;
        if (update["state"] is { } full)
        {
            state = Convert.FromBase64String((string?)full ?? "");
        }
        else
        {
            state = shared.State.ToArray();
            foreach (var range in update["diff"] as JsonArray ?? [])
            {
                var offset = (int?)range?[0] ?? -1;
                var bytes = Convert.FromBase64String((string?)range?[1] ?? "");
                if (offset < 0 || offset + bytes.Length > state.Length)
                {
                    throw new JudgeValueException("the notebook sent a random generator's state that does not fit");
                }
                bytes.CopyTo(state, offset);
            }
        }
        SetState(g, state);
        shared.State = state;
    }

    /// <summary>The learner's side: the generator kept under the handle, brought to the state sent with it.</summary>
    /// <exception cref="JudgeValueException">A handle without a state that this kernel has never seen.</exception>
    public static torch.Generator Resolve(int handle, byte[]? state)
    {
        lock (Learner)
        {
            if (!Learner.TryGetValue(handle, out var g))
            {
                if (state is null)
                {
                    throw new JudgeValueException($"the grader referred to random generator {handle}, which this kernel never received");
                }
                g = Learner[handle] = new torch.Generator();
            }
            if (state is not null)
            {
                SetState(g, state);
            }
            return g;
        }
    }

    internal static byte[] StateBytes(torch.Generator g)
    {
        using var state = g.get_state();
        return state.bytes.ToArray();
    }

    internal static torch.Generator FromState(byte[] state)
    {
        var g = new torch.Generator();
        using var t = tensor(state, dtype: ScalarType.Byte);
        g.set_state(t);
        return g;
    }

    internal static void SetState(torch.Generator g, byte[] state)
    {
        using var t = tensor(state, dtype: ScalarType.Byte);
        g.set_state(t);
    }
}
