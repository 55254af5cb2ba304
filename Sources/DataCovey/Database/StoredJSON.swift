/// What the database keeps as JSON text — job options, query parameters and their defaults,
/// header mappings, history row images — in `JSON.Literal`'s configuration: member names
/// exactly as the types spell them (the stored text must read back whatever the API's
/// conventions become), keys sorted so equal values are equal text. What clients send and
/// receive goes through `JSON` instead.
enum StoredJSON {
    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSON.Literal.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSON.Literal.decode(type, from: Array(text.utf8))
    }
}
