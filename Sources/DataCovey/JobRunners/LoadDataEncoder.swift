import MariaDB

/// Writes rows in the text format `LOAD DATA … FIELDS TERMINATED BY '\t' ESCAPED BY '\\'
/// LINES TERMINATED BY '\n'` reads: NULL is `\N`, and a backslash, tab, newline, carriage
/// return or NUL inside a value is escaped, so any value survives the trip byte for byte.
struct LoadDataEncoder {
    private(set) var bytes: [UInt8] = []

    /// The clause that matches this encoding.
    static let clause = "CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'"

    init(capacity: Int = 1 << 20) { bytes.reserveCapacity(capacity) }

    mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }

    /// Appends one row: values in column order.
    mutating func append(row values: [MariaDBValue]) {
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(0x09) }
            append(value)
        }
        bytes.append(0x0A)
    }

    /// How many bytes are buffered: a row's start, to drop it again if it turns out bad.
    var count: Int { bytes.count }
    mutating func truncate(to count: Int) { bytes.removeSubrange(count...) }

    mutating func appendTab() { bytes.append(0x09) }
    mutating func appendNewline() { bytes.append(0x0A) }
    mutating func appendNull() {
        bytes.append(0x5C)
        bytes.append(0x4E)
    }
    /// The "absent" flag after a defaulted column's value (see ImportLoadStream.statement).
    mutating func appendAbsentFlag(_ absent: Bool) {
        bytes.append(0x09)
        bytes.append(absent ? 0x31 : 0x30)
    }
    /// Bytes that need no escaping (checked digits, signs, points, dashes).
    mutating func appendPlain(_ raw: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: raw) }
    mutating func appendPlain(_ byte: UInt8) { bytes.append(byte) }

    /// One row of values in target column order (nil = absent: the default applies).
    mutating func append(row values: [MariaDBValue?], target: ImportTarget) {
        for (index, (column, value)) in zip(target.columns, values).enumerated() {
            if index > 0 { appendTab() }
            append(value ?? .null)
            if column.hasDefault { appendAbsentFlag(value == nil) }
        }
        appendNewline()
    }

    mutating func append(_ value: MariaDBValue) {
        switch value {
        case .null: appendNull()
        case .int(let number): ByteText.integer(number, into: &bytes)
        case .uint(let number): bytes.append(contentsOf: String(number).utf8)
        case .double(let number): bytes.append(contentsOf: "\(number)".utf8)
        case .text(let text): appendEscaped(text.utf8)
        case .bytes(let raw): appendEscaped(raw)
        case .dateTime(let t): ByteText.dateTime(t, separator: 0x20, fractionDigits: 6, into: &bytes)
        }
    }

    mutating func appendEscaped(_ raw: some Sequence<UInt8>) {
        for byte in raw { appendEscaped(byte) }
    }

    /// The import's hot path: runs of bytes that need no escaping (nearly all of a text) are
    /// copied whole rather than a byte at a time.
    mutating func appendEscaped(_ raw: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<raw.count {
            let byte = raw[index]
            guard byte == 0x5C || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x00 else { continue }
            if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart..<index])) }
            appendEscaped(byte)
            runStart = index + 1
        }
        if raw.count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: raw[runStart...])) }
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        let escaped: UInt8
        switch byte {
        case 0x5C: escaped = 0x5C
        case 0x09: escaped = 0x74
        case 0x0A: escaped = 0x6E
        case 0x0D: escaped = 0x72
        case 0x00: escaped = 0x30
        default:
            bytes.append(byte)
            return
        }
        bytes.append(0x5C)
        bytes.append(escaped)
    }
}
