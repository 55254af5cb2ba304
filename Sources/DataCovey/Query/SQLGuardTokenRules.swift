/// Refuses constructs that are forbidden wherever they appear in the statement: data
/// export (`INTO`), row locks, variables and assignments, side-effecting functions,
/// system schemas, physical names and `sql_mode`-dependent quoting.
///
/// Everything here looks at tokens, so text inside strings and comments never matches.
enum SQLGuardTokenRules {
    typealias Rejection = SQLGuard.Rejection

    static func check(_ statement: SQLGuardStatement) throws(Rejection) {
        for index in statement.tokens.indices {
            let token = statement.tokens[index]
            switch token.kind {
            case .userVariable:
                throw Rejection(.userVariable,
                                "User variables (@\(token.text)) are not allowed: queries cannot keep or change session state.")
            case .systemVariable:
                throw Rejection(.systemVariable,
                                "System variables (@@\(token.text)) are not allowed: queries cannot read or change server settings.")
            case .symbol where token.text == ":=":
                throw Rejection(.assignment, "Assignments (:=) are not allowed: queries only read data.")
            case .string:
                try checkString(statement, index)
            case .word:
                try checkKeyword(statement, index)
                try checkName(statement, index)
            case .quotedIdentifier:
                try checkName(statement, index)
            default:
                break
            }
        }
    }

    /// Bare keywords that only make sense for writing, locking or changing settings.
    private static func checkKeyword(_ statement: SQLGuardStatement, _ index: Int) throws(Rejection) {
        switch statement.names[index] {
        case "into":
            throw Rejection(.forbiddenKeyword, "INTO is not allowed: queries only read data.")
        case "for" where statement.isKeyword(index + 1, "update") || statement.isKeyword(index + 1, "share"):
            let what = statement.tokens[index + 1].text.uppercased()
            throw Rejection(.forbiddenKeyword, "FOR \(what) is not allowed: queries cannot lock rows.")
        case "lock":
            let what = statement.isKeyword(index + 1, "in") ? "LOCK IN SHARE MODE" : "LOCK"
            throw Rejection(.forbiddenKeyword, "\(what) is not allowed: queries cannot lock rows.")
        case "procedure":
            throw Rejection(.forbiddenKeyword, "PROCEDURE is not allowed: queries cannot call procedures.")
        case "set" where !SQLGuardVocabulary.characterSetIntroducers.contains(index > 0 ? statement.names[index - 1] : ""):
            throw Rejection(.forbiddenKeyword, "SET is not allowed: queries cannot change settings.")
        case "next", "previous":
            if statement.isKeyword(index + 1, "value"), statement.isKeyword(index + 2, "for") {
                throw Rejection(.forbiddenFunction,
                                "\(statement.tokens[index].text.uppercased()) VALUE FOR is not allowed: reading a sequence changes it.")
            }
        default:
            break
        }
    }

    /// Names (bare or backtick-quoted): function calls, schema qualifiers, physical names.
    private static func checkName(_ statement: SQLGuardStatement, _ index: Int) throws(Rejection) {
        let name = statement.names[index]
        try checkFunctionCall(statement, index)
        if statement.isSymbol(index + 1, "."), SQLGuardVocabulary.systemSchemas.contains(name) {
            throw Rejection(.forbiddenSchema, "The system schema `\(statement.tokens[index].text)` cannot be queried.")
        }
        if SQLGuardVocabulary.physicalPrefixes.contains(where: { name.hasPrefix($0) }) {
            throw Rejection(.physicalName,
                            "`\(statement.tokens[index].text)` is a physical name: refer to tables as dataset.table.")
        }
    }

    /// A forbidden function name directly followed by `(` (comments and spaces between are
    /// already gone). Also applies to strings, which are names under `ANSI_QUOTES`.
    private static func checkFunctionCall(_ statement: SQLGuardStatement, _ index: Int) throws(Rejection) {
        let name = statement.names[index]
        guard statement.isSymbol(index + 1, "("), let reason = SQLGuardVocabulary.forbiddenFunctions[name] else { return }
        if SQLGuardVocabulary.allowedWithoutArguments.contains(name), statement.isSymbol(index + 2, ")") { return }
        throw Rejection(.forbiddenFunction, "\(statement.tokens[index].text.uppercased())() is not allowed: \(reason).")
    }

    private static func checkString(_ statement: SQLGuardStatement, _ index: Int) throws(Rejection) {
        if statement.tokens[index].hasBackslashEscapedQuote {
            throw Rejection(.ambiguousQuoting,
                            "Write a quote inside a string by doubling it ('O''Brien'), not with a backslash.")
        }
        if statement.isSymbol(index - 1, ".") || statement.isSymbol(index + 1, ".") {
            throw Rejection(.ambiguousQuoting, "Quote names with backticks (`name`), not with double quotes.")
        }
        try checkFunctionCall(statement, index)
    }
}
