extension MariaDBError {
    /// `debugDescription` for a log: the server's message and the SQL with every quoted
    /// literal replaced by `'?'`. Server messages quote the values they refuse (1062 "Duplicate
    /// entry 'ann@x.test' for key …", 1366 "Incorrect integer value: '…'"), and DDL carries column
    /// defaults as literals; the code, the names and the statement's shape stay for the operator.
    public var logDescription: String {
        var text = "MariaDB error \(code) (\(sqlState)): \(Self.redactingLiterals(message))"
        if let sql { text += " — SQL: \(Self.redactingLiterals(sql))" }
        return text
    }

    /// Replaces `'…'` and `"…"` literals (with `\\` and doubled-quote escapes) by `'?'`.
    /// Backquoted identifiers stay.
    static func redactingLiterals(_ text: String) -> String {
        var output = ""
        var quote: Character?
        var escaped = false
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    if index + 1 < characters.count && characters[index + 1] == open {
                        index += 1  // a doubled quote inside the literal
                    } else {
                        quote = nil
                        output.append("'?'")
                    }
                }
            } else if character == "'" || character == "\"" {
                quote = character
            } else {
                output.append(character)
            }
            index += 1
        }
        if quote != nil { output.append("'?") }  // cut off mid-literal (messages are truncated)
        return output
    }
}
