import MariaDB

/// The row filters of the rows API, the table page, exports and the rows the API changes,
/// read here once from PostgREST's grammar:
///
/// - `column=op.value` with `eq`, `neq`, `lt`, `lte`, `gt`, `gte`, `like`, `ilike`,
///   `in.(a,b,"c,d")`, `is.null|true|false`, each negatable as `not.op`;
/// - `or=(…)` and `and=(…)` (and `not.or`, `not.and`) holding `column.op.value` items and
///   nested `or(…)`, `and(…)`, `not.or(…)`, `not.and(…)`: `or=(a.eq.1,and(b.gt.2,c.is.null))`.
///   Inside a group (and in an `in` list) a value holding `,`, `(`, `)` or `"` is written in
///   double quotes, with `\"` and `\\` for a quote and a backslash.
///
/// Every value goes through the column type's converter (`RowValueCodec.text`), as a CSV field
/// would; a bad filter is refused naming its parameter (the column, or `or`/`and`).
enum RowFilters {
    /// The rows query's parameters that are not `column=op.value` filters, for every reader
    /// of a rows query (`or` and `and` are filters of their own kind, read by `parse`).
    static let notColumnFilters: Set<String> = [
        "limit", "cursor", "order", "select", "or", "and", "not.or", "not.and",
        "as_of", "all", "max_affected", "_facet",
    ]
    /// The groups among them.
    static let groups: [String: (negated: Bool, any: Bool)] = [
        "or": (false, true), "and": (false, false), "not.or": (true, true), "not.and": (true, false),
    ]

    /// The conditions of a rows query's (name, value) pairs, all of which must hold: every pair
    /// whose name is not in `notColumnFilters` filters its column, `or`/`and` add a group, the
    /// other parameters are left to their readers. The one entry point for every caller.
    static func parse(_ pairs: [(String, String)], columns: [RowStore.Column]) throws -> [RowStore.Filter] {
        let reader = Reader(columns: columns)
        var filters: [RowStore.Filter] = []
        for (name, expression) in pairs {
            if let group = groups[name] {
                var text = Substring(expression)
                let items = try reader.group(&text, field: name)
                guard text.isEmpty else { throw Reader.bad(name, "has text after its closing parenthesis") }
                let filter: RowStore.Filter = group.any ? .any(items) : .all(items)
                filters.append(group.negated ? .not(filter) : filter)
            } else if !notColumnFilters.contains(name) {
                filters.append(try reader.condition(column: name, expression: Substring(expression), quoted: false, field: name))
            }
        }
        return filters
    }

    /// The operators, for messages and the table page.
    static let operators = RowStore.Comparison.allCases.map(\.rawValue) + ["like", "ilike", "in", "is"]

    private struct Reader {
        let byName: [String: RowStore.Column]

