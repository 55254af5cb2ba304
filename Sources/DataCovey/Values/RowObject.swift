/// A row written as a JSON object (an NDJSON line, an element of a `POST …/rows` body): its
/// members matched to the table's columns by name, case-insensitively as MariaDB matches
/// column names. A member that is not a column, or two members naming one column (`v` and
/// `V`, or `v` twice), refuse the row: neither may quietly win.
struct RowObject {
    /// For each column, the member that gives it a value; nil when absent.
    var members: [JSONScanner.Value?]
    /// Members that cannot be part of the row, in the order written.
    var problems: [Problem] = []

    /// Why an object cannot be a row of the table.
    enum Problem: Error, Equatable {
        case notAColumn(String)
        case namedTwice(String)
        case notJSON(JSONScanner.Failure)
        case notAnObject
    }

    /// The column names the members are matched against, lowercased once.
    struct Columns {
        let names: [String]
        fileprivate let folded: [[UInt8]]
        private let fitted = FittedNames()

        init(_ names: [String]) {
            self.names = names
            folded = names.map { Array($0.lowercased().utf8) }
        }

        /// The column `name` names, comparing ASCII letters without case; failing that, the
        /// column `ColumnNames` makes of it (`On Street` → on_street), as autodetect named it.
        func index(of name: UnsafeBufferPointer<UInt8>) -> Int? {
            let exact = folded.firstIndex { column in
                column.count == name.count && zip(column, name).allSatisfy { $0 == ($1 >= 0x41 && $1 <= 0x5A ? $1 + 0x20 : $1) }
            }
            if let exact { return exact }
            let written = Array(name)
            if let known = fitted.columnOf[written] { return known }
            let fittedName = Array(ColumnNames.fitted(String(decoding: name, as: UTF8.self)).utf8)
            let index = fittedName.isEmpty ? nil : folded.firstIndex(of: fittedName)
            if let index, fitted.columnOf.count < HeaderMapping.limit {
                // Remembered: the next line with this member skips the fitting, and the job
                // can say which members went where.
                fitted.columnOf[written] = index
                fitted.mappings.append(HeaderMapping(header: String(decoding: name, as: UTF8.self), column: names[index]))
            }
            return index
        }

        /// The member names matched through `ColumnNames`, in the order first met.
        var mappings: [HeaderMapping] { fitted.mappings }
    }

    /// Member names matched through `ColumnNames` so far. A class so that the `Columns` value
    /// an import or a request holds shares it; each is used by one task at a time.
    private final class FittedNames {
        var columnOf: [[UInt8]: Int] = [:]
        var mappings: [HeaderMapping] = []
    }

    /// Reads the object at the scanner's cursor. Members that name no column, or a column
    /// already given, are listed in `problems` (all of them, in order); the others fill `members`.
    static func read(_ scanner: inout JSONScanner, columns: Columns) -> Result<RowObject, Problem> {
        guard scanner.current == 0x7B else { return .failure(.notAnObject) }
        var row = RowObject(members: Array(repeating: nil, count: columns.names.count))
        do {
            try scanner.members { name, value in
                guard let index = columns.index(of: name) else {
                    row.problems.append(.notAColumn(String(String(decoding: name, as: UTF8.self).prefix(64))))
                    return
                }
                guard row.members[index] == nil else {
                    row.problems.append(.namedTwice(columns.names[index]))
                    return
                }
                row.members[index] = value
            }
        } catch let failure as JSONScanner.Failure {
            return .failure(.notJSON(failure))
        } catch {
            return .failure(.notAnObject)
        }
        return .success(row)
    }

    /// The cell `value` gives, as the converter takes it; nil for JSON null. `scratch` holds a
    /// string's content when it has escapes.
    static func withInput<Result>(_ value: JSONScanner.Value, in scanner: JSONScanner, scratch: inout [UInt8],
                                  _ body: (CellInput?) -> Result) -> Result {
        switch value.kind {
        case .null:
            return body(nil)
        case .bool(let flag):
            return body(.jsonBool(flag))
        case .number:
            return body(.jsonNumber(scanner.literal(of: value)))
        case .array, .object:
            return body(.jsonComposite(literal: scanner.literal(of: value), depth: value.depth))
        case .string:
            let literal = scanner.literal(of: value)
            guard value.hasEscapes else { return body(.jsonString(content: scanner.content(of: value), literal: literal)) }
            // The scan checked every escape, so decoding cannot fail here.
            try? scanner.decodedContent(of: value, into: &scratch)
            return scratch.withUnsafeBufferPointer { body(.jsonString(content: $0, literal: literal)) }
        }
    }

    /// A short text of a member's value for messages and reject lists.
    static func preview(_ value: JSONScanner.Value, in scanner: JSONScanner) -> String {
        let literal = scanner.literal(of: value)
        let text = String(decoding: literal.prefix(200), as: UTF8.self)
        return literal.count > 200 ? text + "…" : text
    }
}

extension RowObject.Problem {
    /// The reason in plain words, and the column it concerns (if any).
    var reason: (column: String?, message: String) {
        switch self {
        case .notAColumn(let name): (name, "is not a column of the table")
        case .namedTwice(let column): (column, "is given twice (member names match columns without regard to case)")
        case .notJSON(let failure): (nil, "is not valid JSON: it \(failure.reason) (at byte \(failure.offset + 1))")
        case .notAnObject: (nil, "is not a JSON object")
        }
    }
}
