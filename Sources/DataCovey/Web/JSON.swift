import Foundation
import MariaDB

/// The JSON conventions of the public contract: snake_case fields, RFC 3339 UTC timestamps.
/// Resources are written from their `JSONField` lists (see JSONResource); this configuration
/// is for the request bodies and the few small answers that are not resources. `JSON.Literal`
/// is the one other configuration, for formats whose member names are not ours to convert.
public enum JSON {
    /// Member names exactly as the types spell them, keys sorted so equal values are equal text:
    /// what the database keeps (`StoredJSON`), and formats defined elsewhere — JOSE headers and
    /// claims, JWKS documents, the sign-in cookie, audit records as stored.
    public enum Literal {
        public static func encode(_ value: some Encodable) throws -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return Array(try encoder.encode(value))
        }

        public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>,
                                                userInfo: [CodingUserInfoKey: any Sendable] = [:]) throws -> T {
            let decoder = JSONDecoder()
            decoder.userInfo = userInfo
            return try decoder.decode(type, from: Data(bytes))
        }
    }

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
    /// Formatted by hand: ISO8601DateFormatter is slow and not thread-safe, and every row of a
    /// list carries two timestamps.
    public static func format(_ date: Date) -> String {
        let moment = MariaDBDateTime(date)
        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int, width: Int) {
            let digits = String(value)
            if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
            text += digits
        }
        append(moment.year, width: 4)
        text += "-"
        append(moment.month, width: 2)
        text += "-"
        append(moment.day, width: 2)
        text += "T"
        append(moment.hour, width: 2)
        text += ":"
        append(moment.minute, width: 2)
        text += ":"
        append(moment.second, width: 2)
        text += "."
        append(moment.microsecond / 1000, width: 3)
        text += "Z"
        return text
    }

    /// RFC 3339 (or the SQL form, as UTC), by the same parser imports use.
    public static func parse(_ text: String) -> Date? {
        TimestampText.parse(text)?.date
    }
}
