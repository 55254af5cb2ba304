import MariaDB

/// Numbers, timestamps and JSON strings written straight into a byte buffer. The JSON writer,
/// the LOAD DATA encoder and the export encoder each write millions of values, and a String
/// per value was their largest cost; they share these instead of three copies.
enum ByteText {
    static func integer(_ number: Int64, into out: inout [UInt8]) {
        if number < 0 {
            guard number != .min else { return out.append(contentsOf: String(number).utf8) }
            out.append(0x2D)
            return integer(-number, into: &out)
        }
        if number >= 10 { integer(number / 10, into: &out) }
        out.append(0x30 + UInt8(number % 10))
    }

    /// `number` in exactly `width` digits, zero-padded.
    static func padded(_ number: Int, width: Int, into out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = number
        while divisor > 0 {
            out.append(0x30 + UInt8((rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// `YYYY-MM-DD<separator>HH:MM:SS.<fraction>`: `fractionDigits` 6 (microseconds) or 3.
    static func dateTime(_ t: MariaDBDateTime, separator: UInt8, fractionDigits: Int, into out: inout [UInt8]) {
        padded(t.year, width: 4, into: &out); out.append(0x2D)
        padded(t.month, width: 2, into: &out); out.append(0x2D)
        padded(t.day, width: 2, into: &out); out.append(separator)
        padded(t.hour, width: 2, into: &out); out.append(0x3A)
        padded(t.minute, width: 2, into: &out); out.append(0x3A)
        padded(t.second, width: 2, into: &out); out.append(0x2E)
        padded(fractionDigits == 6 ? t.microsecond : t.microsecond / 1000, width: fractionDigits, into: &out)
    }

    /// A JSON string with JSONEncoder's escaping (`"`, `\`, the short forms, `\u00xx`).
    /// Runs without anything to escape are copied whole: query answers and exports write
    /// hundreds of thousands of strings, and byte-by-byte appends dominated their time.
    static func jsonString(_ bytes: some Sequence<UInt8>, into out: inout [UInt8]) {
        out.append(0x22)
        let copied: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            var start = 0
            for index in 0..<buffer.count where needsEscape(buffer[index]) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
                appendEscaped(buffer[index], into: &out)
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<buffer.count]))
        }
        if copied == nil {
            for byte in bytes {
                if needsEscape(byte) { appendEscaped(byte, into: &out) } else { out.append(byte) }
            }
        }
        out.append(0x22)
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    private static func appendEscaped(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        case 0x08: out.append(contentsOf: [0x5C, 0x62])
        case 0x0C: out.append(contentsOf: [0x5C, 0x66])
        default:
            out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]])
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
