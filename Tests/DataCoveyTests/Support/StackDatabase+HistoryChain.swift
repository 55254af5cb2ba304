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

    /// Removes every trace of `tenant` from the metadata (its objects, its history, its chain),
    /// for a test that tampered with that tenant's history on purpose: the shared database must
    /// verify again for the tests and scripts after it (the package test runs the maintenance
    /// unit's `history verify` over all of it). Foreign keys are off for the superuser's session
    /// so the order of the deletes does not matter; the history and the chain go last, as
    /// deleting the objects writes their delete versions first.
    func erase(tenant: Int64) throws {
        let superuser = try superuser()
        defer { superuser.close() }
        try superuser.execute("SET SESSION foreign_key_checks = 0")
        let tables = try superuser.query("""
            SELECT c.TABLE_NAME FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
              ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
             WHERE c.TABLE_SCHEMA = 'datacovey' AND c.COLUMN_NAME = 'tenant_id' AND t.TABLE_TYPE = 'BASE TABLE'
            """).map { try $0.decode(String.self, at: 0) }
        func isHistory(_ name: String) -> Bool { name.hasSuffix("_history") || name.hasPrefix("history_chain") }
        for table in tables where !isHistory(table) {
            try superuser.execute("DELETE FROM datacovey.\(unsafeRaw: table) WHERE tenant_id = \(tenant)")
        }
        try superuser.execute("DELETE FROM datacovey.tenants WHERE id = \(tenant)")
        for table in tables.filter(isHistory).sorted(by: { !$0.hasPrefix("history_chain") && $1.hasPrefix("history_chain") }) {
            try superuser.execute("DELETE FROM datacovey.\(unsafeRaw: table) WHERE tenant_id = \(tenant)")
        }
    }
}
