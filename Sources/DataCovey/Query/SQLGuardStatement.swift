/// The single statement to check: tokens up to an optional trailing `;`, verified to be
/// a SELECT (or `WITH … SELECT`, or a parenthesized SELECT/UNION) with balanced parentheses.
struct SQLGuardStatement {
    typealias Rejection = SQLGuard.Rejection

    /// The statement's tokens, without the trailing `;`.
    let tokens: [SQLToken]
    /// `fold`ed text of each token that can name something (words, quoted identifiers, strings); `""` otherwise.
    let names: [String]
    /// For each `(` the index of its `)`, and the reverse; `nil` for other tokens.
    let partner: [Int?]

    init(tokens all: [SQLToken]) throws(Rejection) {
        guard !all.isEmpty else { throw Rejection(.empty, "The query is empty.") }
        var body = all
        if let semicolon = all.firstIndex(where: { $0.isSymbol(";") }) {
            guard semicolon == all.count - 1 else {
                throw Rejection(.multipleStatements, "Only one statement is allowed: remove everything after the first ';'.")
            }
            body.removeLast()
        }
        guard !body.isEmpty else { throw Rejection(.empty, "The query is empty.") }
        tokens = body
        names = body.map { token in
            switch token.kind {
            case .word, .quotedIdentifier, .string: SQLGuardVocabulary.fold(token.text)
            default: ""
            }
        }
        partner = try Self.matchParentheses(body)
        try requireSelect()
    }

    /// True when token `index` is the bare keyword `keyword` (given in lowercase).
    func isKeyword(_ index: Int, _ keyword: String) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].kind == .word && names[index] == keyword
    }

    func isSymbol(_ index: Int, _ symbol: String) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].isSymbol(symbol)
    }

    /// Parses the CTE list of the `WITH` at `withIndex`: its names, and the index of the token
    /// after the list (the main query). `nil` if this `WITH` does not start a CTE list
    /// (e.g. `WITH ROLLUP`).
    func commonTableExpressions(at withIndex: Int) -> (names: [String], end: Int)? {
        var index = withIndex + 1
        if isKeyword(index, "recursive") { index += 1 }
        var found: [String] = []
        while index < tokens.count, tokens[index].isName {
            found.append(names[index])
            index += 1
            if isSymbol(index, "("), let close = partner[index] { index = close + 1 }
            guard isKeyword(index, "as") else { return nil }
            index += 1
            guard isSymbol(index, "("), let close = partner[index] else { return nil }
            index = close + 1
            if isKeyword(index, "cycle") {
                // `CYCLE col, … RESTRICT` (MariaDB 10.5.2+).
                while index < tokens.count, !isKeyword(index, "restrict") { index += 1 }
                index += 1
            }
            guard isSymbol(index, ",") else { return (found, index) }
            index += 1
        }
        return nil
    }

    private static func matchParentheses(_ tokens: [SQLToken]) throws(Rejection) -> [Int?] {
        var partner = [Int?](repeating: nil, count: tokens.count)
        var open: [Int] = []
        for (index, token) in tokens.enumerated() where token.kind == .symbol {
            if token.text == "(" {
                open.append(index)
            } else if token.text == ")" {
                guard let start = open.popLast() else {
                    throw Rejection(.unbalancedParentheses, "A ')' has no matching '('.")
                }
                partner[start] = index
                partner[index] = start
            }
        }
        guard open.isEmpty else { throw Rejection(.unbalancedParentheses, "A '(' is never closed.") }
        return partner
    }

    /// The statement must start (after any opening parentheses) with SELECT, or with a
    /// WITH list followed by SELECT.
    private func requireSelect() throws(Rejection) {
        var index = firstAfterParentheses(0)
        if isKeyword(index, "with") {
            guard let list = commonTableExpressions(at: index) else {
                throw Rejection(.notASelect, "The WITH clause could not be understood: write WITH name AS (SELECT …) SELECT ….")
            }
            index = firstAfterParentheses(list.end)
        }
        guard !isKeyword(index, "select") else { return }
        throw Rejection(.notASelect, notASelectMessage(at: index))
    }

    private func firstAfterParentheses(_ start: Int) -> Int {
        var index = start
        while isSymbol(index, "(") { index += 1 }
        return index
    }

    private func notASelectMessage(at index: Int) -> String {
        let tail = "only a single SELECT query can run."
        guard index < tokens.count, tokens[index].kind == .word else {
            return "The query must start with SELECT or WITH: \(tail)"
        }
        let keyword = tokens[index].text.uppercased()
        if keyword == "SET" {
            return "SET\(isKeyword(index + 1, "statement") ? " STATEMENT" : "") is not allowed: queries cannot change settings."
        }
        return "\(keyword) statements are not allowed: \(tail)"
    }
}
