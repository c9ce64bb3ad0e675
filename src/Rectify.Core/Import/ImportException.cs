namespace Rectify.Core.Import;

/// <summary>A document that cannot be read at all. The message is Chinese and shown to users as is.</summary>
public sealed class ImportException(string message, Exception? inner = null) : Exception(message, inner);
