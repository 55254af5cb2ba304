import Foundation
import MariaDB

/// A history row image (the trigger's JSON of the base table's row) in the API's words: the
/// field names and formats the resource's own endpoint uses — `sql`, not `sql_text`; `true`,
/// not `1`; RFC 3339 timestamps, not `2026-12-02 19:41:17.703711` — without the fields that
/// name storage or worker internals.
enum HistoryRecord {
    /// Column names that differ from the resource's field names.
    static let renamed: [String: String] = [
        "sql_text": "sql", "auth0_sub": "sub", "default_value": "default", "is_primary_key": "primary_key",
    ]

    /// BOOL columns (MariaDB's JSON_OBJECT writes them as 0 and 1).
    static let booleans: Set<String> = ["autodetect", "disabled", "nullable", "primary_key", "dry_run"]

    /// Row-image fields that name storage or worker internals (physical databases and tables,
    /// file paths, leases, revert bookkeeping): kept in the history tables, never shown, as the
    /// resources' own endpoints do not show them.
    static let internalFields: Set<String> = [
        "data_database", "physical_name", "file_path", "lease_owner", "lease_expires_at", "previous_table",
        "column_signature", "first_row_id",
    ]

    static func shaped(_ record: JSONValue) -> JSONValue {
        guard case .object(let fields) = record else { return record }
        var shaped: [String: JSONValue] = [:]
        for (name, value) in fields where !internalFields.contains(name) {
            let field = renamed[name] ?? name
            shaped[field] = shape(value, field: field)
        }
        return .object(shaped)
    }

    private static func shape(_ value: JSONValue, field: String) -> JSONValue {
        switch value {
        case .integer(let number) where booleans.contains(field): return .bool(number != 0)
        case .string(let text):
            // DATETIME(6) columns, as the resources write timestamps.
            if text.utf8.count == 26, text.utf8[text.utf8.index(text.utf8.startIndex, offsetBy: 10)] == 0x20,
               let date = TimestampText.parse(text)?.date {
                return .string(Timestamp.format(date))
            }
            return value
        default: return value
        }
    }

    /// A table's versions with the columns it had at each: its columns live in their own
    /// history, so a version made by adding or renaming a column would otherwise show no change.
    /// Each version gets the columns as they stood just before the next version (column rows
    /// and the table's row change in the same transaction, in either order).
    static func withColumns(_ versions: [(changedAt: Date, record: JSONValue)],
                            columnEvents: [(changedAt: Date, columnID: Int64, operation: String, record: JSONValue)]) -> [JSONValue] {
        // Oldest first, to replay.
        let order = versions.indices.sorted { versions[$0].changedAt < versions[$1].changedAt }
        var result = versions.map(\.record)
        var columns: [Int64: JSONValue] = [:]
        var next = columnEvents.sorted { $0.changedAt < $1.changedAt }.makeIterator()
        var pending = next.next()
        for (position, index) in order.enumerated() {
            let until = position + 1 < order.count ? versions[order[position + 1]].changedAt : Date.distantFuture
            while let event = pending, event.changedAt < until {
                columns[event.columnID] = event.operation == "delete" ? nil : shaped(event.record)
                pending = next.next()
            }
            guard case .object(var fields) = result[index] else { continue }
            fields["columns"] = .array(columns.values.sorted { Self.position(of: $0) < Self.position(of: $1) }.map(Self.columnFields))
            result[index] = .object(fields)
        }
        return result
    }

    private static func position(of column: JSONValue) -> Int64 {
        if case .object(let fields) = column, case .integer(let position)? = fields["position"] { return position }
        return 0
    }

    /// A column as `GET /tables/{id}` lists it.
    private static func columnFields(_ column: JSONValue) -> JSONValue {
        guard case .object(let fields) = column else { return column }
        return .object(fields.filter { ["name", "type", "nullable", "default", "primary_key", "label", "position", "description"].contains($0.key) })
    }
}
