import CMariaDB

extension MariaDBConnection {
    /// Prepares SQL that is not ours (a user's query: its values bound, never spliced), runs it
    /// once, and streams the result: `columns` once (even for an empty result), then each row
    /// until `body` returns false. The statement is not cached: user SQL rarely repeats, and the
    /// cache must not fill with it.
    ///
    /// Returns whether the result was read to its end. Stopping early, or `body` throwing,
    /// shuts the socket and drops the connection (`isBroken`): reading the rest of a large
    /// result only to discard it would cost as much as the query, and a row cap exists to avoid
    /// exactly that.
    public func streamQuery(
        _ unsafeSQL: String, binds: [MariaDBValue],
        columns: (MariaDBColumns) throws -> Void, _ body: (MariaDBRow) throws -> Bool
    ) throws -> Bool {
        let mysql = try live()
        let statement: PreparedStatement
        do {
            statement = try PreparedStatement(connection: mysql, sql: unsafeSQL)
        } catch let error as MariaDBError {
            throw noteFailure(error)
        }
        // After `abandon` the handle is gone; Connector/C detached the statement, so closing
        // it only frees memory.
        defer { statement.close() }
        do {
            let complete = try statement.stream(binds: binds, columns: columns, body)
            if !complete { cancelAndAbandon(mysql) }
            return complete
        } catch let error as MariaDBError {
            throw noteFailure(error)
        } catch {
            cancelAndAbandon(mysql)
            throw error
        }
    }

    private func cancelAndAbandon(_ mysql: UnsafeMutablePointer<MYSQL>) {
        mariadb_cancel(mysql)
        abandon()
    }
}
