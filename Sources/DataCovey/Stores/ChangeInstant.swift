import MariaDB

/// One instant for every statement of a change. MariaDB stamps a version with its statement's
/// start, so a change of several statements (a replace's DELETE then LOAD, a restore's DELETE
/// then INSERT) would leave instants between them where the table reads half-changed through
/// `as_of` (an empty table between a replace's two statements). Pinning the session's
/// @@timestamp for the transaction stamps all its versions, and its audit entry's and its
/// job's UTC_TIMESTAMP(6), with the same instant, which is also what lets an entry be matched
/// to its versions exactly (row history). Pinned before the first statement: the instant
/// is the transaction's start, like a one-statement change's.
///
/// On a Galera cluster the versions replicate as row events with the ROW_START/ROW_END the
/// originating node wrote, so the pinned instant is the same on every node; nothing is
/// recomputed where they are applied. Instants written on different nodes are compared (as_of,
/// a replace's revert), so the nodes' clocks must be synchronized (NTP).
enum ChangeInstant {
    static func pinned<T>(on connection: MariaDBConnection, _ body: (AsOf) throws -> T) throws -> T {
        try connection.executeText("SET @@timestamp = UNIX_TIMESTAMP(NOW(6))")
        // A pool reset puts it back too; this keeps the connection's clock right at once.
        defer { try? connection.executeText("SET @@timestamp = DEFAULT") }
        let instant = try connection.query("SELECT NOW(6)")[0].decode(MariaDBDateTime.self, at: 0)
        return try body(AsOf(instant: instant))
    }
}
