import Foundation
import MariaDB

/// A resource that writes its own JSON. The list endpoints are the hot path, where
/// JSONEncoder's generic machinery (a tree of boxed values, key strategies, sorting) costs
/// more than the database round trip. Keys go in sorted order with the same escaping as
/// `JSON.encode`, so both give the same bytes (JSONWriterTests compares them).
public protocol JSONWritable {
    func writeJSON(_ writer: inout JSONWriter)
}

public struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() { open(0x7B) }
    mutating func endObject() { close(0x7D) }
    mutating func beginArray() { open(0x5B) }
    mutating func endArray() { close(0x5D) }

    private mutating func open(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        needsComma = true
    }

    /// A key; the value written next belongs to it.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(0x22)
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [0x22, 0x3A])
        needsComma = false
    }

    /// A key already quoted with its colon (`"name":`), as a described field keeps it (its
    /// name is plain ASCII: nothing to escape).
    mutating func key(bytes quoted: [UInt8]) {
        separate()
        bytes.append(contentsOf: quoted)
        needsComma = false
    }

    /// A key only known at run time (log metadata), escaped like any string.
    mutating func key(_ name: String) {
        separate()
        ByteText.jsonString(name.utf8, into: &bytes)
        bytes.append(0x3A)
        needsComma = false
    }

    /// A value as `JSON.encode` writes it, for the types the writer has no fast path for.
    mutating func encoded(_ value: some Encodable) {
        separate()
        bytes.append(contentsOf: (try? JSON.encode(value)) ?? Array("null".utf8))
        needsComma = true
    }

    mutating func value(_ text: String?) {
        separate()
        guard let text else { return null() }
        ByteText.jsonString(text.utf8, into: &bytes)
        needsComma = true
    }

    mutating func value(_ number: Int64?) {
        separate()
        guard let number else { return null() }
        ByteText.integer(number, into: &bytes)
        needsComma = true
    }

    /// A finite number in Swift's shortest round-tripping form (valid JSON); null otherwise.
    mutating func value(_ number: Double) {
        separate()
        guard number.isFinite else { return null() }
        bytes.append(contentsOf: number.description.utf8)
        needsComma = true
    }

    mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        needsComma = true
    }

    /// `"2026-11-25T17:47:18.123Z"`: the same text as `Timestamp.format`, without the String
    /// (a list of 20 writes 40 of them).
    mutating func value(_ date: Date) {
        separate()
        bytes.append(0x22)
        ByteText.dateTime(MariaDBDateTime(date), separator: 0x54, fractionDigits: 3, into: &bytes)
        bytes.append(contentsOf: [0x5A, 0x22])
        needsComma = true
    }

    mutating func null() {
        separate()
        bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        needsComma = true
    }

    private mutating func separate() {
        if needsComma {
            bytes.append(0x2C)
            needsComma = false
        }
    }
}

extension ListPage: JSONWritable where Item: JSONWritable {
    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("items")
        writer.beginArray()
        for item in items { item.writeJSON(&writer) }
        writer.endArray()
        writer.key("next_cursor")
        writer.value(nextCursor)
        writer.endObject()
    }
}
