import FastCGI

/// A routed request: the transport's request plus the path parameters of the matched route.
public struct Request: Sendable {
    public let raw: FastCGIRequest
    public let parameters: RouteParameters
    /// Where authentication notes the tenant for the request's log line.
    public let trace: RequestTrace

    public init(raw: FastCGIRequest, parameters: RouteParameters = RouteParameters(), trace: RequestTrace = RequestTrace()) {
        self.raw = raw
        self.parameters = parameters
        self.trace = trace
    }

    public var method: String { raw.method }
    public var path: String { raw.path }
    public func header(_ name: String) -> String? { raw.headers[name.lowercased()] }
    public func query(_ name: String) -> String? { raw.queryValue(name) }

    /// Whether the client prefers an HTML page over JSON (a browser's `Accept`).
    public var prefersHTML: Bool {
        guard let accept = header("accept") else { return false }
        return accept.contains("text/html") && !path.hasPrefix("/api/")
    }
}

/// Typed values captured from the path (`{id:int}` → `int("id")`).
public struct RouteParameters: Sendable {
    private var values: [String: String] = [:]

    public init() {}

    mutating func set(_ name: String, _ value: String) { values[name] = value }

    /// The string captured for `name`.
    public func string(_ name: String) throws -> String {
        guard let value = values[name] else { throw HTTPError.internalError("route has no parameter '\(name)'") }
        return value
    }

    /// The integer id captured for `name` (the route pattern already checked its form).
    public func int(_ name: String) throws -> Int64 {
        guard let value = Int64(try string(name)) else {
            throw HTTPError.notFound(detail: "No such resource.")
        }
        return value
    }
}

extension Request {
    /// Whether the body is still as it was when this was asked: a lease that read it cannot be
    /// run again (`MariaDBPool.Retry`), the stream is gone. Asked by the pool before a retry.
    func bodyUntouched() -> () -> Bool {
        let body = raw.body
        let start = body?.bytesRead ?? 0
        return { (body?.bytesRead ?? 0) == start }
    }
}
