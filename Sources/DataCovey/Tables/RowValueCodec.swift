import Foundation
import MariaDB

/// Converts between JSON row values and MariaDB values for each column type.
enum RowValueCodec {
    /// A JSON value as the bind for a column of `type`, or why it does not fit.
    static func bind(_ value: JSONValue, for type: ColumnType) -> Result<MariaDBValue, RowValueProblem> {
        if value == .null { return .success(.null) }
        switch (type, value) {
        case (.int64, .integer(let number)): return .success(.int(number))
        case (.float64, .integer(let number)): return .success(.double(Double(number)))
        case (.float64, .number(let number)) where number.isFinite: return .success(.double(number))
        case (.decimal, .integer(let number)): return text(String(number), for: type)
        case (.decimal, .number(let number)): return text(String(number), for: type)
        case (.bool, .bool(let flag)): return .success(.int(flag ? 1 : 0))
        case (.json, _):
            guard let data = try? JSONSerialization.data(withJSONObject: value.foundationObject, options: [.fragmentsAllowed, .sortedKeys]) else {
                return .failure(.init("is not encodable JSON"))
            }
            return .success(.text(String(decoding: data, as: UTF8.self)))
        case (_, .string(let string)): return text(string, for: type)
        default: return .failure(.init("must be \(expectation(type))"))
        }
    }

    /// A value given as text (query filters, parameters given as strings) for a column of
    /// `type`, by the converter every write path uses.
    static func text(_ text: String, for type: ColumnType) -> Result<MariaDBValue, RowValueProblem> {
        var text = text
        return text.withUTF8 { bytes in
            var sink = BindSink()
            if let problem = CellConverter.convert(.text(bytes), to: type, into: &sink) { return .failure(problem) }
            return .success(sink.value)
        }
    }

    /// A cell as the JSON value the API returns for a column of `type`.
    static func json(_ cell: MariaDBCell, for type: ColumnType) -> Any {
        switch (type, cell) {
        case (_, .null): return NSNull()
        case (.bool, .int(let number)): return number != 0
        case (.int64, .int(let number)): return number
        case (.float64, .double(let number)): return number
        case (.date, .dateTime(let value)):
            return String(format: "%04d-%02d-%02d", value.year, value.month, value.day)
        case (.timestamp, .dateTime(let value)):
            return value.date.map(Timestamp.format) ?? NSNull()
        case (.json, .bytes(let bytes, _)):
            return (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) ?? String(decoding: bytes, as: UTF8.self)
        case (_, .bytes(let bytes, _)):
            // Decimals stay strings so no precision is lost on the way to the client.
            return String(decoding: bytes, as: UTF8.self)
        case (_, .int(let number)): return number
        case (_, .uint(let number)): return number
        case (_, .double(let number)): return number
        case (_, .dateTime(let value)): return value.date.map(Timestamp.format) ?? NSNull()
        }
    }

    private static func expectation(_ type: ColumnType) -> String {
        switch type {
        case .int64: "an integer"
        case .float64: "a number"
        case .decimal(let precision, let scale): "a decimal(\(precision),\(scale)) as a string or number"
        case .bool: "true or false"
        case .string: "a string of at most 255 characters"
        case .text: "a string"
        case .date: "a date like 2026-11-25"
        case .timestamp: "a timestamp like 2026-11-26T08:00:00Z"
        case .json: "JSON"
        }
    }
}

struct RowValueProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
