/// Variables, parameters and operators.
extension SQLTokenizer {
    /// Longest first, so `<=>` wins over `<=`.
    private static let multiByteSymbols: [[UInt8]] = ["<=>", "->>", "<=", ">=", "<>", "!=", "||", "&&", "<<", ">>", "->"]
        .map { Array($0.utf8) }

    /// `:=` (assignment), `:name` (named parameter) or a lone `:`.
    mutating func scanColon() {
        let start = index
        if peek(1) == UInt8(ascii: "=") {
            index += 2
            append(.symbol, from: start, to: index)
        } else if let next = peek(1), Self.isLetter(next) || next == UInt8(ascii: "_") || next >= 0x80 {
            index += 1
            skipIdentifierBytes()
            // The token starts at the colon, so replacing its source replaces the whole marker.
            append(.namedParameter, text: String(decoding: bytes[(start + 1)..<index], as: UTF8.self), offset: start)
        } else {
            index += 1
            append(.symbol, from: start, to: index)
        }
    }

    /// `@name` / `@@name`. A quoted name after `@` is left to the next scan; the variable
    /// token alone is enough for the guard to refuse it.
    mutating func scanVariable() {
        let start = index
        let kind: SQLToken.Kind = peek(1) == UInt8(ascii: "@") ? .systemVariable : .userVariable
        index += kind == .systemVariable ? 2 : 1
        let nameStart = index
        while index < bytes.count, Self.isIdentifierByte(bytes[index]) || bytes[index] == UInt8(ascii: ".") { index += 1 }
        append(kind, text: String(decoding: bytes[nameStart..<index], as: UTF8.self), offset: start)
    }

    /// An operator or single punctuation byte.
    mutating func scanSymbol() {
        let start = index
        for symbol in Self.multiByteSymbols where bytes[index...].starts(with: symbol) {
            index += symbol.count
            append(.symbol, from: start, to: index)
            return
        }
        index += 1
        append(.symbol, from: start, to: index)
    }
}
