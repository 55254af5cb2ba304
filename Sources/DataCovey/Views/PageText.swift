import Foundation

/// How pages write values: one date format and one way to show a JSON value, for every page.
extension Pages {
    private static let dateFormat: DateFormatter = {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return format
    }()

    /// `2026-11-26 14:07 UTC`.
    static func date(_ date: Date) -> String { dateFormat.string(from: date) }

    /// A JSON value as text: scalars as themselves, null as empty, arrays and objects as JSON.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .array, .object: (try? String(decoding: JSON.encode(value), as: UTF8.self)) ?? ""
        }
    }
}
