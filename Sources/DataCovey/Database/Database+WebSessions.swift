import MariaDB

/// Browser sessions through the DEFINER procedures of 0015: the token's hash goes in, the
/// session's user (and CSRF token) comes out.
extension Database {
    /// Scopes a connection to the user of a live session, as `withSubject` does for a token;
    /// `body` gets nil for an unknown, expired or revoked session.
    func withWebSession<T>(tokenHash: [UInt8], isRepeatable: () -> Bool = { true },
                           _ body: (IdentityRow?, String?, MariaDBConnection) throws -> T) throws -> T {
        try withoutTenant(isRepeatable: isRepeatable) { connection in
            let row = try connection.query("CALL begin_web_request(\(tokenHash))").first
            let identity = try row.map(IdentityRow.init)
            let csrf = try row.map { try $0.decode(String.self, at: 6) }
            return try body(identity, csrf, connection)
        }
    }

    /// The person has invitations in several tenants and no subject yet: the sign-in cannot
    /// tell which one they mean.
    struct AmbiguousInvitation: Error {}

    /// Opens a session for the enabled user with `subject`; nil when there is none. A subject
    /// not known yet is first bound to the one invitation for `verifiedEmail` (0016).
    func openWebSession(subject: String, verifiedEmail: String?, tokenHash: [UInt8], csrf: String, hours: Int) throws -> IdentityRow? {
        try withoutTenant { connection in
            do {
                return try connection.query(
                    "CALL open_web_session(\(subject), \(verifiedEmail?.lowercased()), \(tokenHash), \(csrf), \(hours))"
                ).first.map(IdentityRow.init)
            } catch let error as MariaDBError where error.message.contains("invited by several tenants") {
                throw AmbiguousInvitation()
            }
        }
    }

    func closeWebSession(tokenHash: [UInt8]) throws {
        try withoutTenant { connection in
            _ = try connection.query("CALL close_web_session(\(tokenHash))")
        }
    }

    /// The development issuer's users (subject, email, name, role, tenant) for its sign-in
    /// page: the first 200, or the one with `subject`. An invited user is listed under the
    /// subject its first sign-in will bind (`local|user-<id>`).
    func localUsers(subject: String? = nil) throws -> [(subject: String, email: String, name: String, role: String, tenant: String)] {
        try withoutTenant { connection in
            try connection.query("CALL local_users(\(subject))").map { row in
                let (subject, email, name, role, tenant) = try row.decode((String, String, String, String, String).self)
                return (subject, email, name, role, tenant)
            }
        }
    }
}
