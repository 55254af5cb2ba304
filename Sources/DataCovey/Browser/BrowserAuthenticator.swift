import FastCGI
import Foundation
import MariaDB

/// The browser's counterpart of `RequestAuthenticator`: the session cookie names a server-side
/// session, which scopes the connection to its user's tenant in one round trip. A page without
/// a live session sends the browser to sign in; a state-changing form must carry the session's
/// CSRF token. A refusal (4xx) becomes an error page with the caller's navigation; anything
/// worse is thrown on to `Application.respond`, which logs it like any 5xx and answers a page.
struct BrowserAuthenticator: Sendable {
    let database: Database

    struct Caller {
        let identity: Identity
        let viewer: Pages.Viewer
    }

    /// Runs a page handler for the signed-in caller. `minimum` gives 403 pages to lower roles,
    /// but only for an object `target` finds in their tenant: any other id is 404, as the API
    /// answers it, so a role check never confirms that another tenant's id exists (DESIGN §5).
    /// POSTs are refused (403) unless their form's `csrf_token` matches the session's.
    func page(_ request: Request, minimum: Role = .viewer, target: RequestAuthenticator.TargetLookup? = nil,
              _ body: (Caller, MariaDBConnection, [String: String]) throws -> Response) throws -> Response {
        try signedIn(request, minimum: minimum, target: target, readsForm: true, body)
    }

    /// A multipart upload form: the body is the handler's to stream, so the handler checks the
    /// form's `csrf_token` (against `caller.viewer.csrf`) before it acts.
    func upload(_ request: Request, minimum: Role, target: RequestAuthenticator.TargetLookup? = nil,
                _ body: (Caller, MariaDBConnection) throws -> Response) throws -> Response {
        try signedIn(request, minimum: minimum, target: target, readsForm: false) { caller, connection, _ in try body(caller, connection) }
    }

    private func signedIn(_ request: Request, minimum: Role, target: RequestAuthenticator.TargetLookup?, readsForm: Bool,
                          _ body: (Caller, MariaDBConnection, [String: String]) throws -> Response) throws -> Response {
        guard let token = BrowserCookies.value(BrowserCookies.session, in: request) else { return Self.toSignIn }
        return try database.withWebSession(tokenHash: RandomToken.hash(token), isRepeatable: request.bodyUntouched()) { row, csrf, connection in
            guard let row, let csrf, let identity = Identity(row, tokenRoles: []) else { return Self.toSignIn }
            request.trace.tenantID = identity.tenantID
            let viewer = Pages.Viewer(name: identity.name, email: identity.email, tenant: identity.tenantName,
                                      role: identity.role, csrf: csrf)
            do {
                guard identity.role >= minimum else {
                    if let target, try !target(identity, connection) { throw HTTPError.notFound() }
                    throw HTTPError.forbidden()
                }
                var form: [String: String] = [:]
                if request.method == "POST" && readsForm {
                    form = try request.formFields()
                    guard let sent = form["csrf_token"], RandomToken.equal(sent, csrf) else {
                        throw HTTPError.forbidden("The form is out of date or did not come from DataCovey; reload the page and try again.")
                    }
                }
                return try body(Caller(identity: identity, viewer: viewer), connection, form)
            } catch let failure as any ProblemConvertible where failure.problem.status < 500 {
                return Pages.shared.error(failure.problem, viewer: viewer)
            }
        }
    }

    /// 303 to the sign-in page.
    static var toSignIn: Response { Response(status: 303, headers: [("Location", "/login")]) }
}

extension Request {
    /// The fields of an `application/x-www-form-urlencoded` body (at most 1 MiB); a repeated
    /// name keeps its first value.
    func formFields() throws -> [String: String] {
        let mediaType = header("content-type")?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/x-www-form-urlencoded" else {
            throw HTTPError.unsupportedMediaType("Send the form as application/x-www-form-urlencoded.")
        }
        guard let body = raw.body else { return [:] }
        let bytes = try bufferedBody(body, limit: Self.jsonBodyLimit)
        var fields: [String: String] = [:]
        for (name, value) in QueryString.parse(String(decoding: bytes, as: UTF8.self)) where fields[name] == nil {
            fields[name] = value
        }
        return fields
    }
}
