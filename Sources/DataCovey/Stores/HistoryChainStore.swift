import MariaDB

/// Reads a tenant's history chains (sql/0024, 0026) for `HistoryChain.verify`: on a tenant-scoped
/// connection through the tenant's procedures (sql/0024), or on the operators' connection from the base tables
/// for any tenant. Either way the database recomputes each link's hash (`dc_chain_hash`).
struct HistoryChainStore {
    let connection: MariaDBConnection

    /// The session tenant's chain, as `GET /api/v1/audit/verify` sees it.
    func verifySessionTenant(_ tenantID: Int64) throws -> HistoryChain.Report {
        try consistent(tenantID, heads: {
            try connection.query("CALL history_chain_head()").map(Self.head)
        }, links: {
            try connection.query("CALL history_chain_links()").map(Self.link)
        })
    }

    /// Any tenant's chain, from the base tables (the operators' account).
    func verify(tenantID: Int64) throws -> HistoryChain.Report {
        try consistent(tenantID, heads: {
            try connection.query("""
                SELECT h.chain_node, h.seq, h.head_hash, c.seq, c.hash, c.kept_digest, c.kept_links
                  FROM datacovey.history_chain_heads h
                  LEFT JOIN datacovey.history_chain_checkpoints c ON c.tenant_id = h.tenant_id AND c.chain_node = h.chain_node
                 WHERE h.tenant_id = \(tenantID)
                 ORDER BY h.chain_node
                """).map(Self.head)
        }, links: {
            try connection.query("""
                SELECT history_table, history_id, chain_node, chain_seq, chain_prev, chain_hash, computed_hash
                  FROM datacovey.history_chain_links WHERE tenant_id = \(tenantID)
                 ORDER BY chain_node, chain_seq, history_table, history_id
                """).map(Self.link)
        })
    }

    /// Reads the heads, the links, and the heads again, until no head moved meanwhile (a few
    /// tries): a writer commits its link and its head move together, so unmoved heads mean the
    /// links read are exactly the ones they vouch for — a live tenant's chain is not reported
    /// broken because a link landed between the two reads.
    private func consistent(_ tenantID: Int64, heads: () throws -> [HistoryChain.Head],
                            links: () throws -> [HistoryChain.Link]) throws -> HistoryChain.Report {
        func positions(_ heads: [HistoryChain.Head]) -> [String] { heads.map { "\($0.chain):\($0.seq):\($0.hash)" } }
        var before = try heads()
        var read = try links()
        var after = try heads()
        for _ in 0..<4 where positions(after) != positions(before) {
            before = after
            read = try links()
            after = try heads()
        }
        return HistoryChain.verify(tenantID: tenantID, links: read, heads: after)
    }

    /// Every tenant that has a chain head or history, in id order.
    func tenantIDs() throws -> [Int64] {
        try connection.query("""
            SELECT tenant_id FROM datacovey.history_chain_heads
             UNION SELECT id FROM datacovey.tenants ORDER BY 1
            """).map { try $0.decode(Int64.self, at: 0) }
    }

    private static func link(_ row: MariaDBRow) throws -> HistoryChain.Link {
        let (table, historyID, chain, seq, prev, hash, computed) =
            try row.decode((String, Int64, String, UInt64, String, String, String?).self)
        return HistoryChain.Link(table: table, historyID: historyID, chain: chain, seq: seq, prev: prev, hash: hash,
                                 computed: computed ?? "")
    }

    private static func head(_ row: MariaDBRow) throws -> HistoryChain.Head {
        let (chain, seq, hash, checkpointSeq, checkpointHash, digest, kept) =
            try row.decode((String, UInt64, String, UInt64?, String?, String?, UInt64?).self)
        var checkpoint: HistoryChain.Checkpoint?
        if let checkpointSeq, let checkpointHash, let digest, let kept {
            checkpoint = .init(seq: checkpointSeq, hash: checkpointHash, keptDigest: digest, keptLinks: kept)
        }
        return HistoryChain.Head(chain: chain, seq: seq, hash: hash, checkpoint: checkpoint)
    }
}
