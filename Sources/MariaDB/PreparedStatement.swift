import CMariaDB

/// A server-side prepared statement. Owns its `MYSQL_STMT` handle and the buffers its binds point at.
final class PreparedStatement {
    private var handle: UnsafeMutablePointer<MYSQL_STMT>?
    let sql: String
    let parameterCount: Int

    init(connection: UnsafeMutablePointer<MYSQL>, sql: String) throws {
        guard let stmt = mysql_stmt_init(connection) else {
            throw MariaDBConnection.error(of: connection, sql: sql)
        }
        guard mysql_stmt_prepare(stmt, sql, UInt(sql.utf8.count)) == 0 else {
            let error = Self.error(of: stmt, sql: sql)
            mysql_stmt_close(stmt)
            throw error
        }
        self.handle = stmt
        self.sql = sql
        self.parameterCount = Int(mysql_stmt_param_count(stmt))
    }

    deinit { close() }

    func close() {
        if let handle { mysql_stmt_close(handle) }
        handle = nil
    }

    /// Executes and reports affected rows; any result set is read and discarded.
    func execute(binds: [MariaDBValue]) throws -> MariaDBExecuteResult {
        let stmt = try run(binds: binds)
        if mysql_stmt_field_count(stmt) > 0 {
            try fetchRows(stmt) { _ in }
        }
        let result = MariaDBExecuteResult(
            affectedRows: mysql_stmt_affected_rows(stmt), lastInsertID: mysql_stmt_insert_id(stmt))
        try finish(stmt)
        return result
    }

    /// Executes and streams each row of the result to `body`.
    func query(binds: [MariaDBValue], forEach body: (MariaDBRow) throws -> Void) throws {
        let stmt = try run(binds: binds)
        do {
            if mysql_stmt_field_count(stmt) > 0 { try fetchRows(stmt, body) }
        } catch {
            mysql_stmt_free_result(stmt)
            mysql_stmt_reset(stmt)
            throw error
        }
        try finish(stmt)
    }

    private func run(binds: [MariaDBValue]) throws -> UnsafeMutablePointer<MYSQL_STMT> {
        guard let stmt = handle else {
            throw MariaDBError(code: 2056, sqlState: "HY000", message: "statement is closed", sql: sql)
        }
        guard binds.count == parameterCount else {
            throw MariaDBError(
                code: 2031, sqlState: "HY000",
                message: "statement has \(parameterCount) placeholders but \(binds.count) values were bound", sql: sql)
        }
        let parameters = ParameterBuffers(binds)
        if parameterCount > 0 {
            guard mysql_stmt_bind_param(stmt, parameters.binds) == 0 else { throw Self.error(of: stmt, sql: sql) }
        }
        // The bind buffers must stay alive until execute has sent them.
        let status = withExtendedLifetime(parameters) { mysql_stmt_execute(stmt) }
        guard status == 0 else { throw Self.error(of: stmt, sql: sql) }
        return stmt
    }

    private func finish(_ stmt: UnsafeMutablePointer<MYSQL_STMT>) throws {
        mysql_stmt_free_result(stmt)
        // A CALL may return extra result sets; read past them so the connection is usable again.
        while mysql_stmt_more_results(stmt) != 0 {
            let next = mysql_stmt_next_result(stmt)
            if next > 0 { throw Self.error(of: stmt, sql: sql) }
            if next == -1 { break }
            if mysql_stmt_field_count(stmt) > 0 { try fetchRows(stmt) { _ in } }
            mysql_stmt_free_result(stmt)
        }
    }

    private func fetchRows(_ stmt: UnsafeMutablePointer<MYSQL_STMT>, _ body: (MariaDBRow) throws -> Void) throws {
        guard let metadata = mysql_stmt_result_metadata(stmt) else { throw Self.error(of: stmt, sql: sql) }
        defer { mysql_free_result(metadata) }
        let fieldCount = Int(mysql_num_fields(metadata))
        guard let fields = mysql_fetch_fields(metadata) else { throw Self.error(of: stmt, sql: sql) }
        let columns = MariaDBColumns((0..<fieldCount).map { Self.column(fields[$0]) })
        let results = ResultBuffers(columns: columns.columns)
        guard mysql_stmt_bind_result(stmt, results.binds) == 0 else { throw Self.error(of: stmt, sql: sql) }
        while true {
            let status = mysql_stmt_fetch(stmt)
            if status == MYSQL_NO_DATA { return }
            if status == 1 { throw Self.error(of: stmt, sql: sql) }
            // MYSQL_DATA_TRUNCATED: some text cell was longer than its buffer; read those in full.
            let cells = try (0..<fieldCount).map { index in
                try results.cell(at: index, truncated: status == MYSQL_DATA_TRUNCATED, statement: stmt)
            }
            try body(MariaDBRow(columns: columns, cells: cells))
        }
    }

    private static func column(_ field: MYSQL_FIELD) -> MariaDBColumn {
        MariaDBColumn(
            name: String(cString: field.name),
            typeCode: field.type.rawValue,
            isUnsigned: field.flags & UInt32(UNSIGNED_FLAG) != 0,
            // charset 63 is `binary`: BLOB/VARBINARY, as opposed to TEXT with a binary collation.
            isBinary: field.charsetnr == 63,
            decimals: field.decimals,
            length: field.length)
    }

    static func error(of stmt: UnsafeMutablePointer<MYSQL_STMT>, sql: String) -> MariaDBError {
        MariaDBError(
            code: mysql_stmt_errno(stmt),
            sqlState: String(cString: mysql_stmt_sqlstate(stmt)),
            message: String(cString: mysql_stmt_error(stmt)),
            sql: sql)
    }
}
