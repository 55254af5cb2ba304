/// A strict RFC 8259 reader that checks JSON where it lies and never builds a tree: a value is
/// its kind, where it is in the bytes, and how deeply it nests. Rows keep what users wrote —
/// a json column stores the text as written, a number keeps its literal — so nothing is
/// re-encoded, and a line of NDJSON costs one pass with no allocation for ordinary values.
///
/// Nesting is followed with a stack of brackets, not recursion, so `[[[[…` of any depth is
/// read to its end and reported by depth (MariaDB's JSON stops at 31 levels) rather than
/// exhausting the stack.
struct JSONScanner {
    /// Why the bytes are not JSON, and where.
    struct Failure: Error, Equatable {
        let reason: String
        /// Byte offset in the scanned bytes.
        let offset: Int
    }

    enum Kind: Equatable {
        case null, bool(Bool), number, string, array, object
    }

    /// One scanned value.
    struct Value {
        let kind: Kind
        /// The value's bytes as written (a string's quotes included).
        let range: Range<Int>
        /// Nesting depth: 0 for a scalar, 1 for `[1]`, 2 for `[[1]]`.
        let depth: Int
        /// A string with escapes, whose content must be decoded before use.
        let hasEscapes: Bool
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Exactly one JSON value, with only whitespace around it.
    static func document(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> Value {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        let value = try scanner.value()
        scanner.skipWhitespace()
        guard scanner.index == bytes.count else { throw Failure(reason: "has more after the JSON value", offset: scanner.index) }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }

    var isAtEnd: Bool { index >= bytes.count }

    /// The byte at the cursor, if any.
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Steps over `byte` at the cursor, or fails naming what was expected.
    mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard index < bytes.count, bytes[index] == byte else { throw Failure(reason: "expected \(what)", offset: index) }
        index += 1
    }

    /// The value at the cursor (whitespace before it already skipped).
    mutating func value() throws(Failure) -> Value {
        guard index < bytes.count else { throw Failure(reason: "expected a value", offset: index) }
        switch bytes[index] {
        case 0x7B, 0x5B: return try composite()
        case 0x22: return try string()
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        case 0x2D, 0x30...0x39: return try number()
        default: throw Failure(reason: "expected a value", offset: index)
        }
    }

    /// Walks an object's members at the cursor: `body` gets each member's name (escapes
    /// resolved, valid only during the call) and value. A trailing comma is refused.
    mutating func members(_ body: (UnsafeBufferPointer<UInt8>, Value) throws -> Void) throws {
        try expect(0x7B, "an object")
        skipWhitespace()
        if current == 0x7D {
            index += 1
            return
        }
        var scratch: [UInt8] = []
        while true {
            skipWhitespace()
            guard current == 0x22 else {
                throw Failure(reason: current == 0x7D ? "has a trailing comma" : "expected a member name in quotes", offset: index)
            }
            let name = try string()
            skipWhitespace()
            try expect(0x3A, "':' after a member name")
            skipWhitespace()
            let member = try value()
            if name.hasEscapes {
                try decodedContent(of: name, into: &scratch)
                try scratch.withUnsafeBufferPointer { try body($0, member) }
            } else {
                try body(content(of: name), member)
            }
            skipWhitespace()
            if current == 0x2C {
                index += 1
                continue
            }
            try expect(0x7D, "',' or '}'")
            return
        }
    }

    /// Walks an array's elements at the cursor. A trailing comma is refused.
    mutating func elements(_ body: (inout JSONScanner) throws -> Void) throws {
        try expect(0x5B, "an array")
        skipWhitespace()
        if current == 0x5D {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            if current == 0x5D { throw Failure(reason: "has a trailing comma", offset: index) }
            try body(&self)
            skipWhitespace()
            if current == 0x2C {
                index += 1
                continue
            }
            try expect(0x5D, "',' or ']'")
            return
        }
    }

