import Foundation
import MariaDB

/// `datacovey-admin history purge|verify`: operators' care of the trigger-written history
/// tables, on the operators' account (which may read and delete history but not forge it:
/// only the triggers insert).
public struct HistoryMaintenance {
    /// Base table and its history table, every tracked pair (job kinds from the registry).
    static let tracked: [(table: String, history: String)] = [
        ("tenants", "tenant_history"), ("users", "user_history"), ("projects", "project_history"),
        ("datasets", "dataset_history"), ("dataset_tables", "table_history"), ("table_columns", "table_column_history"),
        ("queries", "query_history"),
    ] + JobKinds.all.map { ($0.table, $0.historyTable) }

    let connection: MariaDBConnection

    public init(connection: MariaDBConnection) {
        self.connection = connection
    }

    /// Deletes versions older than `days`, except each object's newest version, so every row
    /// still has its current version and `verify` still holds. Answers rows deleted per table.
    ///
    /// The deleted rows are links of their tenants' hash chains (sql/0024, 0026): in the same
    /// transaction each chain that lost links gets a checkpoint (the last purged link and a
    /// digest of the links below it that stay), from which `verifyChains` starts. A tenant
    /// whose chains do not verify is not purged at all (listed in `skipped`): a purge must
    /// never delete the evidence of a rewrite, nor seal it under a new checkpoint.
    public func purge(olderThanDays days: Int) throws -> [(history: String, deleted: UInt64)] {
        try purgeKeepingChains(olderThanDays: days).deleted
    }

    /// One chain: a tenant's links written on one node (sql/0026).
    private struct Chain: Hashable {
        let tenant: Int64
        let node: String
    }

    /// `purge`, with the tenants it left alone because their chain was broken.
    public func purgeKeepingChains(olderThanDays days: Int) throws
        -> (deleted: [(history: String, deleted: UInt64)], skipped: [HistoryChain.Report]) {
        try connection.withTransaction { connection in
            let chains = HistoryChainStore(connection: connection)
            // The links that go, per chain: the newest of them becomes the chain's checkpoint.
            var purgedTop: [Chain: (seq: UInt64, hash: String)] = [:]
            for pair in Self.tracked {
                try connection.query(Self.purgeable(pair.history, days: days,
                                                    columns: "tenant_id, chain_node, chain_seq, chain_hash")) { row in
                    let (tenant, node, seq, hash) = try row.decode((Int64, String, UInt64, String).self)
                    let chain = Chain(tenant: tenant, node: node)
                    if seq > purgedTop[chain]?.seq ?? 0 { purgedTop[chain] = (seq, hash) }
                }
            }
            let tenants = Set(purgedTop.keys.map(\.tenant)).sorted()
            let skipped = try tenants.map { try chains.verify(tenantID: $0) }.filter { !$0.isValid }
            let spared = skipped.map(\.tenantID)
            let deleted = try Self.tracked.map { pair in
                var delete = Self.purgeable(pair.history, days: days, columns: nil)
                for tenant in spared { delete.append(" AND tenant_id <> \(tenant)") }
                return (pair.history, try connection.execute(delete).affectedRows)
            }
            for (chain, top) in purgedTop where !spared.contains(chain.tenant) {
                try writeCheckpoint(chain, purgedTop: top, on: connection)
            }
            return (deleted, skipped)
        }
    }

    /// The rows of `history` a purge deletes: a SELECT of `columns`, or the DELETE when nil.
    private static func purgeable(_ history: String, days: Int, columns: String?) -> SQLQuery {
        let verb = columns.map { "SELECT \($0) FROM" } ?? "DELETE FROM"
        return """
            \(unsafeRaw: verb) datacovey.\(unsafeRaw: history)
             WHERE changed_at < UTC_TIMESTAMP(6) - INTERVAL \(days) DAY
               AND version < (SELECT MAX(newest.version) FROM datacovey.\(unsafeRaw: history) newest
                               WHERE newest.entity_id = \(unsafeRaw: history).entity_id)
            """
    }

