/// Splits MariaDB 10.11 SQL into `SQLToken`s in one linear pass over the UTF-8 bytes.
///
/// It follows the server's lexer closely enough that a token boundary here is a token
/// boundary there (default `sql_mode`). It refuses input whose meaning would depend on
/// details it does not model: executable comments (`/*! … */`, `/*M! … */`, whose content
/// the server runs), unterminated strings, identifiers or comments, and NUL bytes.
struct SQLTokenizer {
    /// Why the input could not be tokenized.
    struct Failure: Error, Equatable, Sendable {
        enum Kind: Equatable, Sendable {
            case unterminatedString, unterminatedIdentifier, unterminatedComment
            case executableComment
            case nulCharacter
            /// `1.5e`, `.5e+x`: an exponent without digits, which the server cannot read either.
            case malformedNumber
        }
        let kind: Kind
        /// UTF-8 offset where the offending construct starts.
        let offset: Int
    }

    static func tokenize(_ sql: String) throws(Failure) -> [SQLToken] {
        var tokenizer = SQLTokenizer(bytes: Array(sql.utf8))
        try tokenizer.run()
        return tokenizer.tokens
    }

    let bytes: [UInt8]
    var index = 0
    var tokens: [SQLToken] = []
    /// The server's `MY_LEX_IDENT_START` state: after a qualifier dot (`db.`) the next token is
    /// an identifier whatever its first byte, so `db.1e1x` names `1e1x` while `1e1x` alone is
    /// the number `1e1` followed by `x`.
    var identifierFollows = false

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func run() throws(Failure) {
        while index < bytes.count {
            let tokenCount = tokens.count
            let followsDot = identifierFollows
            defer {
                if tokens.count > tokenCount { tokens[tokens.count - 1].end = index }
                // The state lasts for exactly one token (a qualifier dot sets it again).
                if followsDot, tokens.count > tokenCount { identifierFollows = false }
            }
            let byte = bytes[index]
            switch byte {
            case 0:
                throw Failure(kind: .nulCharacter, offset: index)
            case _ where Self.isWhitespace(byte):
                index += 1
            case UInt8(ascii: "#"):
                skipLineComment()
            case UInt8(ascii: "-") where startsDashComment():
                skipLineComment()
            case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
                try skipBlockComment()
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                try scanString(quote: byte)
            case UInt8(ascii: "`"):
                try scanQuotedIdentifier()
            case UInt8(ascii: "?"):
                append(.positionalParameter, from: index, to: index + 1)
                index += 1
            case UInt8(ascii: ":"):
                scanColon()
            case UInt8(ascii: "@"):
                scanVariable()
            case _ where identifierFollows && Self.isIdentifierByte(byte):
                scanWord()
            case _ where Self.startsQuotedNumber(byte) && peek(1) == UInt8(ascii: "'"):
                try scanQuotedNumber()
            case _ where Self.isDigit(byte):
                try scanNumberOrWord()
            case UInt8(ascii: "."):
                try scanDot()
            case _ where Self.isIdentifierByte(byte):
                scanWord()
            default:
                scanSymbol()
            }
        }
    }

    // MARK: Helpers shared by the scanners

    func peek(_ distance: Int) -> UInt8? {
        let position = index + distance
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func append(_ kind: SQLToken.Kind, from start: Int, to end: Int) {
        append(kind, text: String(decoding: bytes[start..<end], as: UTF8.self), offset: start)
    }

    mutating func append(_ kind: SQLToken.Kind, text: String, offset: Int, escapedQuote: Bool = false) {
        tokens.append(SQLToken(kind, text, offset: offset, hasBackslashEscapedQuote: escapedQuote))
    }

    /// Advances over identifier bytes and returns where the run ends.
    mutating func skipIdentifierBytes() {
        while index < bytes.count, Self.isIdentifierByte(bytes[index]) { index += 1 }
    }

    /// The server's `my_isspace`: tab, newline, vertical tab, form feed, carriage return, space.
    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    /// `X'…'` / `B'…'` prefixes.
    static func startsQuotedNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "x") || byte == UInt8(ascii: "X") || byte == UInt8(ascii: "b") || byte == UInt8(ascii: "B")
    }

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// Bytes the server accepts in a bare identifier; every non-ASCII byte is one, so
    /// multi-byte characters are never split.
    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }
}
