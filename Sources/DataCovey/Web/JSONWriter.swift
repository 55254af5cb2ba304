import Foundation
import MariaDB

/// A resource that writes its own JSON. The list endpoints are the hot path, where
/// JSONEncoder's generic machinery (a tree of boxed values, key strategies, sorting) costs
/// more than the database round trip. Keys go in sorted order with the same escaping as
/// `JSON.encode`, so both give the same bytes (JSONWriterTests compares them).
protocol JSONWritable {
    func writeJSON(_ writer: inout JSONWriter)
}

struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() {
        separate()
        bytes.append(0x7B)
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(0x7D)
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(0x5B)
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(0x5D)
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

    mutating func value(_ text: String?) {
        separate()
        guard let text else { return null() }
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x08: bytes.append(contentsOf: [0x5C, 0x62])
            case 0x0C: bytes.append(contentsOf: [0x5C, 0x66])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
        needsComma = true
    }

    mutating func value(_ number: Int64?) {
        separate()
        guard let number else { return null() }
        bytes.append(contentsOf: String(number).utf8)
        needsComma = true
    }

    mutating func value(_ flag: Bool) {
        separate()
        bytes.append(contentsOf: flag ? Array("true".utf8) : Array("false".utf8))
        needsComma = true
    }

    /// `"2026-11-25T17:47:18.123Z"`, digit by digit: the same text as `Timestamp.format`, without
    /// the Strings (a list of 20 writes 40 of them).
    mutating func value(_ date: Date) {
        separate()
        let t = MariaDBDateTime(date)
        bytes.append(0x22)
        digits(t.year, 4); bytes.append(0x2D); digits(t.month, 2); bytes.append(0x2D); digits(t.day, 2)
        bytes.append(0x54)
        digits(t.hour, 2); bytes.append(0x3A); digits(t.minute, 2); bytes.append(0x3A); digits(t.second, 2)
        bytes.append(0x2E); digits(t.microsecond / 1000, 3)
        bytes.append(contentsOf: [0x5A, 0x22])
        needsComma = true
    }

    private mutating func digits(_ number: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = number
        while divisor > 0 {
            bytes.append(0x30 + UInt8((rest / divisor) % 10))
            rest %= divisor
            divisor /= 10
        }
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
    func writeJSON(_ writer: inout JSONWriter) {
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

extension Project: JSONWritable {
    func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("created_at"); writer.value(createdAt)
        writer.key("created_by"); writer.value(createdBy)
        writer.key("description"); writer.value(description)
        writer.key("id"); writer.value(id)
        writer.key("name"); writer.value(name)
        writer.key("updated_at"); writer.value(updatedAt)
        writer.key("version"); writer.value(version)
        writer.endObject()
    }
}

extension Dataset: JSONWritable {
    func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("created_at"); writer.value(createdAt)
        writer.key("created_by"); writer.value(createdBy)
        writer.key("description"); writer.value(description)
        writer.key("id"); writer.value(id)
        writer.key("name"); writer.value(name)
        writer.key("project_id"); writer.value(projectID)
        writer.key("updated_at"); writer.value(updatedAt)
        writer.key("version"); writer.value(version)
        writer.endObject()
    }
}
