import MariaDB

extension MariaDBConnection {
    /// Each row of `query` as its cells joined by `|` (NULL spelled out), in result order, so a
    /// schema test can assert whole rows exactly and a failure shows them readably.
    func textRows(_ query: SQLQuery) throws -> [String] {
        try self.query(query).map { row in
            row.cells.map { cell in
                switch cell {
                case .null: "NULL"
                case .int(let value): String(value)
                case .uint(let value): String(value)
                case .double(let value): String(value)
                case .bytes(let bytes, _): String(decoding: bytes, as: UTF8.self)
                case .dateTime(let value):
                    "\(value.year)-\(value.month)-\(value.day) \(value.hour):\(value.minute):\(value.second).\(value.microsecond)"
                }
            }.joined(separator: "|")
        }
    }

    /// The single text value a query returns, or nil for no row or NULL.
    func text(_ query: SQLQuery) throws -> String? {
        try self.query(query).first.flatMap { try $0.decode(String?.self, at: 0) }
    }
}
