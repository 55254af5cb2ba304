/// What stops a use case, said in the domain's words: the stores, the query service, the job
/// runners and the value model throw it, and know nothing of HTTP. The two edges turn it into an
/// answer the same way — `Application.problem(for:)` for problem+json, the page renderer for
/// HTML — through `HTTPError(_:)`, the one place a kind becomes a status.
public struct DomainError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The input is wrong in itself (a bad name, an unknown type, SQL the guard refuses).
        case invalid
        /// No such resource for this caller (another tenant's looks the same).
        case notFound
        /// The caller's role does not allow it.
        case forbidden
        /// The state of things does not allow it (a name taken, a job still running).
        case conflict
        /// The caller's version is not the current one.
        case stale
        /// Well-formed input that breaks a rule of the data (a value its column cannot hold).
        case unprocessable
        /// It existed but is no longer kept (time travel past the retention).
        case gone
        case tooLarge
        /// Over a limit for now; `retryAfterSeconds` says when to try again.
        case rateLimited
        /// A part the use case needs is missing or down; not the caller's fault.
        case unavailable
        /// A bug: the detail is for the log, never for the client.
        case bug
    }

    public let kind: Kind
    public let detail: String
    public let fields: [FieldProblem]
    /// A stable name where clients tell problems of one kind apart (`query-timeout`).
    public let code: String?
    /// A title for that code ("Query Timed Out"); nil: the kind's.
    public let title: String?
    public let retryAfterSeconds: Int?

    public init(_ kind: Kind, _ detail: String, fields: [FieldProblem] = [], code: String? = nil, title: String? = nil,
                retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.detail = detail
        self.fields = fields
        self.code = code
        self.title = title
        self.retryAfterSeconds = retryAfterSeconds
    }

    public static func invalid(_ detail: String, errors: [FieldProblem] = []) -> DomainError { .init(.invalid, detail, fields: errors) }
    public static func notFound(detail: String = "No such resource.") -> DomainError { .init(.notFound, detail) }
    public static func forbidden(_ detail: String = "Your role does not allow this.") -> DomainError { .init(.forbidden, detail) }
    public static func conflict(_ detail: String, errors: [FieldProblem] = []) -> DomainError { .init(.conflict, detail, fields: errors) }
    public static func stale(_ detail: String) -> DomainError { .init(.stale, detail) }
    public static func unprocessable(_ detail: String, errors: [FieldProblem] = []) -> DomainError {
        .init(.unprocessable, detail, fields: errors)
    }
    public static func unavailable(_ detail: String, retryAfterSeconds: Int = 1) -> DomainError {
        .init(.unavailable, detail, retryAfterSeconds: retryAfterSeconds)
    }
    public static func gone(_ detail: String, errors: [FieldProblem] = []) -> DomainError { .init(.gone, detail, fields: errors) }
    public static func bug(_ logDetail: String) -> DomainError { .init(.bug, logDetail) }
}

/// A problem with one field of the input, named as the client wrote it (`0.amount`, `name`).
/// `message` is for people, in plain words; `code`, when there is one, is a stable name for
/// programs (the SQL guard's `not_a_select`, …).
public struct FieldProblem: Sendable, Equatable, Encodable {
    public let field: String
    public let message: String
    public let code: String?
    public init(field: String, message: String, code: String? = nil) {
        self.field = field
        self.message = message
        self.code = code
    }
}
