/// The one error type handlers throw to answer with an error; it knows how to become a
/// problem+json response (RFC 9457). Its text is written for the client and never holds SQL.
public struct HTTPError: Error, Sendable, Equatable {
    /// A problem with one field of the input (the domain's type: the edge adds nothing to it).
    public typealias FieldError = FieldProblem

    public let status: Int
    public let title: String
    public let detail: String
    /// A stable identifier for the kind of problem, e.g. `https://datacovey.dev/problems/not-found`.
    public let type: String
    public let errors: [FieldError]
    /// Extra headers (`Retry-After`, `Allow`).
    public let headers: [Header]

    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    public init(status: Int, title: String, detail: String, slug: String, errors: [FieldError] = [], headers: [Header] = []) {
        self.status = status
        self.title = title
        self.detail = detail
        self.type = "https://datacovey.dev/problems/\(slug)"
        self.errors = errors
        self.headers = headers
    }

    public static func badRequest(_ detail: String, errors: [FieldError] = []) -> HTTPError {
        HTTPError(status: 400, title: "Bad Request", detail: detail, slug: "bad-request", errors: errors)
    }
    public static func unauthorized(_ detail: String = "Authentication is required.") -> HTTPError {
        HTTPError(status: 401, title: "Unauthorized", detail: detail, slug: "unauthorized",
                  headers: [Header(name: "WWW-Authenticate", value: "Bearer")])
    }
    public static func forbidden(_ detail: String = "Your role does not allow this.") -> HTTPError {
        HTTPError(status: 403, title: "Forbidden", detail: detail, slug: "forbidden")
    }
    public static func notFound(detail: String = "No such resource.") -> HTTPError {
        HTTPError(status: 404, title: "Not Found", detail: detail, slug: "not-found")
    }
    public static func methodNotAllowed(allowed: [String]) -> HTTPError {
        HTTPError(status: 405, title: "Method Not Allowed", detail: "Allowed: \(allowed.joined(separator: ", ")).",
                  slug: "method-not-allowed", headers: [Header(name: "Allow", value: allowed.joined(separator: ", "))])
    }
    public static func conflict(_ detail: String, errors: [FieldError] = []) -> HTTPError {
        HTTPError(status: 409, title: "Conflict", detail: detail, slug: "conflict", errors: errors)
    }
    public static func preconditionFailed(_ detail: String) -> HTTPError {
        HTTPError(status: 412, title: "Precondition Failed", detail: detail, slug: "precondition-failed")
    }
    public static func tooLarge(limit: Int) -> HTTPError {
        HTTPError(status: 413, title: "Content Too Large", detail: "The request body is larger than \(limit) bytes.", slug: "too-large")
    }
    public static func unsupportedMediaType(_ detail: String) -> HTTPError {
        HTTPError(status: 415, title: "Unsupported Media Type", detail: detail, slug: "unsupported-media-type")
    }
    public static func unprocessable(_ detail: String, errors: [FieldError] = []) -> HTTPError {
        HTTPError(status: 422, title: "Unprocessable Content", detail: detail, slug: "unprocessable", errors: errors)
    }
    public static func unavailable(_ detail: String, retryAfterSeconds: Int = 1) -> HTTPError {
        HTTPError(status: 503, title: "Service Unavailable", detail: detail, slug: "unavailable",
                  headers: [Header(name: "Retry-After", value: String(retryAfterSeconds))])
    }
    /// A bug on our side. The detail given here is for the log only; the client sees a generic text.
    public static func internalError(_ logDetail: String) -> HTTPError {
        HTTPError(status: 500, title: "Internal Server Error", detail: logDetail, slug: "internal")
    }
}

extension HTTPError {
    private struct Problem: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let instance: String?
        let requestId: String
        let errors: [FieldError]?
    }

    /// The problem+json response. A 500 shows only a generic text and the request id.
    public func response(requestID: String, instance: String?) -> Response {
        let shownDetail = status >= 500 && status != 503
            ? "Something went wrong on our side. Quote request id \(requestID) when reporting it."
            : detail
        let problem = Problem(
            type: type, title: title, status: status, detail: shownDetail, instance: instance,
            requestId: requestID, errors: errors.isEmpty ? nil : errors)
        let body = (try? JSON.encode(problem)) ?? Array(#"{"title":"Internal Server Error","status":500}"#.utf8)
        var headers: [(name: String, value: String)] = [("Content-Type", "application/problem+json")]
        headers += self.headers.map { ($0.name, $0.value) }
        return Response(status: status, headers: headers, body: .bytes(body))
    }
}
