extension SQLGuard {
    /// Why a query was refused: a stable `code` for programs and a `message` for users.
    struct Rejection: Error, Equatable, Sendable {
        enum Code: String, Sendable, CaseIterable {
            case empty
            case unterminated
            case executableComment
            case invalidCharacter
            case malformedNumber
            case unbalancedParentheses
            case multipleStatements
            case notASelect
            case forbiddenKeyword
            case userVariable
            case systemVariable
            case assignment
            case forbiddenFunction
            case forbiddenSchema
            case physicalName
            /// Quoting whose meaning depends on the server's `sql_mode`.
            case ambiguousQuoting
            /// `FOR SYSTEM_TIME` anywhere but after a project table, or with an instant that is
            /// not a constant (SQLGuardSystemTime).
            case systemTime

            /// The code as the API writes it: `not_a_select`.
            var snakeCased: String { rawValue.snakeCased }
        }

        let code: Code
        let message: String

        init(_ code: Code, _ message: String) {
            self.code = code
            self.message = message
        }

        init(_ failure: SQLTokenizer.Failure) {
            let position = "at position \(failure.offset + 1)"
            switch failure.kind {
            case .unterminatedString:
                self.init(.unterminated, "A string literal starting \(position) is not closed.")
            case .unterminatedIdentifier:
                self.init(.unterminated, "A `quoted` name starting \(position) is not closed.")
            case .unterminatedComment:
                self.init(.unterminated, "A /* comment starting \(position) is not closed.")
            case .executableComment:
                self.init(.executableComment,
                          "Executable comments (/*! … */ or /*M! … */) are not allowed: the server would run their content.")
            case .nulCharacter:
                self.init(.invalidCharacter, "The query contains a NUL character \(position).")
            case .malformedNumber:
                self.init(.malformedNumber, "The number \(position) has an exponent without digits (write 1.5e3).")
            }
        }
    }
}
