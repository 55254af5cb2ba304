import DataCovey
import MariaDB
import XCTest

extension StackDatabase {
    /// Recomputes `tenant`'s whole history chain (sql/0024) in place, as the triggers would have
    /// written it: for tests that backdate history with the superuser to make it look old (a
    /// rewrite the chain would otherwise report, as it should). Only before any purge.
    func rechain(tenant: Int64) throws {
        let superuser = try superuser()
        defer { superuser.close() }
        XCTAssertEqual(try superuser.scalar("SELECT COUNT(*) FROM datacovey.history_chain_checkpoints WHERE tenant_id = \(tenant)"), 0)
        let links = try superuser.query("""
            SELECT history_table, history_id FROM datacovey.history_chain_links WHERE tenant_id = \(tenant) ORDER BY chain_seq
            """).map { try $0.decode((String, Int64).self) }
        var prev = HistoryChain.genesis
        for (table, id) in links {
            try superuser.execute("""
                UPDATE datacovey.\(unsafeRaw: table)
                   SET chain_prev = \(prev),
                       chain_hash = datacovey.dc_chain_hash(\(prev), \(table), chain_seq, tenant_id, entity_id, version,
                                                            operation, actor_user_id, db_user, changed_at, row_image)
                 WHERE history_id = \(id)
                """)
            prev = try superuser.query("SELECT chain_hash FROM datacovey.\(unsafeRaw: table) WHERE history_id = \(id)")[0]
                .decode(String.self, at: 0)
        }
        try superuser.execute("UPDATE datacovey.history_chain_heads SET head_hash = \(prev) WHERE tenant_id = \(tenant)")
    }

    /// The chain positions of `tenant`'s links, in order.
    func chainSeqs(tenant: Int64) throws -> [Int64] {
        let ops = try ops()
        defer { ops.close() }
        return try ops.query("SELECT chain_seq FROM datacovey.history_chain_links WHERE tenant_id = \(tenant) ORDER BY chain_seq")
            .map { try $0.decode(Int64.self, at: 0) }
    }
}
