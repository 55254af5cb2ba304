import MariaDB

/// The audit entry of one change to a table's rows (`datacovey.row_change_history`, sql/0022):
/// who, which table, how many rows, and what selected them. Written on the data connection
/// inside the transaction that changes the rows, so an entry exists exactly when the change
/// committed. The trigger sets the entry's version, time and database user and refuses a
/// table that is not the tenant's.
struct RowChangeAudit: Sendable {
    enum Operation: String, Sendable {
        case insert, update, delete, restore
    }

    let tenantID: Int64
    let tableID: Int64
    /// The acting user; nil for a change no person made.
    let actor: Int64?

    /// Records `operation` of `rows` rows. `details` are what selected them, in the entry's
    /// `row_image` next to `table_id` and `rows`: `filter` (the query string as given), `key`,
    /// `as_of`… Text only, so the image reads the same whoever wrote it.
    func record(_ operation: Operation, rows: Int64, details: [(String, String)] = [],
                on connection: MariaDBConnection) throws {
        var image = SQLQuery(unsafeSQL: "JSON_OBJECT('table_id', ?, 'rows', ?", binds: [.int(tableID), .int(rows)])
        for (name, value) in details {
            image.append(SQLQuery(unsafeSQL: ", ?, ?", binds: [.text(name), .text(value)]))
        }
        image.append(")")
        var insert = SQLQuery(unsafeSQL: """
            INSERT INTO datacovey.row_change_history
              (tenant_id, entity_id, version, operation, actor_user_id, db_user, changed_at, row_image)
            VALUES (?, ?, 0, ?, ?, '', UTC_TIMESTAMP(6), 
            """, binds: [.int(tenantID), .int(tableID), .text(operation.rawValue), actor.map { .int($0) } ?? .null])
        insert.append(image)
        insert.append(")")
        try connection.execute(insert)
    }
}
