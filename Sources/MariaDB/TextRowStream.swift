import CMariaDB

/// One row of a text-protocol result, valid only inside the `streamText` callback: each field
/// is the server's own bytes, with no decoding into Swift values (an export copies millions).
public struct MariaDBTextRow {
    fileprivate let row: MYSQL_ROW
    fileprivate let lengths: UnsafeMutablePointer<UInt>
    public let count: Int

    public func isNull(_ index: Int) -> Bool { row[index] == nil }

    /// The bytes of all fields together, before any is copied.
    public var byteCount: Int { (0..<count).reduce(0) { $0 + Int(lengths[$1]) } }

    /// The field's bytes (empty for NULL); the pointer must not escape `body`.
    public func withField<Result>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        guard let field = row[index] else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try field.withMemoryRebound(to: UInt8.self, capacity: Int(lengths[index])) {
            try body(UnsafeBufferPointer(start: $0, count: Int(lengths[index])))
        }
    }
}

extension MariaDBConnection {
    /// Runs trusted text SQL and hands each row to `body` as it arrives (`mysql_use_result`:
    /// the result is never held whole). If `body` throws, the connection is dropped rather than
    /// drained, so the server stops sending the rest; the error is rethrown.
    public func streamText(_ unsafeSQL: String, _ body: (MariaDBTextRow) throws -> Void) throws {
        let mysql = try live()
        guard mysql_real_query(mysql, unsafeSQL, UInt(unsafeSQL.utf8.count)) == 0 else { throw fail(mysql, sql: unsafeSQL) }
        guard let result = mysql_use_result(mysql) else {
            if mysql_errno(mysql) != 0 { throw fail(mysql, sql: unsafeSQL) }
            return
        }
        let columns = Int(mysql_num_fields(result))
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            do {
                try body(MariaDBTextRow(row: row, lengths: lengths, count: columns))
            } catch {
                // Shut the socket first, so freeing the result does not read the rest of it.
                mariadb_cancel(mysql)
                mysql_free_result(result)
                abandon()
                throw error
            }
        }
        let failed = mysql_errno(mysql) != 0
        let error = failed ? fail(mysql, sql: unsafeSQL) : nil
        mysql_free_result(result)
        if let error { throw error }
    }
}

extension MariaDBConnection {
    /// Like `streamText`, for SQL that is not ours but needs no binds (a user's query): the
    /// result's columns come first, even for an empty result, and returning false from `body`
    /// stops reading (the connection is then dropped, as when `body` throws). Returns whether
    /// the result was read to its end. The text protocol hands over the server's bytes with no
    /// per-cell decoding, which is most of the cost of a large answer.
    public func streamText(
        _ unsafeSQL: String, columns: (MariaDBColumns) throws -> Void, _ body: (MariaDBTextRow) throws -> Bool
    ) throws -> Bool {
        let mysql = try live()
        guard mysql_real_query(mysql, unsafeSQL, UInt(unsafeSQL.utf8.count)) == 0 else { throw fail(mysql, sql: unsafeSQL) }
        guard let result = mysql_use_result(mysql) else {
            if mysql_errno(mysql) != 0 { throw fail(mysql, sql: unsafeSQL) }
            try columns(MariaDBColumns([]))
            return true
        }
        let count = Int(mysql_num_fields(result))
        var stopped = false
        do {
            guard let fields = mysql_fetch_fields(result) else { throw fail(mysql, sql: unsafeSQL) }
            try columns(MariaDBColumns((0..<count).map { PreparedStatement.column(fields[$0]) }))
            while let row = mysql_fetch_row(result) {
                guard let lengths = mysql_fetch_lengths(result) else { break }
                guard try body(MariaDBTextRow(row: row, lengths: lengths, count: count)) else {
                    stopped = true
                    break
                }
            }
        } catch {
            mariadb_cancel(mysql)
            mysql_free_result(result)
            abandon()
            throw error
        }
        if stopped {
            // Shut the socket first, so freeing the result does not read the rest of it.
            mariadb_cancel(mysql)
            mysql_free_result(result)
            abandon()
            return false
        }
        let failed = mysql_errno(mysql) != 0
        let error = failed ? fail(mysql, sql: unsafeSQL) : nil
        mysql_free_result(result)
        if let error { throw error }
        return true
    }
}
