import FastCGI

/// A routed request: the transport's request plus the path parameters of the matched route.
public struct Request: Sendable {
    public let raw: FastCGIRequest
    public let parameters: RouteParameters
    /// Where authentication notes the tenant for the request's log line.
    public let trace: RequestTrace
    /// The body once read whole into memory (`bufferedBody`), so a database lease that is run
    /// again (MariaDBPool.Retry) reads it again.
    let bodyBuffer = BodyBuffer()

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

/// See `Request.bodyBuffer`. One request is handled on one thread.
final class BodyBuffer: @unchecked Sendable {
    var bytes: [UInt8]?
}

extension Request {
    /// Whether a lease begun now may be run again as far as the body is concerned: nothing more
    /// of it was read since, or all of it is in `bodyBuffer` (a JSON or form body) to be read
    /// again. A body streamed elsewhere (an upload to a file) cannot be read twice. Asked by the
    /// pool before a retry (`MariaDBPool.Retry`).
    func bodyUntouched() -> () -> Bool {
        let body = raw.body
        let start = body?.bytesRead ?? 0
        let buffer = bodyBuffer
        return { (body?.bytesRead ?? 0) == start || buffer.bytes != nil }
    }

    /// The whole body, at most `limit` bytes (413 over it), read once and kept: a second call
    /// (a retried lease's) answers the same bytes.
    func bufferedBody(_ body: FastCGIRequestBody, limit: Int) throws -> [UInt8] {
        if let bytes = bodyBuffer.bytes { return bytes }
        if (body.declaredLength ?? 0) > limit { throw HTTPError.tooLarge(limit: limit) }
        var bytes: [UInt8] = []
        while true {
            let chunk = try body.read()
            if chunk.isEmpty { break }
            bytes += chunk
            if bytes.count > limit { throw HTTPError.tooLarge(limit: limit) }
        }
        bodyBuffer.bytes = bytes
        return bytes
    }
}
