import MariaDB

/// `GET /api/v1/audit/verify`: whether the caller's tenant's history hash chain holds, and its
/// head — which a tenant keeps, to prove later that nothing before it was rewritten. Tenant
/// admins only, like the audit log.
struct AuditVerifyController: Sendable {
    let authenticator: RequestAuthenticator

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/audit/verify", verify)
    }

    struct Verdict: JSONResource {
        let valid: Bool
        let head: String
        let entries: Int
        let firstBroken: HistoryChain.Break?

        static let jsonFields: [JSONField<Verdict>] = [
            .field("entries", \.entries), .field("first_broken", \.firstBroken), .field("head", \.head), .field("valid", \.valid),
        ]
    }

    func verify(_ request: Request) throws -> Response {
        try authenticator.withCaller(request, minimum: .admin) { identity, connection in
            let report = try HistoryChainCheck.verify(tenantID: identity.tenantID, on: connection)
            return try .json(Verdict(valid: report.isValid, head: report.head, entries: report.entries,
                                     firstBroken: report.firstBreak))
        }
    }
}