    /// Moves `chain`'s checkpoint up to its newest purged link (it never moves down) and
    /// records the digest of the chain's links at or below it that stay.
    private func writeCheckpoint(_ chain: Chain, purgedTop: (seq: UInt64, hash: String), on connection: MariaDBConnection) throws {
        var top = purgedTop
        if let existing = try connection.query("""
            SELECT seq, hash FROM datacovey.history_chain_checkpoints
             WHERE tenant_id = \(chain.tenant) AND chain_node = \(chain.node) FOR UPDATE
            """).first {
            let (seq, hash) = try existing.decode((UInt64, String).self)
            if seq > top.seq { top = (seq, hash) }
        }
        let kept = try connection.query("""
            SELECT chain_seq, chain_hash FROM datacovey.history_chain_links
             WHERE tenant_id = \(chain.tenant) AND chain_node = \(chain.node) AND chain_seq <= \(top.seq) ORDER BY chain_seq
            """).map { try $0.decode((UInt64, String).self) }.map { (seq: $0.0, hash: $0.1) }
        try connection.execute("""
            INSERT INTO datacovey.history_chain_checkpoints (tenant_id, chain_node, seq, hash, kept_digest, kept_links, purged_at)
            VALUES (\(chain.tenant), \(chain.node), \(top.seq), \(top.hash), \(HistoryChain.keptDigest(kept)), \(UInt64(kept.count)),
                    UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE seq = VALUES(seq), hash = VALUES(hash), kept_digest = VALUES(kept_digest),
                                    kept_links = VALUES(kept_links), purged_at = VALUES(purged_at)
            """)
    }

    /// Every tenant's hash chain checked (or only `tenant`'s, by name), one report each with
    /// the tenant's name (nil for a tenant that is gone but left a chain).
    public func verifyChains(tenant: String? = nil) throws -> [(tenant: String?, report: HistoryChain.Report)] {
        let chains = HistoryChainStore(connection: connection)
        if let tenant {
            let id = try TenantDirectory(connection: connection).tenant(named: tenant).id
            return [(tenant, try chains.verify(tenantID: id))]
        }
        let names = Dictionary(uniqueKeysWithValues: try connection.query("SELECT id, name FROM datacovey.tenants")
            .map { try $0.decode((Int64, String).self) })
        return try chains.tenantIDs().map { (names[$0], try chains.verify(tenantID: $0)) }
    }

    /// One tracked row whose versions are not a contiguous run ending at its current version.
    public struct Gap: CustomStringConvertible, Sendable {
        public let table: String
        public let id: Int64
        public let current: Int64
        public let oldest: Int64?
        public let newest: Int64?
        public let count: Int64

        public var description: String {
            guard let oldest, let newest else { return "\(table) \(id): version \(current) has no history" }
            return "\(table) \(id): version \(current), history has \(count) versions from \(oldest) to \(newest)"
        }
    }

    /// Every tracked row whose history is missing, has a hole, or does not end at its version
    /// (only `tenant`'s rows, by name, when given).
    public func verify(tenant: String? = nil) throws -> [Gap] {
        let tenantID = try tenant.map { try TenantDirectory(connection: connection).tenant(named: $0).id }
        return try Self.tracked.flatMap { pair in
            var scope: SQLQuery = ""
            if let tenantID { scope = " WHERE t.\(unsafeRaw: pair.table == "tenants" ? "id" : "tenant_id") = \(tenantID)" }
            return try connection.query("""
                SELECT t.id, t.version, MIN(h.version), MAX(h.version), COUNT(h.version)
                  FROM datacovey.\(unsafeRaw: pair.table) t
                  LEFT JOIN datacovey.\(unsafeRaw: pair.history) h ON h.entity_id = t.id
                \(scope)
                 GROUP BY t.id, t.version
                HAVING MAX(h.version) IS NULL OR MAX(h.version) <> t.version
                    OR MAX(h.version) - MIN(h.version) + 1 <> COUNT(h.version)
                 ORDER BY t.id
                """).map { row in
                let (id, current, oldest, newest, count) = try row.decode((Int64, Int64, Int64?, Int64?, Int64).self)
                return Gap(table: pair.table, id: id, current: current, oldest: oldest, newest: newest, count: count)
            }
        }
    }
}
