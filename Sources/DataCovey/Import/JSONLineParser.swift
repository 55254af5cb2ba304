/// A strict RFC 8259 parser for one NDJSON line, producing `JSONValue` with the same rules as
/// its Decodable form (an integer that fits is `.integer`, any other number `.number`; `true`
/// is never a number). Written by hand because JSONDecoder handled about 90,000 lines a second,
/// far too slow for an import of millions.
struct JSONLineParser {
    enum Failure: Error { case invalid }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// Nesting is bounded so a line of `[[[[…` cannot exhaust the stack.
    private static let maximumDepth = 512

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The single JSON value the bytes hold (whitespace around it allowed), or nil.
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONLineParser(buffer)
            do {
                parser.skipWhitespace()
                let value = try parser.value(depth: 0)
                parser.skipWhitespace()
                return parser.index == buffer.count ? value : nil
            } catch {
                return nil
            }
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
            index += 1
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard index < bytes.count, depth < Self.maximumDepth else { throw .invalid }
        switch bytes[index] {
        case 0x7B: return try object(depth: depth)
        case 0x5B: return try array(depth: depth)
        case 0x22: return .string(try string())
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw .invalid }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw .invalid }
        index += count
    }

    private mutating func object(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == 0x7D {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x22 else { throw .invalid }
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x3A else { throw .invalid }
            index += 1
            skipWhitespace()
            members[key] = try value(depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw .invalid }
            if bytes[index] == 0x2C { index += 1; continue }
            guard bytes[index] == 0x7D else { throw .invalid }
            index += 1
            return .object(members)
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JSONValue {
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == 0x5D {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw .invalid }
            if bytes[index] == 0x2C { index += 1; continue }
            guard bytes[index] == 0x5D else { throw .invalid }
            index += 1
            return .array(elements)
        }
    }

    /// A string's content: escapes resolved (surrogate pairs joined), raw bytes valid UTF-8.
    private mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        var simple = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 { break }
            if byte < 0x20 { throw .invalid }
            if byte == 0x5C { simple = false; index += 2; continue }
            index += 1
        }
        guard index < bytes.count else { throw .invalid }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        if simple {
            let text = String(decoding: raw, as: UTF8.self)
            guard raw.allSatisfy({ $0 < 0x80 }) || text.utf8.elementsEqual(raw) else { throw .invalid }
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var position = 0
        func hex4() throws(Failure) -> UInt32 {
            guard raw.count - position >= 4 else { throw .invalid }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = raw[position]
                position += 1
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: throw .invalid
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while position < raw.count {
            let byte = raw[position]
            position += 1
            guard byte == 0x5C else { out.append(byte); continue }
            guard position < raw.count else { throw .invalid }
            let escape = raw[position]
            position += 1
            switch escape {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard raw.count - position >= 6, raw[position] == 0x5C, raw[position + 1] == 0x75 else { throw .invalid }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw .invalid }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw .invalid
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw .invalid }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default: throw .invalid
            }
        }
        let text = String(decoding: out, as: UTF8.self)
        guard text.utf8.elementsEqual(out) else { throw .invalid }
        return text
    }

    /// `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`: `.integer` when its value is integral and fits
    /// Int64 (digits are read exactly), `.number` otherwise.
    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        if index < bytes.count, bytes[index] == 0x2D { index += 1 }
        guard index < bytes.count else { throw .invalid }
        if bytes[index] == 0x30 {
            index += 1
        } else if (0x31...0x39).contains(bytes[index]) {
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
        } else {
            throw .invalid
        }
        var integral = true
        if index < bytes.count, bytes[index] == 0x2E {
            integral = false
            index += 1
            let digits = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw .invalid }
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {
            integral = false
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            let digits = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw .invalid }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let integer = Int64(text) { return .integer(integer) }
        guard let double = Double(text), double.isFinite else { throw .invalid }
        // As JSONDecoder decodes JSONValue: any integral value that fits (1E+2, 0.0) is an integer.
        if let integer = Int64(exactly: double) { return .integer(integer) }
        return .number(double)
    }
}
