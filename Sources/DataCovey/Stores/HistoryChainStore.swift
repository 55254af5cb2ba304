import MariaDB

/// Reads a tenant's history chain (sql/0024) for `HistoryChain.verify`: on a tenant-scoped
/// connection through the tenant's procedures (sql/0024), or on the operators' connection from the base tables
/// for any tenant. Either way the database recomputes each link's hash (`dc_chain_hash`).
struct HistoryChainStore {
    let connection: MariaDBConnection

    /// The session tenant's chain, as `GET /api/v1/audit/verify` sees it.
    func verifySessionTenant(_ tenantID: Int64) throws -> HistoryChain.Report {
        try consistent(tenantID, head: {
            try connection.query("CALL history_chain_head()").first.map(Self.head)
        }, links: {
            try connection.query("CALL history_chain_links()").map(Self.link)
        })
    }

    /// Any tenant's chain, from the base tables (the operators' account).
    func verify(tenantID: Int64) throws -> HistoryChain.Report {
        try consistent(tenantID, head: {
            try connection.query("""
                SELECT h.seq, h.head_hash, c.seq, c.hash, c.kept_digest, c.kept_links
                  FROM datacovey.history_chain_heads h
                  LEFT JOIN datacovey.history_chain_checkpoints c ON c.tenant_id = h.tenant_id
                 WHERE h.tenant_id = \(tenantID)
                """).first.map(Self.head)
        }, links: {
            try connection.query("""
                SELECT history_table, history_id, chain_seq, chain_prev, chain_hash, computed_hash
                  FROM datacovey.history_chain_links WHERE tenant_id = \(tenantID)
                 ORDER BY chain_seq, history_table, history_id
                """).map(Self.link)
        })
    }

    /// Reads the head, the links, and the head again, until the head did not move meanwhile
    /// (a few tries): a writer commits its link and its head move together, so an unmoved head
    /// means the links read are exactly the ones it vouches for — a live tenant's chain is not
    /// reported broken because a link landed between the two reads.
    private func consistent(_ tenantID: Int64, head: () throws -> HistoryChain.Head?,
                            links: () throws -> [HistoryChain.Link]) throws -> HistoryChain.Report {
        var before = try head()
        var read = try links()
        var after = try head()
        for _ in 0..<4 where after?.seq != before?.seq || after?.hash != before?.hash {
            before = after
            read = try links()
            after = try head()
        }
        return HistoryChain.verify(tenantID: tenantID, links: read, head: after)
    }

    /// Every tenant that has a chain head or history, in id order.
    func tenantIDs() throws -> [Int64] {
        try connection.query("""
            SELECT tenant_id FROM datacovey.history_chain_heads
             UNION SELECT id FROM datacovey.tenants ORDER BY 1
            """).map { try $0.decode(Int64.self, at: 0) }
    }

    private static func link(_ row: MariaDBRow) throws -> HistoryChain.Link {
        let (table, historyID, seq, prev, hash, computed) = try row.decode((String, Int64, UInt64, String, String, String?).self)
        return HistoryChain.Link(table: table, historyID: historyID, seq: seq, prev: prev, hash: hash, computed: computed ?? "")
    }

    private static func head(_ row: MariaDBRow) throws -> HistoryChain.Head {
        let (seq, hash, checkpointSeq, checkpointHash, digest, kept) =
            try row.decode((UInt64, String, UInt64?, String?, String?, UInt64?).self)
        var checkpoint: HistoryChain.Checkpoint?
        if let checkpointSeq, let checkpointHash, let digest, let kept {
            checkpoint = .init(seq: checkpointSeq, hash: checkpointHash, keptDigest: digest, keptLinks: kept)
        }
        return HistoryChain.Head(seq: seq, hash: hash, checkpoint: checkpoint)
    }
}
