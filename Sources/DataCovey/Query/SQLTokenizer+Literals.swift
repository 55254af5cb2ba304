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

    /// Numbers (`12`, `1.5`, `.5`, `1e9`, `2.5E-3`, `0x1F`, `0b101`). MariaDB lets an
    /// identifier start with a digit (`123abc`), so a digit run that is not a number is a word.
    mutating func scanNumberOrWord() {
        let start = index
        skipIdentifierBytes()
        let run = bytes[start..<index]
        if !run.isEmpty, !run.allSatisfy(Self.isDigit) {
            if Self.isPrefixedNumber(run) || Self.isExponentNumber(run) {
                append(.number, from: start, to: index)
            } else if Self.endsWithBareExponent(run), let sign = peek(0),
                      sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                      peek(1).map(Self.isDigit) == true {
                index += 1
                skipDigits()
                append(.number, from: start, to: index)
            } else {
                append(.word, from: start, to: index)
            }
            return
        }
        if peek(0) == UInt8(ascii: "."), peek(1).map({ !Self.isLetter($0) || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) ?? true {
            index += 1
            skipDigits()
        }
        if let e = peek(0), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var distance = 1
            if let sign = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { distance = 2 }
            if peek(distance).map(Self.isDigit) == true {
                index += distance
                skipDigits()
            }
        }
        append(.number, from: start, to: index)
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private static func isPrefixedNumber(_ run: ArraySlice<UInt8>) -> Bool {
        guard run.count > 2, run.first == UInt8(ascii: "0") else { return false }
        let marker = run[run.startIndex + 1]
        let digits = run.dropFirst(2)
        if marker == UInt8(ascii: "x") { return digits.allSatisfy { isDigit($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) } }
        if marker == UInt8(ascii: "b") { return digits.allSatisfy { $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: "1") } }
        return false
    }

    /// `1e9`
    private static func isExponentNumber(_ run: ArraySlice<UInt8>) -> Bool {
        guard let e = run.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return false }
        let mantissa = run[run.startIndex..<e], exponent = run[(e + 1)...]
        return !mantissa.isEmpty && mantissa.allSatisfy(isDigit) && !exponent.isEmpty && exponent.allSatisfy(isDigit)
    }

    /// `1e` as in `1e-5`, where the sign stopped the identifier run.
    private static func endsWithBareExponent(_ run: ArraySlice<UInt8>) -> Bool {
        guard let last = run.last, last == UInt8(ascii: "e") || last == UInt8(ascii: "E") else { return false }
        let mantissa = run.dropLast()
        return !mantissa.isEmpty && mantissa.allSatisfy(isDigit)
    }
}
