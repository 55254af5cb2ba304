import MariaDB

/// `bool`: a BOOLEAN (TINYINT(1)). Accepts true/false, t/f, yes/no, y/n, on/off, 1/0 in any
/// case, as text or a JSON string; JSON true/false and the numbers 1/0.
struct BoolColumn: ColumnKind {
    static let syntax = "bool"
    static func parse(_ name: String) -> BoolColumn? { name == syntax ? BoolColumn() : nil }
    static let offered = BoolColumn()
    var name: String { Self.syntax }

    var sqlType: String { "BOOLEAN" }

    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem> {
        guard case .bool(let flag) = value else { return ColumnDefault.mismatch(self) }
        return .success((flag ? "1" : "0", flag ? "true" : "false"))
    }

    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        var refusal: RowValueProblem { RowValueProblem("must be true or false (also t/f, yes/no, y/n, on/off, 1/0)") }
        switch input {
        case .jsonBool(let flag):
            sink.appendBool(flag)
            return nil
        case .jsonNumber(let bytes), .text(let bytes), .jsonString(let bytes, _):
            // Compared byte by byte, ignoring ASCII case: an import reads a million of them.
            func spells(_ word: StaticString) -> Bool {
                guard bytes.count == word.utf8CodeUnitCount else { return false }
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    if (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) != word.utf8Start[index] { return false }
                }
                return true
            }
            if spells("1") || spells("true") || spells("t") || spells("yes") || spells("y") || spells("on") {
                sink.appendBool(true)
            } else if spells("0") || spells("false") || spells("f") || spells("no") || spells("n") || spells("off") {
                sink.appendBool(false)
            } else {
                return refusal
            }
            return nil
        case .jsonComposite:
            return refusal
        }
    }

    /// After the numbers (so a column of 1 and 0 stays int64); only the words true and false.
    static let detection: ColumnDetection? = ColumnDetection(rank: 2, type: ColumnType(offered)) {
        $0.lowercased() == "true" || $0.lowercased() == "false"
    }

    var cellKind: QueryColumn.Kind { .bool }

    /// MariaDB reports a BOOLEAN as TINYINT(1).
    static func resultType(of column: MariaDBColumn) -> BoolColumn? {
        column.typeCode == 1 && column.length == 1 ? BoolColumn() : nil
    }

    func formValue(_ text: String) -> JSONValue { text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text) }
}

extension ColumnType {
    static let bool = ColumnType(BoolColumn())
}
