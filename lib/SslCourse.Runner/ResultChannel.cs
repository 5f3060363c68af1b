using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SslCourse.Runner;

/// <summary>
/// The child → parent results channel: one line per event on the child's own stdout pipe, read live by the parent.
/// Each line carries a sequence number and an HMAC-SHA256 under a per-run key that the parent hands over on stdin
/// before any notebook code runs (never on the command line, in the environment or in a file), so a line written by
/// notebook code — a fake "ok", or anything after the kernel's last word — is rejected. The parent trusts nothing
/// the child leaves on disk.
/// </summary>
internal sealed class ResultChannel
{
    /// <summary>Prefix of every channel line; other stdout lines are relayed as plain output.</summary>
    public const string Prefix = "@@sslcourse ";

    /// <summary>Prefix of the child's unsigned exit report (outputs of the cell that ended the process; never a verdict).</summary>
    public const string ExitPrefix = "@@sslcourse-exit ";

    private readonly HMACSHA256 _mac;
    private readonly Lock _gate = new();
    private long _sequence;

    public ResultChannel(byte[] key) => _mac = new HMACSHA256(key);

    /// <summary>A fresh random key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(32);

    /// <summary>Signs a message: <c>PREFIX seq mac json</c>.</summary>
    public string Sign(JsonObject message)
    {
        lock (_gate)
        {
            var seq = ++_sequence;
            var json = message.ToJsonString();
            return $"{Prefix}{seq} {Mac(seq, json)} {json}";
        }
    }

    /// <summary>Verifies a channel line; null (rejected) when forged, replayed or out of order.</summary>
    public JsonObject? Verify(string line)
    {
        var parts = line[Prefix.Length..].Split(' ', 3);
        if (parts.Length != 3 || !long.TryParse(parts[0], out var seq))
        {
            return null;
        }
        lock (_gate)
        {
            if (seq != _sequence + 1 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(Mac(seq, parts[2]))))
            {
                return null;
            }
            _sequence = seq;
        }
        try
        {
            return JsonNode.Parse(parts[2]) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private string Mac(long seq, string json) => Convert.ToHexString(_mac.ComputeHash(Encoding.UTF8.GetBytes($"{seq}\n{json}")));
}
