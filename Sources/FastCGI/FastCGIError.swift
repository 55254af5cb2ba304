/// Errors the FastCGI layer reports to its handlers and callers.
public enum FastCGIError: Error, Equatable, Sendable {
    /// The body is larger than the configured cap.
    case bodyTooLarge(limit: Int)
    /// The listening socket could not be set up.
    case listenFailed(String)
    /// The web server closed the connection while the response was written.
    case connectionClosed
}
