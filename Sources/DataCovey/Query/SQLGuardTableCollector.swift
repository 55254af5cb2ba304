/// Finds the tables a query reads: names after FROM and JOIN and in comma-separated FROM
/// lists, at every nesting level, skipping CTE names, derived tables and table functions.
///
/// It tracks, per parenthesis level, whether a SELECT has been seen (so `EXTRACT(YEAR FROM d)`
/// is not a FROM clause) and whether the level is inside a FROM clause (so a `,` starts
/// another table). One pass, linear in the number of tokens.
enum SQLGuardTableCollector {
    typealias Rejection = SQLGuard.Rejection
    typealias TableReference = SQLGuard.TableReference

    private struct Level {
        var sawSelect = false
        var inFrom = false
    }

    static func collect(_ statement: SQLGuardStatement) throws(Rejection) -> [TableReference] {
        let tokens = statement.tokens
        let cteNames = commonTableExpressionNames(statement)
        var levels = [Level()]
        var tables: [TableReference] = []
        var expectTable = false
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if expectTable {
                expectTable = false
                if token.isSymbol("(") {
                    // Derived table or parenthesized join: a following SELECT ends the FROM state.
                    levels.append(Level(sawSelect: true, inFrom: true))
                    expectTable = true
                    index += 1
                    continue
                }
                if token.kind == .string {
                    throw Rejection(.ambiguousQuoting, "Quote table names with backticks (`name`), not with quotes.")
                }
                if token.isName, !(token.kind == .word && statement.names[index] == "select") {
                    index = try readReference(statement, at: index, skipping: cteNames, into: &tables)
                    continue
                }
            }
            let level = levels.count - 1
            switch token.kind {
            case .symbol where token.text == "(":
                levels.append(Level())
            case .symbol where token.text == ")":
                if levels.count > 1 { levels.removeLast() }
            case .symbol where token.text == ",":
                expectTable = levels[level].inFrom
            case .word:
                let word = statement.names[index]
                if word == "from", levels[level].sawSelect {
                    levels[level].inFrom = true
                    expectTable = true
                } else if word == "join" || word == "straight_join" {
                    // `USE INDEX FOR JOIN (i)` is an index hint, not a join.
                    expectTable = levels[level].inFrom && !statement.isKeyword(index - 1, "for")
                } else if SQLGuardVocabulary.clauseEnders.contains(word) {
                    levels[level].inFrom = false
                    if word == "select" { levels[level].sawSelect = true }
                }
            default:
                break
            }
            index += 1
        }
        return tables
    }

    /// Reads `name` or `qualifier.name` at `start`, records it unless it is a CTE, `DUAL`
    /// or a table function (`JSON_TABLE(…)`), with the `FOR SYSTEM_TIME …` clause that follows
    /// it, and returns the index after them.
    private static func readReference(
        _ statement: SQLGuardStatement, at start: Int, skipping cteNames: Set<String>,
        into tables: inout [TableReference]
    ) throws(Rejection) -> Int {
        let tokens = statement.tokens
        var parts = [tokens[start].text]
        var index = start + 1
        while statement.isSymbol(index, "."), index + 1 < tokens.count, tokens[index + 1].isName {
            parts.append(tokens[index + 1].text)
            index += 2
        }
        if parts.count == 1 {
            let isTableFunction = statement.isSymbol(index, "(")
            let isDual = statement.isKeyword(start, "dual")
            if isTableFunction || isDual || cteNames.contains(statement.names[start]) { return index }
        }
        let name = parts[parts.count - 1]
        var reference = TableReference(parts.count > 1 ? parts[parts.count - 2] : nil, name)
        reference.source = tokens[start].offset..<tokens[index - 1].end
        reference.aliasPosition = reference.source.upperBound
        if SQLGuardSystemTime.starts(statement, at: index) {
            let after = try SQLGuardSystemTime.clause(statement, at: index)
            reference.systemTime = tokens[index].offset..<tokens[after - 1].end
            reference.systemTimeTokens = index..<after
            reference.aliasPosition = tokens[after - 1].end
            index = after
        }
        reference.hasAlias = hasAlias(statement, at: index)
        tables.append(reference)
        return index
    }

    /// Words that may follow a table reference without being its alias.
    private static let notAliases: Set<String> = [
        "on", "using", "where", "group", "having", "order", "limit", "join", "inner", "cross", "left",
        "right", "full", "natural", "straight_join", "union", "except", "intersect", "minus", "window",
        "for", "lock", "into", "use", "ignore", "force", "partition", "offset", "fetch", "procedure",
        "returning", "select",
    ]

    private static func hasAlias(_ statement: SQLGuardStatement, at index: Int) -> Bool {
        guard index < statement.tokens.count else { return false }
        switch statement.tokens[index].kind {
        case .quotedIdentifier: return true
        case .word: return !notAliases.contains(statement.names[index])
        default: return false
        }
    }

    private static func commonTableExpressionNames(_ statement: SQLGuardStatement) -> Set<String> {
        var names: Set<String> = []
        for index in statement.tokens.indices where statement.isKeyword(index, "with") {
            if let list = statement.commonTableExpressions(at: index) { names.formUnion(list.names) }
        }
        return names
    }
}
