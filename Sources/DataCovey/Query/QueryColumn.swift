import MariaDB

/// A result column as the API reports it: its name and a type in the vocabulary of table
/// columns (`int64`, `decimal(10,2)`, `timestamp` …), so a client reads query results and rows
/// the same way.
struct QueryColumn: Sendable, Equatable {
    /// How a column's cells are written.
    enum Kind: Sendable, Equatable {
        case bool, integer, double, decimal, date, timestamp, time, text, binary, null
        /// JSON text, written into a JSON answer as the value it is.
        case json
    }

    var name: String
    let type: String
    let kind: Kind

    init(name: String, type: String, kind: Kind) {
        self.name = name
        self.type = type
        self.kind = kind
    }

    /// Server type codes (`enum_field_types`); MariaDB 10.11 sends JSON as LONGTEXT and names it
    /// `json` only in the extended metadata.
    init(_ column: MariaDBColumn) {
        name = column.name
        if column.formatName == "json" {
            (type, kind) = ("json", .json)
            return
        }
        switch column.typeCode {
        case 1 where column.length == 1:
            (type, kind) = ("bool", .bool)
        case 1, 2, 3, 8, 9, 13:
            (type, kind) = ("int64", .integer)
        case 4, 5:
            (type, kind) = ("float64", .double)
        case 0, 246:
            let scale = Int(column.decimals)
            // The display length counts the sign and the point, which the precision does not.
            let precision = max(1, Int(column.length) - (scale > 0 ? 1 : 0) - (column.isUnsigned ? 0 : 1))
            (type, kind) = ("decimal(\(precision),\(scale))", .decimal)
        case 10, 14:
            (type, kind) = ("date", .date)
        case 7, 12:
            (type, kind) = ("timestamp", .timestamp)
        case 11:
            (type, kind) = ("time", .time)
        case 6:
            (type, kind) = ("null", .null)
        case 15, 253, 254:
            (type, kind) = column.isBinary ? ("binary", .binary) : ("string", .text)
        case 16:
            (type, kind) = ("binary", .binary)
        default:
            (type, kind) = column.isBinary ? ("binary", .binary) : ("text", .text)
        }
    }
}

/// What a query returned, capped at the row limit.
struct QueryResult: Sendable {
    /// Why an answer holds fewer rows than the query gave.
    enum Truncation: String, Sendable {
        /// The row cap (`DATACOVEY_QUERY_ROW_CAP`, or the request's `limit`).
        case rows
        /// The answer's byte limit (`DATACOVEY_QUERY_MAX_BYTES`).
        case bytes
    }

    var columns: [QueryColumn]
    let rows: QueryRows
    /// Set when more rows existed than were returned.
    let truncation: Truncation?
    let elapsed: Duration

    /// More rows existed than were returned.
    var truncated: Bool { truncation != nil }

    var elapsedMilliseconds: Int64 {
        let (seconds, attoseconds) = elapsed.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
