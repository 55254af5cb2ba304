import MariaDB

/// Turns `Authorization: Bearer …` into an identity and a connection scoped to its tenant:
/// an Auth0 (or development) JWT, or an API token (`dct_…`, issue 18).
public struct RequestAuthenticator: Sendable {
    let verifier: TokenVerifier
    let database: Database

    public init(verifier: TokenVerifier, database: Database) {
        self.verifier = verifier
        self.database = database
    }

    /// Whether the object a request names is the caller's tenant's (see `withCaller`).
    public typealias TargetLookup = (Identity, MariaDBConnection) throws -> Bool

    /// Runs `body` for an authenticated caller with at least `minimum` role, on a connection whose
    /// views show only the caller's tenant and whose writes record the caller as actor, and
    /// gives back what it returns. For a handler's response use `withCaller`, which also honours
    /// `Idempotency-Key`: the two have different names so that the compiler, not the return
    /// type, decides whether a retry is replayed.
    ///
    /// `target` looks up the object the request names. It is asked only when the role is too low:
    /// a 403 is given only for an object the caller can see and anything else is a 404, so a role
    /// check never confirms that another tenant's id exists.
    /// - Throws: 401 for a missing, invalid or unknown token; 403 for a role below `minimum`.
    public func withIdentity<T>(_ request: Request, minimum: Role, target: TargetLookup? = nil,
                                _ body: (Identity, MariaDBConnection) throws -> T) throws -> T {
        try scoped(request, minimum: minimum, target: target, body)
    }

    private func scoped<T>(_ request: Request, minimum: Role, target: TargetLookup?,
                           _ body: (Identity, MariaDBConnection) throws -> T) throws -> T {
        let token = try bearerToken(request)
        if APITokenSecret.isClaimed(token) {
            return try withAPIToken(request, token, minimum: minimum, target: target, body)
        }
        let verified: VerifiedToken
        do {
            verified = try verifier.verify(token)
        } catch .keysUnavailable {
            throw HTTPError.unavailable("The identity provider's keys could not be loaded.")
        } catch {
            throw HTTPError.unauthorized(error.description)
        }
        // One round trip: the lookup of the token's user and the scoping of the connection to
        // their tenant happen together in begin_request.
        return try database.withSubject(verified.subject, isRepeatable: request.bodyUntouched()) { row, connection in
            guard let row, let identity = Identity(row, tokenRoles: verified.roles) else {
                throw HTTPError.unauthorized("The token's user is unknown or disabled.")
            }
            return try authorized(request, identity, connection, minimum: minimum, target: target, body)
        }
    }

    /// The API token path (issue 18): `dct_…` never reaches the JWT verifier. One answer for a
    /// malformed, unknown, expired or revoked token, which never repeats the credential, so a
    /// 401 tells a guesser nothing.
    private func withAPIToken<T>(_ request: Request, _ credential: String, minimum: Role, target: TargetLookup?,
                                 _ body: (Identity, MariaDBConnection) throws -> T) throws -> T {
        let refusal = HTTPError.unauthorized("The API token is invalid, expired or revoked.")
        guard let secret = APITokenSecret(credential: credential) else { throw refusal }
        return try database.withAPIToken(hash: secret.hash, isRepeatable: request.bodyUntouched()) { identity, connection in
            guard let identity else { throw refusal }
            return try authorized(request, identity, connection, minimum: minimum, target: target, body)
        }
    }

    /// The role check both paths share: a 403 only for an object the caller can see. The tenant
    /// is noted for the request's log line first, so a refused request names it too.
    private func authorized<T>(_ request: Request, _ identity: Identity, _ connection: MariaDBConnection, minimum: Role, target: TargetLookup?,
                               _ body: (Identity, MariaDBConnection) throws -> T) throws -> T {
        request.trace.tenantID = identity.tenantID
        guard identity.role >= minimum else {
            if let target, try !target(identity, connection) { throw HTTPError.notFound() }
            throw HTTPError.forbidden()
        }
        return try body(identity, connection)
    }

    /// `withIdentity` for handlers that answer a response: a POST carrying `Idempotency-Key` is
    /// answered once and replayed on retries.
    /// `replaysIdempotencyKeys: false` is for endpoints that honour the key themselves (an
    /// upload is not buffered to be hashed; its job row holds the key).
    public func withCaller(_ request: Request, minimum: Role, target: TargetLookup? = nil,
                           replaysIdempotencyKeys: Bool = true,
                           _ body: (Identity, MariaDBConnection) throws -> Response) throws -> Response {
        try scoped(request, minimum: minimum, target: target) { identity, connection in
            guard replaysIdempotencyKeys, request.method == "POST", let key = request.header("idempotency-key") else {
                return try body(identity, connection)
            }
            return try IdempotencyKeys(connection: connection, identity: identity).run(key: key, request: request) {
                try body(identity, connection)
            }
        }
    }

    /// The API's paths that answer without credentials; every other `/api/v1/` path needs them.
    static let publicAPIPaths: Set<String> = ["/api/v1/openapi.json"]

    /// Whether a request to `path` must carry credentials (the pages use the session cookie).
    static func needsCredentials(path: String) -> Bool {
        path.hasPrefix("/api/v1/") && !publicAPIPaths.contains(path)
    }

    /// The credential of `Authorization: Bearer <token>`. Read on the header's bytes: every
    /// request passes here, and Foundation's `trimmingCharacters` over a JWT of a kilobyte cost
    /// a tenth of the datasets list's time (perf, issue 17).
    private func bearerToken(_ request: Request) throws -> String {
        guard let header = request.header("authorization") else { throw HTTPError.unauthorized() }
        let bytes = header.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let space = bytes.firstIndex(of: 0x20),
              String(decoding: bytes[..<space], as: UTF8.self).lowercased() == "bearer" else {
            throw HTTPError.unauthorized("Use 'Authorization: Bearer <token>'.")
        }
        var start = bytes.index(after: space)
        var end = bytes.endIndex
        while start < end, isBlank(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isBlank(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        guard start < end else { throw HTTPError.unauthorized("Use 'Authorization: Bearer <token>'.") }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
