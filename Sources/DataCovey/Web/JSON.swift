import Foundation

/// The JSON conventions of the public contract: snake_case fields, RFC 3339 UTC timestamps.
public enum JSON {
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an RFC 3339 timestamp")
            }
            return date
        }
        return try decoder.decode(type, from: Data(bytes))
    }
}

/// RFC 3339 timestamps in UTC with milliseconds, e.g. `2026-11-25T17:47:18.123Z`.
public enum Timestamp {
    // ISO8601DateFormatter is not Sendable; every use goes through `lock`.
    nonisolated(unsafe) private static let formatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }()
    nonisolated(unsafe) private static let plainFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()
    private static let lock = NSLock()

    public static func format(_ date: Date) -> String {
        lock.withLock { formatter.string(from: date) }
    }

    public static func parse(_ text: String) -> Date? {
        lock.withLock { formatter.date(from: text) ?? plainFormatter.date(from: text) }
    }
}
