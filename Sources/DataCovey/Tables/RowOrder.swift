import MariaDB

/// `?order=column.asc|desc` of a rows list (PostgREST style). Rows with equal values keep their
/// insertion order in the same direction, so (value, row id) is a total order a keyset cursor
/// can resume from. NULLs come first ascending and last descending, as MariaDB sorts them.
struct RowOrder: Equatable {
    let column: String
    let type: ColumnType
    let descending: Bool

    /// Reads an `order` parameter; nil when absent, refused naming the parameter when it is not
    /// `column.asc|desc`.
    init?(_ text: String?, columns: [RowStore.Column]) throws {
        guard let text else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let direction = parts.count == 2 ? parts[1].lowercased() : parts.count == 1 ? "asc" : ""
        guard parts.count <= 2, direction == "asc" || direction == "desc" else {
            throw DomainError.invalid("order must look like column.asc or column.desc.",
                                       errors: [.init(field: "order", message: "is not column.asc or column.desc")])
        }
        guard let column = columns.first(where: { $0.name.lowercased() == parts[0].lowercased() }) else {
            throw DomainError.invalid("There is no column \(parts[0]) to order by.",
                                       errors: [.init(field: "order", message: "names no column")])
        }
        guard column.type.kind.canBeOrderedBy else {
            throw DomainError.invalid("\(column.type.name) columns cannot be ordered by.",
                                       errors: [.init(field: "order", message: "names a \(column.type.name) column")])
        }
        self.init(column: column.name, type: column.type, descending: direction == "desc")
    }

    init(column: String, type: ColumnType, descending: Bool) {
        self.column = column
        self.type = type
        self.descending = descending
    }
}

/// Where a page of rows ended: the last row's id and, for an ordered page, its value in the
/// order column. Opaque to clients (base64url); it names its column and direction, so a cursor
/// of one ordering is refused by another instead of silently skipping rows.
struct RowCursor: Equatable {
    let rowID: Int64
    /// The order column's value of the last row; nil for insertion order.
    let value: MariaDBValue?

    func encoded(order: RowOrder?) -> String {
        guard let order, let value else { return Page.encodeCursor(afterID: rowID) }
        let text = "r1.\(order.descending ? "d" : "a").\(rowID).\(order.column).\(Self.tag(value))"
        return Base64URL.encode(Array(text.utf8))
    }

    /// Reads a cursor issued for this same ordering; nil for anything else.
    init?(_ text: String, order: RowOrder?) {
        guard let order else {
            guard let id = Page.decodeCursor(text) else { return nil }
            self.init(rowID: id, value: nil)
            return
        }
        guard text.utf8.count <= 2048, let bytes = Base64URL.decode(text[...]),
              let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
        // The column name has no dots (NameRules), so the value is everything after the fourth dot.
        let fields = decoded.split(separator: ".", maxSplits: 4, omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0] == "r1", fields[1] == (order.descending ? "d" : "a"),
              let id = Int64(fields[2]), id > 0, fields[3] == order.column,
              let value = Self.untag(fields[4], type: order.type) else { return nil }
        self.init(rowID: id, value: value)
    }

    init(rowID: Int64, value: MariaDBValue?) {
        self.rowID = rowID
        self.value = value
    }

    init(rowID: Int64, cell: MariaDBCell, order: RowOrder?) {
        guard order != nil else {
            self.init(rowID: rowID, value: nil)
            return
        }
        let value: MariaDBValue = switch cell {
        case .null: .null
        case .int(let number): .int(number)
        case .uint(let number): .uint(number)
        case .double(let number): .double(number)
        case .bytes(let bytes, _): .text(String(decoding: bytes, as: UTF8.self))
        case .dateTime(let value): .dateTime(value)
        }
        self.init(rowID: rowID, value: value)
    }

    /// One letter for the kind, then the value; doubles keep their exact bits.
    private static func tag(_ value: MariaDBValue) -> String {
        switch value {
        case .null: "n"
        case .int(let number): "i\(number)"
        case .uint(let number): "u\(number)"
        case .double(let number): "f\(String(number.bitPattern, radix: 16))"
        case .text(let text): "s\(text)"
        case .bytes(let bytes): "s\(String(decoding: bytes, as: UTF8.self))"
        case .dateTime(let t): "t\(t.year),\(t.month),\(t.day),\(t.hour),\(t.minute),\(t.second),\(t.microsecond)"
        }
    }

    /// A tag is read back only as a value the column's cells can be (by how they render).
    private static func untag(_ text: Substring, type: ColumnType) -> MariaDBValue? {
        guard let tag = text.first else { return nil }
        let rest = text.dropFirst()
        switch (tag, type.kind.cellKind) {
        case ("n", _): return .null
        case ("i", .integer), ("i", .bool): return Int64(rest).map(MariaDBValue.int)
        case ("u", .integer): return UInt64(rest).map(MariaDBValue.uint)
        case ("f", .double): return UInt64(rest, radix: 16).map { .double(Double(bitPattern: $0)) }
        case ("s", .text), ("s", .decimal): return .text(String(rest))
        case ("t", .date), ("t", .timestamp):
            let parts = rest.split(separator: ",").compactMap { Int($0) }
            guard parts.count == 7 else { return nil }
            return .dateTime(MariaDBDateTime(year: parts[0], month: parts[1], day: parts[2], hour: parts[3],
                                             minute: parts[4], second: parts[5], microsecond: parts[6]))
        default: return nil
        }
    }
}
