import MariaDB

/// The transaction an import loads in (ImportRunner), as the cluster needs it.
///
/// - Opened `WITH CONSISTENT SNAPSHOT` at REPEATABLE READ: the snapshot is taken before the
///   LOAD, so after it the rows the transaction sees from its first id on are exactly its own
///   (ImportRowRuns). A plain START TRANSACTION takes its snapshot at the first read, i.e.
///   after the load, and would see rows other writers committed during it.
/// - On a Galera node, streamed (Galera 4 streaming replication): a LOAD DATA of a large file
///   (and a replace's DELETE of the whole table) is one write set, replicated only at COMMIT
///   and bounded by `wsrep_max_ws_size`; the other nodes then certify and apply it all at once
///   while it holds memory on every node. With `wsrep_trx_fragment_unit = 'bytes'` the write set
///   goes out in fragments as the load runs, each certified and applied on the other nodes
///   (kept in mysql.wsrep_streaming_log until the commit); a conflicting write on another
///   node then fails there, not this import at its commit. No privilege is needed for the
///   session variables (checked with dc_worker on 10.11), and LOAD DATA LOCAL streams like
///   any insert (`wsrep_load_data_splitting`, which committed every 10,000 rows and broke the
///   import's atomicity, is deprecated and not used). Off (the variables left alone) on a
///   server that is not a Galera node.
enum ImportTransaction {
    /// Fragments of at most this many bytes (16 MiB: on a 2-node loopback cluster, a
    /// 300,000-row load committed as fast as unfragmented; 1 MiB fragments cost half again),
    /// and at most a quarter of `wsrep_max_ws_size`.
    static let fragmentBytes: Int64 = 16 << 20

    /// The fragment size for this session's server, or nil when it is not a Galera node.
    static func fragmentSize(on connection: MariaDBConnection) throws -> Int64? {
        let row: MariaDBRow
        do {
            guard let first = try connection.query("SELECT @@wsrep_on, @@wsrep_max_ws_size").first else { return nil }
            row = first
        } catch let error as MariaDBError where error.code == 1193 {
            return nil  // ER_UNKNOWN_SYSTEM_VARIABLE: a server built without wsrep
        }
        let (on, maxWriteSet) = try row.decode((Bool, Int64).self)
        guard on else { return nil }
        return max(64 << 10, min(fragmentBytes, maxWriteSet / 4))
    }

    /// Runs `body` in the import's transaction; committed when it returns, rolled back when
    /// it throws. The session's streaming settings are put back after it (the connection goes
    /// back to the pool).
    static func run<T>(on connection: MariaDBConnection, _ body: (MariaDBConnection) throws -> T) throws -> T {
        let fragment = try fragmentSize(on: connection)
        if let fragment {
            try connection.executeText("SET SESSION wsrep_trx_fragment_unit = 'bytes', wsrep_trx_fragment_size = \(fragment)")
        }
        defer {
            if fragment != nil, !connection.isBroken { try? connection.executeText("SET SESSION wsrep_trx_fragment_size = DEFAULT") }
        }
        try connection.executeText("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try connection.executeText("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        let result: T
        do {
            result = try body(connection)
        } catch {
            if !connection.isBroken { try? connection.executeText("ROLLBACK") }
            throw error
        }
        try connection.executeText("COMMIT")
        return result
    }
}
