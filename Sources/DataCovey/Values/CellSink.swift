import MariaDB

/// Where a converted cell goes: the `LOAD DATA` stream of an import, or a bind of an `INSERT`.
/// The converter hands over exact text (digits as written or normalized, never a Double), so
/// both destinations store the same value.
protocol CellSink {
    /// Text that needs no escaping: checked digits, signs, points, dashes, colons.
    mutating func appendPlain(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Any UTF-8 text (strings, JSON), escaped as the destination needs.
    mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>)
    mutating func appendBool(_ value: Bool)
    mutating func appendDateTime(_ value: MariaDBDateTime)
}

extension CellSink {
    mutating func appendPlain(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { appendPlain($0) }
    }
}

extension LoadDataEncoder: CellSink {
    mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) { appendEscaped(bytes) }
    mutating func appendBool(_ value: Bool) { appendPlain(value ? 0x31 : 0x30) }
    mutating func appendDateTime(_ value: MariaDBDateTime) { append(.dateTime(value)) }
}

/// One converted cell as a statement bind, for the rows API.
struct BindSink: CellSink {
    private(set) var value: MariaDBValue = .null

    mutating func appendPlain(_ bytes: UnsafeBufferPointer<UInt8>) { value = .text(String(decoding: bytes, as: UTF8.self)) }
    mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) { value = .text(String(decoding: bytes, as: UTF8.self)) }
    mutating func appendBool(_ flag: Bool) { value = .int(flag ? 1 : 0) }
    mutating func appendDateTime(_ moment: MariaDBDateTime) { value = .dateTime(moment) }
}