        init(columns: [RowStore.Column]) {
            byName = Dictionary(columns.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        }

        static func bad(_ field: String, _ message: String, detail: String? = nil) -> DomainError {
            DomainError.invalid(detail ?? "Filter \(field) \(message).", errors: [.init(field: field, message: message)])
        }

        /// `(item,item,…)` after `or=`/`and=` or a nested `or`/`and`; leaves the text after `)`.
        func group(_ text: inout Substring, field: String) throws -> [RowStore.Filter] {
            guard text.first == "(" else { throw Self.bad(field, "must be a list in parentheses, like (a.eq.1,b.is.null)") }
            text = text.dropFirst()
            var items: [RowStore.Filter] = []
            while true {
                items.append(try item(&text, field: field))
                guard let next = text.first else { throw Self.bad(field, "misses a closing parenthesis") }
                text = text.dropFirst()
                if next == ")" { return items }
                guard next == "," else { throw Self.bad(field, "has \(next) where a comma or ) belongs") }
            }
        }

        /// One item of a group: a nested group or `column.op.value`, up to the next top-level `,` or `)`.
        private func item(_ text: inout Substring, field: String) throws -> RowStore.Filter {
            var negated = false
            var rest = text
            if rest.hasPrefix("not.") {
                negated = true
                rest = rest.dropFirst(4)
            }
            for (word, any) in [("or(", true), ("and(", false)] where rest.hasPrefix(word) {
                rest = rest.dropFirst(word.count - 1)
                let items = try group(&rest, field: field)
                text = rest
                let filter: RowStore.Filter = any ? .any(items) : .all(items)
                return negated ? .not(filter) : filter
            }
            // column.op.value: the value runs to the next comma or ) outside quotes and parentheses.
            var end = text.startIndex
            var depth = 0
            var inQuotes = false
            var escaped = false
            while end < text.endIndex {
                let character = text[end]
                if escaped {
                    escaped = false
                } else if inQuotes {
                    if character == "\\" { escaped = true } else if character == "\"" { inQuotes = false }
                } else if character == "\"" {
                    inQuotes = true
                } else if character == "(" {
                    depth += 1
                } else if character == ")" {
                    if depth == 0 { break }
                    depth -= 1
                } else if character == "," && depth == 0 {
                    break
                }
                end = text.index(after: end)
            }
            let itemText = text[..<end]
            text = text[end...]
            guard let dot = itemText.firstIndex(of: ".") else {
                throw Self.bad(field, "has an item that is not column.op.value: \(itemText.prefix(64))")
            }
            let name = String(itemText[..<dot])
            return try condition(column: name, expression: itemText[itemText.index(after: dot)...], quoted: true, field: field)
        }

        /// `[not.]op.value` on `column`. `quoted`: inside a group, where a value may be quoted.
        func condition(column name: String, expression: Substring, quoted: Bool, field: String) throws -> RowStore.Filter {
            guard let column = byName[name.lowercased()] else {
                throw Self.bad(field, "is not a column", detail: "There is no column \(name.prefix(64)) to filter on.")
            }
            var rest = expression
            var negated = false
            if rest.hasPrefix("not.") {
                negated = true
                rest = rest.dropFirst(4)
            }
            let op: Substring
            let operand: Substring
            if let dot = rest.firstIndex(of: ".") {
                op = rest[..<dot]
                operand = rest[rest.index(after: dot)...]
            } else {
                throw Self.bad(field, "is not a filter",
                               detail: "Filter \(field) must look like op.value with op one of \(RowFilters.operators.joined(separator: ", ")), optionally after not.")
            }
            let filter = try leaf(column, op: String(op), operand: operand, quoted: quoted, field: field)
            return negated ? .not(filter) : filter
        }

        private func leaf(_ column: RowStore.Column, op: String, operand: Substring, quoted: Bool, field: String) throws -> RowStore.Filter {
            let kind = column.type.kind
            switch op {
            case "is":
                switch operand.lowercased() {
                case "null": return .isNull(column)
                case "true", "false":
                    guard kind.cellKind == .bool else { throw Self.bad(field, "can use is.true and is.false on bool columns only") }
                    return operand.lowercased() == "true" ? .isTrue(column) : .isFalse(column)
                default: throw Self.bad(field, "must be is.null, is.true or is.false")
                }
            case "like", "ilike":
                guard kind.matchesPatterns else {
                    throw Self.bad(field, "cannot use \(op)", detail: "\(op) works on \(RowFilters.patternTypes) columns only.")
                }
                return .like(column, try value(operand, quoted: quoted, field: field), caseInsensitive: op == "ilike")
            case "in":
                try comparable(column, field: field)
                var text = operand
                let items = try list(&text, field: field)
                guard text.isEmpty else { throw Self.bad(field, "has text after the in list's closing parenthesis") }
                return .among(column, try items.map { try converted($0, column, field: field) })
            default:
                guard let comparison = RowStore.Comparison(rawValue: op) else {
                    throw Self.bad(field, "has an unknown operator",
                                   detail: "Filter operator \(op.prefix(32)) is unknown; use \(RowFilters.operators.joined(separator: ", ")), optionally after not.")
                }
                try comparable(column, field: field)
                return .compare(column, comparison, try converted(try value(operand, quoted: quoted, field: field), column, field: field))
            }
        }

        private func comparable(_ column: RowStore.Column, field: String) throws {
            guard column.type.kind.canBeCompared else {
                throw Self.bad(field, "cannot be filtered", detail: "\(column.type.name) columns cannot be compared.")
            }
        }

        private func converted(_ text: String, _ column: RowStore.Column, field: String) throws -> MariaDBValue {
            switch RowValueCodec.text(text, for: column.type) {
            case .success(let bound): return bound
            case .failure(let problem): throw Self.bad(field, problem.message, detail: "Filter \(field) \(problem.message).")
            }
        }

        /// A value as written; inside a group, a double-quoted one without its quotes and escapes.
        private func value(_ operand: Substring, quoted: Bool, field: String) throws -> String {
            guard quoted, operand.first == "\"" else { return String(operand) }
            var text = operand
            let value = try Self.quoted(&text, field: field)
            guard text.isEmpty else { throw Self.bad(field, "has text after a closing quote") }
            return value
        }

        /// `"…"` at the start of `text`, unescaped; leaves what follows the closing quote.
        private static func quoted(_ text: inout Substring, field: String) throws -> String {
            var value = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                let character = text[index]
                if character == "\\" {
                    index = text.index(after: index)
                    guard index < text.endIndex else { break }
                    value.append(text[index])
                } else if character == "\"" {
                    text = text[text.index(after: index)...]
                    return value
                } else {
                    value.append(character)
                }
                index = text.index(after: index)
            }
            throw bad(field, "misses a closing quote")
        }

        /// `(a,b,"c,d")` of `in`: items split at commas outside quotes; `()` is an empty list.
        private func list(_ text: inout Substring, field: String) throws -> [String] {
            guard text.first == "(" else { throw Self.bad(field, "must give in a list in parentheses, like in.(1,2,3)") }
            text = text.dropFirst()
            if text.first == ")" {
                text = text.dropFirst()
                return []
            }
            var items: [String] = []
            while true {
                if text.first == "\"" {
                    items.append(try Self.quoted(&text, field: field))
                } else {
                    let end = text.firstIndex { $0 == "," || $0 == ")" } ?? text.endIndex
                    items.append(String(text[..<end]))
                    text = text[end...]
                }
                guard let next = text.first else { throw Self.bad(field, "misses the in list's closing parenthesis") }
                text = text.dropFirst()
                if next == ")" { return items }
                guard next == "," else { throw Self.bad(field, "has \(next) where a comma or ) belongs in its in list") }
            }
        }
    }

    /// The types `like.` works on, for its message: "string and text".
    fileprivate static let patternTypes: String = {
        let names = ColumnType.offered.filter { $0.kind.matchesPatterns }.map(\.name)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }()
}
