import FastCGI

/// Maps method + path to a handler. Routes are registered once at start-up; lookups are read-only.
public struct Router: Sendable {
    public typealias Handler = @Sendable (Request) throws -> Response

    struct Route: Sendable {
        let method: String
        let pattern: RoutePattern
        let handler: Handler
    }

    /// The outcome of a lookup.
    public enum Match: Sendable {
        case found(Handler, RouteParameters, pattern: String)
        case methodNotAllowed([String])
        case notFound
    }

    private(set) var routes: [Route] = []

    public init() {}

    /// Registers `handler` for `method` and `pattern` (`/api/v1/projects/{id:int}`).
    public mutating func add(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let route = Route(method: method.uppercased(), pattern: RoutePattern(pattern), handler: handler)
        precondition(!routes.contains { $0.method == route.method && $0.pattern.description == pattern },
                     "route registered twice: \(method) \(pattern)")
        routes.append(route)
    }

    /// Every registered route as `METHOD /pattern`, for the OpenAPI check.
    public var routeList: [(method: String, pattern: String)] {
        routes.map { ($0.method, $0.pattern.description) }
    }

    /// Finds the handler for a request. `HEAD` falls back to `GET`.
    public func match(method: String, path: String) -> Match {
        guard let segments = Self.segments(of: path) else { return .notFound }
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.pattern.match(segments) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route.handler, parameters, pattern: route.pattern.description)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed)
    }

    /// Splits a raw path into percent-decoded segments; nil for paths no route may match
    /// (dot segments, encoded slashes or NUL), so `/api/v1/../x` never reaches a handler.
    static func segments(of path: String) -> [String]? {
        var result: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            let lowered = raw.lowercased()
            if lowered.contains("%2f") || lowered.contains("%00") { return nil }
            let decoded = QueryString.decode(raw, plusIsSpace: false)
            if decoded == "." || decoded == ".." { return nil }
            result.append(decoded)
        }
        return result
    }
}
