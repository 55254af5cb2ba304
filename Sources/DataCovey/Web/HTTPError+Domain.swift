/// Anything an edge can answer with: an `HTTPError` the edge raised itself, or a `DomainError`
/// from below, mapped by `HTTPError(_:)`.
public protocol ProblemConvertible: Error {
    var problem: HTTPError { get }
}

extension HTTPError: ProblemConvertible {
    public var problem: HTTPError { self }
}

extension DomainError: ProblemConvertible {
    public var problem: HTTPError { HTTPError(self) }
}

extension HTTPError {
    /// The one mapping from the domain's kinds to statuses.
    public init(_ error: DomainError) {
        let base: HTTPError = switch error.kind {
        case .invalid: .badRequest(error.detail, errors: error.fields)
        case .notFound: .notFound(detail: error.detail)
        case .forbidden: .forbidden(error.detail)
        case .conflict: .conflict(error.detail, errors: error.fields)
        case .stale: .preconditionFailed(error.detail)
        case .unprocessable: .unprocessable(error.detail, errors: error.fields)
        case .gone: HTTPError(status: 410, title: "Gone", detail: error.detail, slug: "gone", errors: error.fields)
        case .tooLarge: HTTPError(status: 413, title: "Content Too Large", detail: error.detail, slug: "too-large")
        case .rateLimited: HTTPError(status: 429, title: "Too Many Requests", detail: error.detail, slug: "rate-limited")
        case .unavailable: .unavailable(error.detail, retryAfterSeconds: error.retryAfterSeconds ?? 1)
        case .bug: .internalError(error.detail)
        }
        var headers = base.headers
        if error.kind == .rateLimited, let seconds = error.retryAfterSeconds {
            headers.append(Header(name: "Retry-After", value: String(seconds)))
        }
        self.init(status: base.status, title: error.title ?? base.title, detail: base.detail,
                  slug: error.code ?? String(base.type.split(separator: "/").last ?? "problem"), errors: base.errors, headers: headers)
    }
}
