namespace SslCourse.Export;

/// <summary>A notebook or argument the exporter cannot turn into an app; the message names it.</summary>
public sealed class ExportException(string message) : Exception(message);
