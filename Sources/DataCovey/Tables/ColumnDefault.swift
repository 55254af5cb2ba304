import Foundation

/// A column default as JSON gives it (`"default": 0`, `"EUR"`, `true`).
enum JSONScalar: Decodable, Equatable, Sendable {
    case string(String)
    case number(Double, text: String)
    case bool(Bool)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number, text: number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        } else {
            self = .string(try container.decode(String.self))
        }
    }
}

/// Checks a default against its column's type and renders it as a DDL literal. DDL cannot take
/// binds, so every literal is either a canonical number or a hex string (`_utf8mb4 X'…'`) that no
/// input can break out of.
enum ColumnDefault {
    /// The DDL literal and the metadata's text of a default.
    typealias Literal = (sql: String, stored: String)

    /// The literal for the DDL and the text for the metadata, or a message for the field error;
    /// each column type checks its own defaults (`ColumnKind.defaultLiteral`).
    static func literal(_ value: JSONScalar, for type: ColumnType) -> Result<Literal, DefaultProblem> {
        type.kind.defaultLiteral(value)
    }

    /// A default of the wrong JSON kind for the column.
    static func mismatch(_ type: some ColumnKind) -> Result<Literal, DefaultProblem> {
        .failure(.init("does not match the column type \(type.name)"))
    }

    /// For types that take no default (text and json: MariaDB has no literal defaults for them).
    static func notSettable(_ type: some ColumnKind) -> Result<Literal, DefaultProblem> {
        .failure(.init("cannot be set for \(type.name) columns"))
    }

    struct DefaultProblem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    static func decimal(_ text: String, precision: Int, scale: Int) -> Result<Literal, DefaultProblem> {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts[0].hasPrefix("-") ? parts[0].dropFirst() : parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count <= 2, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
              fraction.count <= scale, whole.count <= precision - scale else {
            return .failure(.init("must be a decimal with at most \(precision - scale) digits before and \(scale) after the point"))
        }
        return .success((text, text))
    }

    /// `YYYY-MM-DD` naming a day that exists (MariaDB's LOAD DATA would store a warning's zero
    /// date for 2026-02-30 rather than refuse it, so the calendar is checked here).
    static func isDate(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { TimestampText.date($0) } == true
    }

    /// Whether the day exists in the proleptic Gregorian calendar (years 1–9999).
    static func isValidDay(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = month == 2 ? (isLeap ? 29 : 28) : (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31)
        return day <= days
    }

    /// Text as a literal nothing can break out of: `_utf8mb4 X'…'`.
    static func hex(_ text: String) -> String { hex(bytes: text.utf8) }

    static func hex(bytes: some Sequence<UInt8>) -> String {
        "_utf8mb4 X'" + bytes.map { String(format: "%02X", $0) }.joined() + "'"
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
