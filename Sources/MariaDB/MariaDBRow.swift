/// One value as the server sent it.
public enum MariaDBCell: Sendable, Equatable {
    case null
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    /// Text, decimals, JSON, enums: the server's bytes, with whether the column is binary.
    case bytes([UInt8], isBinary: Bool)
    case dateTime(MariaDBDateTime)

    /// A short, value-free name of the cell's kind, for decoding errors.
    var kindName: String {
        switch self {
        case .null: "NULL"
        case .int: "integer"
        case .uint: "unsigned integer"
        case .double: "double"
        case .bytes(_, let isBinary): isBinary ? "binary" : "text"
        case .dateTime: "datetime"
        }
    }
}

/// The name, declared type and flags of one result column.
public struct MariaDBColumn: Sendable, Equatable {
    public let name: String
    /// The server's type code (`MYSQL_TYPE_*` numbering).
    public let typeCode: UInt32
    public let isUnsigned: Bool
    public let isBinary: Bool
    public let decimals: UInt32
    /// The column's display width, as the server reports it.
    public let length: UInt
    /// The format the server names in its extended metadata (`json` for a JSON column, which
    /// otherwise reads as LONGTEXT); nil when it names none.
    public var formatName: String? = nil
}

/// The columns of a result set, shared by its rows.
public final class MariaDBColumns: Sendable {
    public let columns: [MariaDBColumn]
    private let indexByName: [String: Int]

    init(_ columns: [MariaDBColumn]) {
        self.columns = columns
        var index: [String: Int] = [:]
        for (offset, column) in columns.enumerated() where index[column.name] == nil {
            index[column.name] = offset
        }
        self.indexByName = index
    }

    public func index(of name: String) -> Int? { indexByName[name] }
}

/// A result row; decode its cells by column name or as a typed tuple.
public struct MariaDBRow: Sendable {
    public let columns: MariaDBColumns
    public let cells: [MariaDBCell]

    init(columns: MariaDBColumns, cells: [MariaDBCell]) {
        self.columns = columns
        self.cells = cells
    }

    /// The cell of column `name`, or nil when the result has no such column.
    public subscript(name: String) -> MariaDBCell? {
        columns.index(of: name).map { cells[$0] }
    }

    /// Decodes column `name` as `T`.
    /// - Throws: `MariaDBDecodingError` naming the column, its index and the target type.
    public func decode<T: MariaDBDecodable>(_ type: T.Type = T.self, column name: String) throws -> T {
        guard let index = columns.index(of: name) else {
            throw MariaDBDecodingError(column: name, index: nil, targetType: "\(T.self)", reason: "no such column in the result")
        }
        return try decode(type, at: index)
    }

    /// Decodes the cell at `index` as `T`.
    public func decode<T: MariaDBDecodable>(_ type: T.Type = T.self, at index: Int) throws -> T {
        guard cells.indices.contains(index) else {
            throw MariaDBDecodingError(column: "#\(index)", index: index, targetType: "\(T.self)", reason: "the result has \(cells.count) columns")
        }
        do {
            return try T(mariaDBCell: cells[index])
        } catch let failure as MariaDBDecodingFailure {
            throw MariaDBDecodingError(
                column: columns.columns[index].name, index: index, targetType: "\(T.self)", reason: failure.reason)
        }
    }

    /// Decodes the leading cells as a tuple, in column order: `try row.decode((Int64, String).self)`.
    public func decode<each T: MariaDBDecodable>(_ types: (repeat each T).Type) throws -> (repeat each T) {
        var index = 0
        func next<U: MariaDBDecodable>(_ type: U.Type) throws -> U {
            defer { index += 1 }
            return try decode(type, at: index)
        }
        return (repeat try next((each T).self))
    }
}

/// A cell that could not become the requested Swift type; names the column, never the value.
public struct MariaDBDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public let column: String
    public let index: Int?
    public let targetType: String
    public let reason: String

    public var description: String {
        "cannot decode column '\(column)'\(index.map { " (#\($0))" } ?? "") as \(targetType): \(reason)"
    }
}

/// Thrown by `MariaDBDecodable` initializers; the row adds the column's name and index.
public struct MariaDBDecodingFailure: Error, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
}
