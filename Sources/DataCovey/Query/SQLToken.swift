/// One lexical unit of MariaDB SQL.
///
/// Comments and whitespace never become tokens: the guard reasons only about what the
/// server will parse, so anything that hides inside a comment or a string literal can
/// never be mistaken for a keyword, a function call or a variable.
struct SQLToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A bare identifier or keyword, `text` exactly as written.
        case word
        /// A backtick-quoted identifier, `text` without quotes and with doubled backticks collapsed.
        case quotedIdentifier
        /// A `'…'` or `"…"` literal, `text` with escapes and doubled quotes decoded.
        case string
        /// A numeric literal, including `0x…`, `0b…`, `X'…'` and `B'…'`; `text` as written.
        case number
        /// A `?` placeholder.
        case positionalParameter
        /// A `:name` placeholder, `text` is the name without the colon.
        case namedParameter
        /// `@name` (also `@` before a quoted name), `text` is the name as far as it is bare.
        case userVariable
        /// `@@name`, `text` is the name as far as it is bare.
        case systemVariable
        /// An operator or punctuation, `text` is the symbol (`(`, `.`, `;`, `:=`, `<=>` …).
        case symbol
    }

    let kind: Kind
    let text: String
    /// UTF-8 offset of the token's first byte in the input, for diagnostics.
    let offset: Int
    /// True for a string literal that contains `\'` (or `\"` inside `"…"`).
    ///
    /// Such a literal ends at a different place when the server runs with
    /// `NO_BACKSLASH_ESCAPES`, so text we consider quoted could become live SQL.
    var hasBackslashEscapedQuote = false
    /// UTF-8 offset just past the token's last byte, so a caller can replace it in the text.
    var end = 0

    init(_ kind: Kind, _ text: String, offset: Int, hasBackslashEscapedQuote: Bool = false) {
        self.kind = kind
        self.text = text
        self.offset = offset
        self.hasBackslashEscapedQuote = hasBackslashEscapedQuote
    }

    /// True for tokens that name something: bare words and backtick-quoted identifiers.
    var isName: Bool { kind == .word || kind == .quotedIdentifier }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }

    /// Where the token sits in the input.
    var source: Range<Int> { offset..<max(offset, end) }

    /// Equal when kind, text and start agree; `end` follows from those.
    static func == (lhs: SQLToken, rhs: SQLToken) -> Bool {
        lhs.kind == rhs.kind && lhs.text == rhs.text && lhs.offset == rhs.offset
            && lhs.hasBackslashEscapedQuote == rhs.hasBackslashEscapedQuote
    }
}
