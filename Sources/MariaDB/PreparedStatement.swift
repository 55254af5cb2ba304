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
        _ = try fetchRows(stmt, columns: { _ in }) { row in
            try body(row)
            return true
        }
    }

    /// Reads the result row by row; returns false as soon as `body` does (the rest unread).
    private func fetchRows(
        _ stmt: UnsafeMutablePointer<MYSQL_STMT>, columns columnsHandler: (MariaDBColumns) throws -> Void,
        _ body: (MariaDBRow) throws -> Bool
    ) throws -> Bool {
        guard let metadata = mysql_stmt_result_metadata(stmt) else { throw Self.error(of: stmt, sql: sql) }
        defer { mysql_free_result(metadata) }
        let fieldCount = Int(mysql_num_fields(metadata))
        guard let fields = mysql_fetch_fields(metadata) else { throw Self.error(of: stmt, sql: sql) }
        let columns = MariaDBColumns((0..<fieldCount).map { Self.column(fields[$0]) })
        try columnsHandler(columns)
        let results = ResultBuffers(columns: columns.columns)
        guard mysql_stmt_bind_result(stmt, results.binds) == 0 else { throw Self.error(of: stmt, sql: sql) }
        while true {
            let status = mysql_stmt_fetch(stmt)
            if status == MYSQL_NO_DATA { return true }
            if status == 1 { throw Self.error(of: stmt, sql: sql) }
            // MYSQL_DATA_TRUNCATED: some text cell was longer than its buffer; read those in full.
            let cells = try (0..<fieldCount).map { index in
                try results.cell(at: index, truncated: status == MYSQL_DATA_TRUNCATED, statement: stmt)
            }
            guard try body(MariaDBRow(columns: columns, cells: cells)) else { return false }
        }
    }

    /// Executes and hands the result's columns, then its rows, to the callbacks until `body`
    /// returns false. Returns whether the result was read to its end; if not, the statement
    /// is mid-result and the caller must drop the connection rather than drain it.
    func stream(
        binds: [MariaDBValue], columns: (MariaDBColumns) throws -> Void, _ body: (MariaDBRow) throws -> Bool
    ) throws -> Bool {
        let stmt = try run(binds: binds)
        guard mysql_stmt_field_count(stmt) > 0 else {
            try columns(MariaDBColumns([]))
            try finish(stmt)
            return true
        }
        guard try fetchRows(stmt, columns: columns, body) else { return false }
        try finish(stmt)
        return true
    }

    static func column(_ field: MYSQL_FIELD) -> MariaDBColumn {
        var column = MariaDBColumn(
            name: String(cString: field.name),
            typeCode: field.type.rawValue,
            isUnsigned: field.flags & UInt32(UNSIGNED_FLAG) != 0,
            // charset 63 is `binary`: BLOB/VARBINARY, as opposed to TEXT with a binary collation.
            isBinary: field.charsetnr == 63,
            decimals: field.decimals,
            length: field.length)
        // MariaDB 10.5+ names JSON columns in its extended metadata, which Connector/C asks for.
        var attribute = MARIADB_CONST_STRING()
        var described = field
        if mariadb_field_attr(&attribute, &described, MARIADB_FIELD_ATTR_FORMAT_NAME) == 0, attribute.length > 0, let text = attribute.str {
            column.formatName = text.withMemoryRebound(to: UInt8.self, capacity: Int(attribute.length)) {
                String(decoding: UnsafeBufferPointer(start: $0, count: Int(attribute.length)), as: UTF8.self)
            }
        }
        return column
    }

    static func error(of stmt: UnsafeMutablePointer<MYSQL_STMT>, sql: String) -> MariaDBError {
        // An error that ends a streamed result (a statement timeout mid-fetch) is reported on the
        // connection, with the statement's own error left at 0.
        if mysql_stmt_errno(stmt) == 0, let mysql = stmt.pointee.mysql, mysql_errno(mysql) != 0 {
            return MariaDBConnection.error(of: mysql, sql: sql)
        }
        return MariaDBError(
            code: mysql_stmt_errno(stmt),
            sqlState: String(cString: mysql_stmt_sqlstate(stmt)),
            message: String(cString: mysql_stmt_error(stmt)),
            sql: sql)
    }
}
