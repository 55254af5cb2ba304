/// Numbers read from their text, exactly: integers and decimals digit by digit (a Double never
/// stands in between, so `1234567890123.0123456789` stays what it is), floats by the grammar
/// both JSON and CSV writers use. Each check says either that the bytes can go to the server
/// as they are, or which normalized digits to send instead, or why the value cannot be stored.
enum NumberText {
    /// The outcome of a check: store the bytes as written, store these digits, or refuse.
    enum Checked: Equatable {
        case asWritten
        case normalized([UInt8])
        case refused(String)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A leading `+` or `-`: whether it is negative, and where the digits start.
    private static func sign(_ bytes: UnsafeBufferPointer<UInt8>) -> (negative: Bool, start: Int) {
        guard let first = bytes.first, first == 0x2B || first == 0x2D else { return (false, 0) }
        return (first == 0x2D, 1)
    }

    // MARK: int64

    /// `[+-]?digits` within Int64. A fraction or exponent is refused even when it is zero
    /// (`1.0`, `1e3`): an integer column takes integers as written.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Checked {
        let (negative, digitsStart) = sign(bytes)
        var index = digitsStart
        guard index < bytes.count else { return .refused("must be an integer") }
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        guard index == bytes.count else {
            let rest = bytes[index]
            if index > digitsStart, rest == 0x2E || rest == 0x65 || rest == 0x45 {
                return .refused("must be an integer, written without a decimal point or exponent")
            }
            return .refused("must be an integer")
        }
        var firstSignificant = digitsStart
        while firstSignificant < bytes.count - 1, bytes[firstSignificant] == 0x30 { firstSignificant += 1 }
        let significant = bytes.count - firstSignificant
        let limit: StaticString = negative ? "9223372036854775808" : "9223372036854775807"
        if significant > 19 || significant == 19 && !fits(bytes, from: firstSignificant, within: limit) {
            return .refused("is out of range for int64 (-9223372036854775808 to 9223372036854775807)")
        }
        // As written unless a + or a leading zero must go (or the - of a zero).
        let isZero = significant == 1 && bytes[firstSignificant] == 0x30
        if firstSignificant == digitsStart && (digitsStart == 0 || negative && !isZero) { return .asWritten }
        return .normalized((negative && !isZero ? [0x2D] : []) + Array(bytes[firstSignificant...]))
    }

