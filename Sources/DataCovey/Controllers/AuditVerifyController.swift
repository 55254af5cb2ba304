import MariaDB

/// `GET /api/v1/audit/verify`: whether the caller's tenant's history hash chains hold, and their
/// heads — which a tenant keeps, to prove later that nothing before them was rewritten. One
/// chain on a single server, one per writer node on a Galera cluster (sql/0026): `heads` lists
/// each, `head` is the one value to keep (`HistoryChain.Report.head`). Tenant admins only, like
/// the audit log.
struct AuditVerifyController: Sendable {
    let authenticator: RequestAuthenticator

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/audit/verify", verify)
    }

    struct Verdict: JSONResource {
        let valid: Bool
        let head: String
        let heads: [ChainHead]
        let entries: Int
        let firstBroken: HistoryChain.Break?

        static let jsonFields: [JSONField<Verdict>] = [
            .field("entries", \.entries), .field("first_broken", \.firstBroken), .field("head", \.head),
            .field("heads", \.heads), .field("valid", \.valid),
        ]
    }

    /// One chain's head: its name ("" on a server without wsrep), position and hash.
    struct ChainHead: JSONResource {
        let chain: String
        let seq: UInt64
        let hash: String

        init(_ head: HistoryChain.Head) {
            (chain, seq, hash) = (head.chain, head.seq, head.hash)
        }

        static let jsonFields: [JSONField<ChainHead>] = [.field("chain", \.chain), .field("hash", \.hash), .field("seq", \.seq)]
    }

    func verify(_ request: Request) throws -> Response {
        try authenticator.withCaller(request, minimum: .admin) { identity, connection in
            let report = try HistoryChainCheck.verify(tenantID: identity.tenantID, on: connection)
            return try .json(Verdict(valid: report.isValid, head: report.head, heads: report.heads.map(ChainHead.init),
                                     entries: report.entries, firstBroken: report.firstBreak))
        }
    }
}
