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
        ByteText.jsonString(text.utf8, into: &bytes)
        needsComma = true
    }

    mutating func value(_ number: Int64?) {
        separate()
        guard let number else { return null() }
        ByteText.integer(number, into: &bytes)
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
