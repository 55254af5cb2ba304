/// What a statement may do to committed data, judged from its first keyword before it is sent,
/// so that a lease knows whether running it again elsewhere is safe (`MariaDBConnection.mayHaveCommitted`).
///
/// Conservative: anything not known to be a read or a transactional write counts as a commit
/// (DDL and GRANT commit implicitly; a procedure may do either). A SELECT that calls a stored
/// function that writes is not caught: this code's functions that write are all procedures.
enum StatementEffect: Equatable {
    /// Reads and session settings: nothing is written.
    case read
    /// INSERT, UPDATE, DELETE, REPLACE, LOAD DATA: commits by itself only when no transaction is open.
    case write
    /// START TRANSACTION and BEGIN: commit a transaction that is still open.
    case begin
    /// COMMIT, DDL, GRANT, `CALL` of a procedure not known to be read-only, anything unrecognised.
    case commit

    static func of(_ sql: String, readOnlyProcedures: Set<String>) -> StatementEffect {
        var words = sql.utf8.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0x28 }
        let first = Self.word(&words)
        switch first {
        case "SELECT", "WITH", "SHOW", "DO", "EXPLAIN", "DESCRIBE", "DESC", "VALUES", "ROLLBACK",
             "SAVEPOINT", "RELEASE", "HELP":
            return .read
        case "SET":
            // SET autocommit = 1 commits an open transaction; every other SET is session state.
            return sql.uppercased().contains("AUTOCOMMIT") ? .commit : .read
        case "START", "BEGIN":
            return .begin
        case "INSERT", "UPDATE", "DELETE", "REPLACE", "LOAD":
            return .write
        case "CALL":
            words = words.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
            let name = String(decoding: words.prefix { $0 != 0x28 && $0 != 0x20 && $0 != 0x3B }, as: UTF8.self)
                .replacingOccurrences(of: "`", with: "").lowercased()
            let bare = name.split(separator: ".").last.map(String.init) ?? name
            return readOnlyProcedures.contains(bare) ? .read : .commit
        default:
            return .commit
        }
    }

    /// The leading letters of `text`, upper-cased, and `text` moved past them.
    private static func word(_ text: inout Substring.UTF8View) -> String {
        let letters = text.prefix { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
        text = text.dropFirst(letters.count)
        return String(decoding: letters, as: UTF8.self).uppercased()
    }
}
