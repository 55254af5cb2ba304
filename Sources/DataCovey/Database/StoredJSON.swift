import Foundation

/// The one JSON configuration for what the database keeps as JSON text — job options, query
/// parameters and their defaults, header mappings, history row images: member names exactly as
/// the types spell them (no key strategy: the stored text must read back whatever the API's
/// conventions become), keys sorted so equal values are equal text. What clients send and
/// receive goes through `JSON` instead.
enum StoredJSON {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