    /// Whether 19 digits at `start` are at most `limit` (19 digits too), compared as text.
    private static func fits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, within limit: StaticString) -> Bool {
        let bound = UnsafeBufferPointer(start: limit.utf8Start, count: limit.utf8CodeUnitCount)
        for offset in 0..<19 where bytes[start + offset] != bound[offset] {
            return bytes[start + offset] < bound[offset]
        }
        return true
    }

    // MARK: decimal(p,s)

    /// `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?`, exactly: the value must have at most
    /// `precision - scale` integer digits, and no non-zero digit past `scale` decimals
    /// (`1.50` fits decimal(3,1) as 1.5; `1.55` does not, rather than be rounded).
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>, precision: Int, scale: Int) -> Checked {
        let type = DecimalColumn(precision: precision, scale: scale).name
        let (negative, integerStart) = sign(bytes)
        var index = integerStart
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        let integerEnd = index
        var fractionStart = index, fractionEnd = index
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            fractionStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            fractionEnd = index
        }
        guard integerEnd > integerStart || fractionEnd > fractionStart else { return .refused("must be a decimal number") }
        var exponent = 0
        var hasExponent = false
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            hasExponent = true
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D {
                exponentNegative = bytes[index] == 0x2D
                index += 1
            }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) {
                // Beyond a million the value is either zero or out of any range; keep counting safely.
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[index] - 0x30) }
                index += 1
            }
            guard index > start else { return .refused("must be a decimal number") }
            if exponentNegative { exponent = -exponent }
        }
        guard index == bytes.count else { return .refused("must be a decimal number") }

        // The digits read as one run (integer part, then fraction), without copying them: the
        // common plain field allocates nothing.
        let integerCount = integerEnd - integerStart
        let digitCount = integerCount + (fractionEnd - fractionStart)
        func digit(_ position: Int) -> UInt8 {
            position < integerCount ? bytes[integerStart + position] : bytes[fractionStart + position - integerCount]
        }
        // Written plainly (no +, no exponent, no leading zeros, at most `scale` decimals)?
        let plain = bytes.first != 0x2B && !hasExponent && integerEnd > integerStart
            && (integerCount == 1 || bytes[integerStart] != 0x30)
            && (fractionStart == integerEnd || (fractionEnd > fractionStart && fractionEnd - fractionStart <= scale))
        var firstNonZero = 0
        while firstNonZero < digitCount, digit(firstNonZero) == 0x30 { firstNonZero += 1 }
        guard firstNonZero < digitCount else {
            return plain && !negative ? .asWritten : .normalized([0x30])
        }
        var lastNonZero = digitCount - 1
        while digit(lastNonZero) == 0x30 { lastNonZero -= 1 }
        let point = integerCount + exponent
        let integerDigits = max(0, point - firstNonZero)
        if integerDigits > precision - scale { return .refused("is out of range for \(type)") }
        let decimals = max(0, lastNonZero + 1 - point)
        if decimals > scale {
            return .refused("has more than \(scale) decimal place\(scale == 1 ? "" : "s"), the most \(type) keeps")
        }
        if plain { return .asWritten }
        var out: [UInt8] = negative ? [0x2D] : []
        if integerDigits == 0 {
            out.append(0x30)
        } else {
            for position in firstNonZero..<point { out.append(position < digitCount ? digit(position) : 0x30) }
        }
        if decimals > 0 {
            out.append(0x2E)
            for position in point..<(point + decimals) { out.append(position >= 0 && position < digitCount ? digit(position) : 0x30) }
        }
        return .normalized(out)
    }

    // MARK: float64

    /// `[+-]?(digits[.digits]|.digits)([eE][+-]?digits)?` as a finite double. NaN, infinities
    /// and hexadecimal floats cannot be stored; a value too large is refused, and so is one too
    /// small to be anything but 0, rather than turn into 0. (`-0` is stored as 0: MariaDB's
    /// DOUBLE has no negative zero.)
    static func float(_ bytes: UnsafeBufferPointer<UInt8>) -> Checked {
        var index = sign(bytes).start
        var sawDigit = false
        var nonZero = false
        while index < bytes.count, isDigit(bytes[index]) {
            sawDigit = true
            if bytes[index] != 0x30 { nonZero = true }
            index += 1
        }
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) {
                sawDigit = true
                if bytes[index] != 0x30 { nonZero = true }
                index += 1
            }
        }
        guard sawDigit else {
            let word = String(decoding: bytes, as: UTF8.self).lowercased()
            if ["nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"].contains(word) {
                return .refused("must be a finite number: NaN and infinities cannot be stored")
            }
            return .refused("must be a number")
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            let start = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            guard index > start else { return .refused("must be a number") }
        }
        guard index == bytes.count else { return .refused("must be a number") }
        guard let value = Double(String(decoding: bytes, as: UTF8.self)) else { return .refused("must be a number") }
        guard value.isFinite else { return .refused("is out of range for float64") }
        if value == 0 && nonZero { return .refused("is too small for float64: it would be stored as 0") }
        // A + or a leading zero (`08123`) is another spelling of the double: send its own text.
        let start = sign(bytes).start
        let leadingZero = bytes.count > start + 1 && bytes[start] == 0x30 && isDigit(bytes[start + 1])
        if leadingZero { return .normalized(Array("\(value)".utf8)) }
        return bytes.first == 0x2B ? .normalized(Array(bytes.dropFirst())) : .asWritten
    }
}

extension NumberText {
    /// Whether `check` (a converter's) keeps `text` exactly as written.
    static func storedAsWritten(_ text: String, _ check: (UnsafeBufferPointer<UInt8>) -> Checked) -> Bool {
        var text = text
        return text.withUTF8 { check($0) } == .asWritten
    }
}
