/// `FOR SYSTEM_TIME` (MariaDB system versioning): a project's table read as it was.
///
/// Accepted only right after a reference to a table (`dataset.table FOR SYSTEM_TIME …`), which
/// the catalog later resolves to one of the project's own tables, in one of the forms
///     AS OF i  |  BETWEEN i AND i  |  FROM i TO i  |  ALL
/// where each instant `i` is a constant the guard can read:
///     '2026-12-01 10:00:00[.ffffff]' or '2026-12-01'  (UTC, the sessions' time zone)
///     TIMESTAMP '…'  (the same)
///     NOW() | CURRENT_TIMESTAMP[()] | UTC_TIMESTAMP()  [- INTERVAL n SECOND|MINUTE|HOUR|DAY|WEEK|MONTH|YEAR]
/// and nothing continues the expression after it. No subquery, variable, parameter, column or
/// other function: an instant computed from data could read what the clause was not meant to
/// (another table's history, through a subquery), and a literal is all a person needs. Anywhere
/// else — after a derived table, a CTE name, a table function, or not after a table at all —
/// `FOR SYSTEM_TIME` is refused, so the clause never reaches history the catalog did not check.
enum SQLGuardSystemTime {
    typealias Rejection = SQLGuard.Rejection

    static let formsMessage = "FOR SYSTEM_TIME must be followed by AS OF <instant>, BETWEEN <instant> AND <instant>, FROM <instant> TO <instant>, or ALL."
    static let instantMessage = "The instant in FOR SYSTEM_TIME must be a timestamp literal ('2026-12-01 10:00:00' or TIMESTAMP '2026-12-01 10:00:00', in UTC) or NOW() - INTERVAL n unit: not a subquery, a variable, a parameter or another expression."

    /// True when `FOR SYSTEM_TIME` (either word maybe backtick-quoted) starts at `index`.
    static func starts(_ statement: SQLGuardStatement, at index: Int) -> Bool {
        index + 1 < statement.tokens.count && statement.tokens[index].isName && statement.names[index] == "for"
            && statement.tokens[index + 1].isName && statement.names[index + 1] == "system_time"
    }

    /// Reads the clause starting at `index` (which `starts`), and returns the index after it.
    static func clause(_ statement: SQLGuardStatement, at index: Int) throws(Rejection) -> Int {
        guard statement.tokens[index].kind == .word, statement.tokens[index + 1].kind == .word else {
            throw Rejection(.systemTime, "Write FOR SYSTEM_TIME without quotes.")
        }
        var at = index + 2
        if statement.isKeyword(at, "all") { return try end(statement, at + 1) }
        if statement.isKeyword(at, "as"), statement.isKeyword(at + 1, "of") {
            if statement.isKeyword(at + 2, "transaction") {
                throw Rejection(.systemTime, "FOR SYSTEM_TIME AS OF TRANSACTION is not supported: give a timestamp.")
            }
            at = try instant(statement, at + 2)
            return try end(statement, at)
        }
        for (first, second) in [("between", "and"), ("from", "to")] where statement.isKeyword(at, first) {
            at = try instant(statement, at + 1)
            guard statement.isKeyword(at, second) else {
                throw Rejection(.systemTime, "FOR SYSTEM_TIME \(first.uppercased()) <instant> must be followed by \(second.uppercased()) <instant>; \(instantMessage)")
            }
            at = try instant(statement, at + 1)
            return try end(statement, at)
        }
        throw Rejection(.systemTime, formsMessage)
    }

    /// Refuses any `FOR SYSTEM_TIME` the table collector did not read after a table reference.
    static func refuseStray(_ statement: SQLGuardStatement, read: Set<Int>) throws(Rejection) {
        for index in statement.tokens.indices where starts(statement, at: index) && !read.contains(index) {
            throw Rejection(.systemTime, "FOR SYSTEM_TIME may only follow a table of this project (dataset.table): not a derived table, a WITH name, a table function or anything else.")
        }
    }

    // MARK: - Instants

    private static let units: Set<String> = ["second", "minute", "hour", "day", "week", "month", "year"]
    private static let clocks: Set<String> = ["now", "current_timestamp", "utc_timestamp"]

    /// Reads one instant at `index`; returns the index after it.
    private static func instant(_ statement: SQLGuardStatement, _ index: Int) throws(Rejection) -> Int {
        let tokens = statement.tokens
        guard index < tokens.count else { throw Rejection(.systemTime, instantMessage) }
        if tokens[index].kind == .string {
            try literal(statement, index)
            return index + 1
        }
        if statement.isKeyword(index, "timestamp"), index + 1 < tokens.count, tokens[index + 1].kind == .string {
            try literal(statement, index + 1)
            return index + 2
        }
        guard tokens[index].kind == .word, clocks.contains(statement.names[index]) else {
            throw Rejection(.systemTime, instantMessage)
        }
        var at = index + 1
        if statement.isSymbol(at, "("), statement.isSymbol(at + 1, ")") {
            at += 2
        } else if statement.names[index] != "current_timestamp" {
            throw Rejection(.systemTime, instantMessage)
        }
        guard statement.isSymbol(at, "-") else { return at }
        guard statement.isKeyword(at + 1, "interval"), at + 3 < tokens.count, tokens[at + 2].kind == .number,
              tokens[at + 2].text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              tokens[at + 3].kind == .word, units.contains(statement.names[at + 3]) else {
            throw Rejection(.systemTime, instantMessage)
        }
        return at + 4
    }

    /// 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' or with up to six fractional digits.
    private static func literal(_ statement: SQLGuardStatement, _ index: Int) throws(Rejection) {
        guard isTimestampLiteral(statement.tokens[index].text) else {
            throw Rejection(.systemTime, "'\(statement.tokens[index].text.prefix(40))' is not a timestamp: write 'YYYY-MM-DD HH:MM:SS' (UTC). \(instantMessage)")
        }
    }

    static func isTimestampLiteral(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 } }
        guard bytes.count >= 10, digits(0..<4), bytes[4] == 0x2D, digits(5..<7), bytes[7] == 0x2D, digits(8..<10) else { return false }
        if bytes.count == 10 { return true }
        guard bytes.count >= 19, bytes[10] == 0x20 || bytes[10] == 0x54, digits(11..<13), bytes[13] == 0x3A, digits(14..<16),
              bytes[16] == 0x3A, digits(17..<19) else { return false }
        if bytes.count == 19 { return true }
        return bytes[19] == 0x2E && bytes.count >= 21 && bytes.count <= 26 && digits(20..<bytes.count)
    }

    /// Words that would continue an expression after the instant.
    private static let continuing: Set<String> = [
        "and", "or", "xor", "not", "is", "div", "mod", "like", "rlike", "regexp", "between", "in", "collate",
        "sounds", "interval", "escape", "member",
    ]

    /// After the clause: nothing may continue the instant's expression (`+ (SELECT …)`, a
    /// second string, which MariaDB would concatenate, `COLLATE`…); an alias, a join, a
    /// clause, `,` or `)` may follow.
    private static func end(_ statement: SQLGuardStatement, _ index: Int) throws(Rejection) -> Int {
        guard index < statement.tokens.count else { return index }
        let token = statement.tokens[index]
        switch token.kind {
        case .quotedIdentifier: return index
        case .word where !continuing.contains(statement.names[index]): return index
        case .symbol where token.text == ")" || token.text == ",": return index
        default: throw Rejection(.systemTime, instantMessage)
        }
    }
}