    /// The bytes of `value` as written.
    func literal(of value: Value) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[value.range])
    }

    /// A string's content between its quotes, as written (escapes not resolved).
    func content(of value: Value) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[(value.range.lowerBound + 1)..<(value.range.upperBound - 1)])
    }

    /// A string's content with its escapes resolved (surrogate pairs joined) into `out`.
    func decodedContent(of value: Value, into out: inout [UInt8]) throws(Failure) {
        out.removeAll(keepingCapacity: true)
        let raw = content(of: value)
        var position = 0
        func hex4() throws(Failure) -> UInt32 {
            guard raw.count - position >= 4 else { throw Failure(reason: "has a bad \\u escape", offset: value.range.lowerBound) }
            var scalar: UInt32 = 0
            for _ in 0..<4 {
                let byte = raw[position]
                position += 1
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: throw Failure(reason: "has a bad \\u escape", offset: value.range.lowerBound)
                }
                scalar = scalar << 4 | UInt32(digit)
            }
            return scalar
        }
        while position < raw.count {
            let byte = raw[position]
            position += 1
            guard byte == 0x5C else {
                out.append(byte)
                continue
            }
            let escape = raw[position]
            position += 1
            switch escape {
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard raw.count - position >= 6, raw[position] == 0x5C, raw[position + 1] == 0x75 else {
                        throw Failure(reason: "has a lone surrogate in a \\u escape", offset: value.range.lowerBound)
                    }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw Failure(reason: "has a lone surrogate in a \\u escape", offset: value.range.lowerBound)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw Failure(reason: "has a lone surrogate in a \\u escape", offset: value.range.lowerBound)
                }
                guard let unicode = Unicode.Scalar(scalar) else {
                    throw Failure(reason: "has a bad \\u escape", offset: value.range.lowerBound)
                }
                out.append(contentsOf: String(Character(unicode)).utf8)
            default:
                // `"`, `\` and `/` stand for themselves; the scan let no other escape through.
                out.append(escape)
            }
        }
    }

    // MARK: Scanners

    private mutating func literal(_ word: StaticString, _ kind: Kind) throws(Failure) -> Value {
        let start = index
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw Failure(reason: "expected a value", offset: index) }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw Failure(reason: "expected a value", offset: index)
        }
        index += count
        return Value(kind: kind, range: start..<index, depth: 0, hasEscapes: false)
    }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`
    private mutating func number() throws(Failure) -> Value {
        let start = index
        if bytes[index] == 0x2D { index += 1 }
        guard index < bytes.count else { throw Failure(reason: "has a malformed number", offset: start) }
        if bytes[index] == 0x30 {
            index += 1
            if index < bytes.count, NumberText.isDigit(bytes[index]) {
                throw Failure(reason: "has a number with a leading zero", offset: start)
            }
        } else if NumberText.isDigit(bytes[index]) {
            while index < bytes.count, NumberText.isDigit(bytes[index]) { index += 1 }
        } else {
            throw Failure(reason: "has a malformed number", offset: start)
        }
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            let digits = index
            while index < bytes.count, NumberText.isDigit(bytes[index]) { index += 1 }
            guard index > digits else { throw Failure(reason: "has a malformed number", offset: start) }
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            let digits = index
            while index < bytes.count, NumberText.isDigit(bytes[index]) { index += 1 }
            guard index > digits else { throw Failure(reason: "has a malformed number", offset: start) }
        }
        return Value(kind: .number, range: start..<index, depth: 0, hasEscapes: false)
    }

    /// A string: escapes checked, raw bytes valid UTF-8, no control characters.
    private mutating func string() throws(Failure) -> Value {
        let start = index
        index += 1
        var escapes = false
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 { break }
            if byte < 0x20 { throw Failure(reason: "has a control character inside a string", offset: index) }
            if byte >= 0x80 { ascii = false }
            if byte == 0x5C {
                escapes = true
                guard index + 1 < bytes.count else { break }
                switch bytes[index + 1] {
                case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: index += 2
                case 0x75:
                    guard index + 5 < bytes.count, (2...5).allSatisfy({ Self.isHexDigit(bytes[index + $0]) }) else {
                        throw Failure(reason: "has a bad \\u escape", offset: index)
                    }
                    index += 6
                default: throw Failure(reason: "has an unknown escape \\\(Character(Unicode.Scalar(bytes[index + 1])))", offset: index)
                }
                continue
            }
            index += 1
        }
        guard index < bytes.count else { throw Failure(reason: "has an unterminated string", offset: start) }
        index += 1
        if !ascii {
            let raw = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<(index - 1)])
            guard String(decoding: raw, as: UTF8.self).utf8.elementsEqual(raw) else {
                throw Failure(reason: "is not valid UTF-8", offset: start)
            }
        }
        let scanned = Value(kind: .string, range: start..<index, depth: 0, hasEscapes: escapes)
        if escapes {
            // Surrogates are checked now, so a string that passed the scan always decodes.
            var scratch: [UInt8] = []
            try decodedContent(of: scanned, into: &scratch)
        }
        return scanned
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        NumberText.isDigit(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// An array or object, checked to its end with a stack of open brackets.
    private mutating func composite() throws(Failure) -> Value {
        let start = index
        let kind: Kind = bytes[index] == 0x7B ? .object : .array
        var open: [UInt8] = []
        var deepest = 0
        // Each turn reads one value (opening a container, or a scalar), then what follows it.
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw Failure(reason: "ends before the JSON value is closed", offset: index) }
            let byte = bytes[index]
            if byte == 0x7B || byte == 0x5B {
                open.append(byte)
                deepest = max(deepest, open.count)
                index += 1
                skipWhitespace()
                let close: UInt8 = byte == 0x7B ? 0x7D : 0x5D
                if current == close {
                    index += 1
                    open.removeLast()
                } else {
                    if byte == 0x7B { try memberName() }
                    continue
                }
            } else {
                _ = try value()
            }
            // After a value: a comma and the next one, or closing brackets.
            while let top = open.last {
                skipWhitespace()
                let close: UInt8 = top == 0x7B ? 0x7D : 0x5D
                if current == 0x2C {
                    index += 1
                    skipWhitespace()
                    if current == close { throw Failure(reason: "has a trailing comma", offset: index) }
                    if top == 0x7B { try memberName() }
                    break
                }
                guard current == close else {
                    throw Failure(reason: index < bytes.count ? "expected ',' or '\(Character(Unicode.Scalar(close)))'"
                                                              : "ends before the JSON value is closed", offset: index)
                }
                index += 1
                open.removeLast()
            }
            if open.isEmpty { return Value(kind: kind, range: start..<index, depth: deepest, hasEscapes: false) }
        }
    }

    /// `"name" :` inside an object being scanned.
    private mutating func memberName() throws(Failure) {
        skipWhitespace()
        guard current == 0x22 else { throw Failure(reason: "expected a member name in quotes", offset: index) }
        _ = try string()
        skipWhitespace()
        try expect(0x3A, "':' after a member name")
    }
}
