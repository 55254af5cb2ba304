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

    /// The column type that claims the server's field (`ColumnKind.resultType`), so results
    /// and rows name types alike; what no column type claims (`enum_field_types`: TIME, NULL,
    /// binary strings, ENUM, SET, geometry …) is reported as time, null, binary or text.
    init(_ column: MariaDBColumn) {
        name = column.name
        for type in ColumnTypes.all {
            if let claimed = type.resultType(of: column) {
                (self.type, kind) = (claimed.name, claimed.cellKind)
                return
            }
        }
        switch column.typeCode {
        case 11:
            (type, kind) = ("time", .time)
        case 6:
            (type, kind) = ("null", .null)
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
