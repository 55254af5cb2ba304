import MariaDB

/// `?order=a.desc,b.asc.nullslast` of a rows list (PostgREST style): one or more columns, each
/// ascending (the default) or descending, NULLs first ascending and last descending unless
/// `.nullsfirst`/`.nullslast` says otherwise. Rows equal in every column keep their insertion
/// order (the row id, in the last column's direction), so (values…, row id) is a total order a
/// keyset cursor can resume from. No `order`: insertion order.
struct RowOrder: Equatable {
    struct Key: Equatable {
        let column: String
        let type: ColumnType
        let descending: Bool
        let nullsFirst: Bool

        init(column: String, type: ColumnType, descending: Bool, nullsFirst: Bool? = nil) {
            self.column = column
            self.type = type
            self.descending = descending
            self.nullsFirst = nullsFirst ?? !descending
        }

        /// Whether NULLs go where MariaDB puts them unasked (first ascending, last descending).
        var nullsWhereMariaDBPutsThem: Bool { nullsFirst != descending }
    }

    let keys: [Key]

    /// At most this many columns, so a cursor stays short.
    static let maximumKeys = 8

    /// Reads an `order` parameter; nil when absent, refused naming `order` when it is not
    /// `column[.asc|.desc][.nullsfirst|.nullslast]` a comma apart.
    init?(_ text: String?, columns: [RowStore.Column]) throws {
        guard let text else { return nil }
        func bad(_ message: String, _ detail: String) -> DomainError {
            DomainError.invalid(detail, errors: [.init(field: "order", message: message)])
        }
        var keys: [Key] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            var words = part.split(separator: ".", omittingEmptySubsequences: false).map { $0.lowercased() }
            var nullsFirst: Bool?
            if let last = words.last, words.count > 1, last == "nullsfirst" || last == "nullslast" {
                nullsFirst = last == "nullsfirst"
                words.removeLast()
            }
            let direction = words.count == 2 ? words[1] : words.count == 1 ? "asc" : ""
            guard words.count <= 2, direction == "asc" || direction == "desc" else {
                throw bad("is not column.asc or column.desc", "order must look like column.asc or column.desc, a comma apart, each optionally .nullsfirst or .nullslast.")
            }
            guard let column = columns.first(where: { $0.name.lowercased() == words[0] }) else {
                throw bad("names no column", "There is no column \(words[0].prefix(64)) to order by.")
            }
            guard column.type.kind.canBeOrderedBy else {
                throw bad("names a \(column.type.name) column", "\(column.type.name) columns cannot be ordered by.")
            }
            guard !keys.contains(where: { $0.column == column.name }) else {
                throw bad("names \(column.name) twice", "order names the column \(column.name) twice.")
            }
            keys.append(Key(column: column.name, type: column.type, descending: direction == "desc", nullsFirst: nullsFirst))
        }
        guard keys.count <= Self.maximumKeys else {
            throw bad("names too many columns", "order may name at most \(Self.maximumKeys) columns.")
        }
        self.init(keys: keys)
    }

    init(keys: [Key]) {
        self.keys = keys
    }

    init(column: String, type: ColumnType, descending: Bool) {
        self.init(keys: [Key(column: column, type: type, descending: descending)])
    }

    /// The row id's direction: the last column's.
    var idDescending: Bool { keys.last?.descending ?? false }

    /// The ordering, written so that a cursor names the one it came from.
    var signature: String {
        keys.map { "\($0.column).\($0.descending ? "d" : "a")\($0.nullsFirst ? "f" : "l")" }.joined(separator: ",")
    }
}

/// Where a page of rows ended: the last row's id, its value in every order column, and how many
/// rows the pages so far held (where the next page starts, for `Content-Range`). Opaque to
/// clients (base64url); it names its ordering, so a cursor of one ordering is refused by another
/// instead of silently skipping rows.
struct RowCursor: Equatable {
    let rowID: Int64
    /// The last row's value in each order column (none for insertion order).
    let values: [MariaDBValue]
    /// Rows before the page this cursor starts.
    let offset: Int64

    init(rowID: Int64, values: [MariaDBValue], offset: Int64) {
        self.rowID = rowID
        self.values = values
        self.offset = offset
    }

    /// The cursor after a row, from its cells at the order columns' positions.
    init(rowID: Int64, cells: [MariaDBCell], offset: Int64) {
        self.init(rowID: rowID, values: cells.map(Self.value), offset: offset)
    }

    func encoded(order: RowOrder?) -> String {
        let fields = ["r2", order?.signature ?? "", String(rowID), String(offset)] + values.map { Base64URL.encode(Array(Self.tag($0).utf8)) }
        return Base64URL.encode(Array(fields.joined(separator: "|").utf8))
    }

    /// Reads a cursor issued for this same ordering; nil for anything else.
    init?(_ text: String, order: RowOrder?) {
        guard text.utf8.count <= 8192, let bytes = Base64URL.decode(text[...]),
              let decoded = String(validating: bytes, as: UTF8.self) else { return nil }
        let fields = decoded.split(separator: "|", omittingEmptySubsequences: false)
        let keys = order?.keys ?? []
        guard fields.count == 4 + keys.count, fields[0] == "r2", fields[1] == (order?.signature ?? "")[...],
              let id = Int64(fields[2]), id > 0, let offset = Int64(fields[3]), offset >= 0 else { return nil }
        var values: [MariaDBValue] = []
        for (key, field) in zip(keys, fields.dropFirst(4)) {
            guard let tagBytes = Base64URL.decode(field), let tag = String(validating: tagBytes, as: UTF8.self),
                  let value = Self.untag(tag[...], type: key.type) else { return nil }
            values.append(value)
        }
        self.init(rowID: id, values: values, offset: offset)
    }

    private static func value(_ cell: MariaDBCell) -> MariaDBValue {
        switch cell {
        case .null: .null
        case .int(let number): .int(number)
        case .uint(let number): .uint(number)
        case .double(let number): .double(number)
        case .bytes(let bytes, _): .text(String(decoding: bytes, as: UTF8.self))
        case .dateTime(let value): .dateTime(value)
        }
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
