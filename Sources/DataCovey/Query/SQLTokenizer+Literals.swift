/// Scanners for quoted text, numbers and names.
extension SQLTokenizer {
    /// `'…'` / `"…"`: a doubled quote is a quote, a backslash escapes the next byte.
    mutating func scanString(quote: UInt8) throws(Failure) {
        let start = index
        var value: [UInt8] = []
        var escapedQuote = false
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                if peek(1) == quote {
                    value.append(quote)
                    index += 2
                    continue
                }
                index += 1
                append(.string, text: String(decoding: value, as: UTF8.self), offset: start, escapedQuote: escapedQuote)
                return
            }
            if byte == UInt8(ascii: "\\"), let escaped = peek(1) {
                if escaped == quote { escapedQuote = true }
                value.append(contentsOf: Self.unescape(escaped))
                index += 2
                continue
            }
            value.append(byte)
            index += 1
        }
        throw Failure(kind: .unterminatedString, offset: start)
    }

    /// The server's backslash escapes; `\%` and `\_` keep their backslash (LIKE patterns).
    private static func unescape(_ byte: UInt8) -> [UInt8] {
        switch byte {
        case UInt8(ascii: "n"): [0x0A]
        case UInt8(ascii: "t"): [0x09]
        case UInt8(ascii: "r"): [0x0D]
        case UInt8(ascii: "b"): [0x08]
        case UInt8(ascii: "0"): [0x00]
        case UInt8(ascii: "Z"): [0x1A]
        case UInt8(ascii: "%"), UInt8(ascii: "_"): [UInt8(ascii: "\\"), byte]
        default: [byte]
        }
    }

    /// `` `…` ``: a doubled backtick is a backtick; there are no backslash escapes.
    mutating func scanQuotedIdentifier() throws(Failure) {
        let start = index
        var value: [UInt8] = []
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "`") {
                if peek(0) == UInt8(ascii: "`") {
                    value.append(byte)
                    index += 1
                    continue
                }
                append(.quotedIdentifier, text: String(decoding: value, as: UTF8.self), offset: start)
                return
            }
            value.append(byte)
        }
        throw Failure(kind: .unterminatedIdentifier, offset: start)
    }

    /// `X'4142'` and `B'0101'`: the content is digits only, so there are no escapes.
    mutating func scanQuotedNumber() throws(Failure) {
        let start = index
        index += 2
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "'") {
                index += 1
                append(.number, from: start, to: index)
                return
            }
            index += 1
        }
        throw Failure(kind: .unterminatedString, offset: start)
    }

    /// A bare identifier or keyword.
    mutating func scanWord() {
        let start = index
        skipIdentifierBytes()
        append(.word, from: start, to: index)
    }

    /// What starts with a digit, read as the server's lexer does (`MY_LEX_NUMBER_IDENT`):
    /// `0x1F` and `0b101` when nothing identifier-like follows; digits, then either an exponent
    /// (`1e9`, `1e+9`: the number ends with its last digit, so `1e1into` is `1e1` and `into`),
    /// a fraction (`1.5`, `1.`), the end of the number, or else an identifier (`123abc`, `1ea`).
    mutating func scanNumberOrWord() throws(Failure) {
        let start = index
        if bytes[start] == UInt8(ascii: "0"), let marker = peek(1),
           marker == UInt8(ascii: "x") || marker == UInt8(ascii: "b") {
            let isDigitOfBase: (UInt8) -> Bool = marker == UInt8(ascii: "x")
                ? { Self.isDigit($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
                : { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") }
            var end = start + 2
            while end < bytes.count, isDigitOfBase(bytes[end]) { end += 1 }
            if end - start >= 3, end == bytes.count || !Self.isIdentifierByte(bytes[end]) {
                index = end
                return append(.number, from: start, to: end)
            }
            return scanWord()
        }
        skipDigits()
        guard let next = peek(0) else { return append(.number, from: start, to: index) }
        if !Self.isIdentifierByte(next) {
            // `1..10` is an integer before `..`; `1.` and `1.5` are decimals.
            guard next == UInt8(ascii: "."), peek(1) != UInt8(ascii: ".") else {
                return append(.number, from: start, to: index)
            }
            index += 1
            return try scanFraction(from: start)
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            let signed = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
            let firstDigit = signed ? 2 : 1
            if peek(firstDigit).map(Self.isDigit) == true {
                index += firstDigit
                skipDigits()
                return append(.number, from: start, to: index)
            }
        }
        index = start
        scanWord()
    }

    /// A `.`: the start of `.5`, the `..` of a range, or punctuation. After a bare name that it
    /// directly follows, and before an identifier byte, it is a qualifier dot and the next
    /// token is a name (`t.5x` is the column `5x`), as in the server's `MY_LEX_IDENT_SEP`.
    mutating func scanDot() throws(Failure) {
        let start = index
        let next = peek(1)
        let nextIsIdentifier = next.map(Self.isIdentifierByte) == true
        let qualifies = tokens.last.map { $0.kind == .word && $0.end == start } == true && nextIsIdentifier
        if !qualifies, let next, Self.isDigit(next) {
            index += 1
            return try scanFraction(from: start)
        }
        if !qualifies, next == UInt8(ascii: ".") {
            index += 2
            return append(.symbol, from: start, to: index)
        }
        index += 1
        append(.symbol, from: start, to: index)
        identifierFollows = nextIsIdentifier
    }

    /// The digits after a decimal point and an optional exponent (`MY_LEX_REAL`); the number
    /// ends at the first byte that cannot continue it, so `1.5into` is `1.5` and `into`.
    private mutating func scanFraction(from start: Int) throws(Failure) {
        skipDigits()
        if let e = peek(0), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index += 1
            if let sign = peek(0), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            guard peek(0).map(Self.isDigit) == true else { throw Failure(kind: .malformedNumber, offset: start) }
            skipDigits()
        }
        append(.number, from: start, to: index)
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }
}
