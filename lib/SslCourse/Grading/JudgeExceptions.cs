namespace SslCourse.Grading;

/// <summary>Exceptions crossing between the learner's kernel and the judge, as names and messages (never objects).</summary>
internal static class JudgeExceptions
{
    /// <summary>An exception of the other side, as this side throws it: the same type where it is the framework's or the course's.</summary>
    public static Exception Recreate(string type, string message, string context)
    {
        if (type == typeof(NotImplementedException).FullName)
        {
            return new NotImplementedException(message);
        }
        if (type == typeof(CheckFailedException).FullName)
        {
            return new CheckFailedException(message);
        }
        if (type == typeof(JudgeValueException).FullName)
        {
            return new JudgeValueException($"{context}: {message}");
        }
        // Only exception types of the runtime itself (never one the notebook declares or loads) are instantiated here.
        var framework = typeof(object).Assembly.GetType(type, throwOnError: false);
        if (framework is not null && framework.IsSubclassOf(typeof(Exception)) && framework.IsPublic && framework.GetConstructor([typeof(string)]) is { } ctor)
        {
            try
            {
                return (Exception)ctor.Invoke([message]);
            }
            catch (System.Reflection.TargetInvocationException)
            {
                // Falls through to the generic form.
            }
        }
        return new JudgeValueException($"{context} threw {type}: {message}");
    }
}
