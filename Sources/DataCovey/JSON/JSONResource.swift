import Foundation

/// A resource whose JSON comes from one description: its fields in name order (the order
/// `JSON.encode` sorts keys into), each a name as the API shows it and the value to write. From that list come both its `Encodable` conformance (every
/// field present, `null` when absent) and the fast writer the list endpoints use, so the two
/// cannot drift apart; OpenAPIDocumentTests checks the same output against the schema.
public protocol JSONResource: Encodable, JSONWritable {
    static var jsonFields: [JSONField<Self>] { get }
}

extension JSONResource {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: JSONFieldKey.self)
        for field in Self.jsonFields { try field.encode(self, &container) }
    }

    public func writeJSON(_ writer: inout JSONWriter) {
        writer.beginObject()
        for field in Self.jsonFields { field.write(self, &writer) }
        writer.endObject()
    }
}

/// One field of a resource's JSON.
public struct JSONField<Resource>: @unchecked Sendable {
    let name: String
    let encode: (Resource, inout KeyedEncodingContainer<JSONFieldKey>) throws -> Void
    let write: (Resource, inout JSONWriter) -> Void

    private init<Value: Encodable>(_ name: String, _ path: KeyPath<Resource, Value>, write: @escaping (Value, inout JSONWriter) -> Void) {
        self.name = name
        let key = JSONFieldKey(name)
        self.encode = { resource, container in try container.encode(resource[keyPath: path], forKey: key) }
        // `"name":` once, not per row.
        var quoted: [UInt8] = [0x22]
        quoted.append(contentsOf: name.utf8)
        quoted.append(contentsOf: [0x22, 0x3A])
        let keyBytes = quoted
        self.write = { resource, writer in
            writer.key(bytes: keyBytes)
            write(resource[keyPath: path], &writer)
        }
    }

    static func field(_ name: String, _ path: KeyPath<Resource, Int64>) -> Self { .init(name, path) { $1.value($0) } }
    static func field(_ name: String, _ path: KeyPath<Resource, Int64?>) -> Self { .init(name, path) { $1.value($0) } }
    static func field(_ name: String, _ path: KeyPath<Resource, Int>) -> Self { .init(name, path) { $1.value(Int64($0)) } }
    static func field(_ name: String, _ path: KeyPath<Resource, String>) -> Self { .init(name, path) { $1.value($0) } }
    static func field(_ name: String, _ path: KeyPath<Resource, String?>) -> Self { .init(name, path) { $1.value($0) } }
    static func field(_ name: String, _ path: KeyPath<Resource, Bool>) -> Self { .init(name, path) { $1.value($0) } }
    static func field(_ name: String, _ path: KeyPath<Resource, Date>) -> Self { .init(name, path) { $1.value($0) } }
    static func field(_ name: String, _ path: KeyPath<Resource, Date?>) -> Self {
        .init(name, path) { date, writer in
            if let date { writer.value(date) } else { writer.null() }
        }
    }
    /// A list of described resources (a table's columns): each written by its own fields, not
    /// through JSONEncoder.
    static func field<Element: JSONResource>(_ name: String, _ path: KeyPath<Resource, [Element]>) -> Self {
        .init(name, path) { elements, writer in
            writer.beginArray()
            for element in elements { element.writeJSON(&writer) }
            writer.endArray()
        }
    }
    /// Any other value (an enum, a nested object, a Double): written the way `JSON.encode`
    /// writes it, so both paths still agree.
    static func field<Value: Encodable>(_ name: String, _ path: KeyPath<Resource, Value>) -> Self {
        .init(name, path) { value, writer in writer.encoded(value) }
    }
}

/// The key of a described field.
public struct JSONFieldKey: CodingKey {
    public let stringValue: String
    init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public var intValue: Int? { nil }
    public init?(intValue: Int) { nil }
}
