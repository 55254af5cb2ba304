import Foundation
import MariaDB

/// Converts between JSON row values and MariaDB values for each column type.
enum RowValueCodec {
    /// A JSON value (a query parameter, a saved query's default) as the bind for a column of
    /// `type`, by the converter every write path uses, so `1` fits a bool here as it does in a
    /// row. The value arrives decoded (`JSONValue`), so a number's literal is its shortest text.
    static func bind(_ value: JSONValue, for type: ColumnType) -> Result<MariaDBValue, RowValueProblem> {
        func converted(_ input: CellInput) -> Result<MariaDBValue, RowValueProblem> {
            var sink = BindSink()
            if let problem = CellConverter.convert(input, to: type, into: &sink) { return .failure(problem) }
            return .success(sink.value)
        }
        func literal(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result<MariaDBValue, RowValueProblem>)
            -> Result<MariaDBValue, RowValueProblem> {
            var text = text
            return text.withUTF8(body)
        }
        switch value {
        case .null:
            return .success(.null)
        case .bool(let flag):
            return converted(.jsonBool(flag))
        case .integer(let number):
            return literal(String(number)) { converted(.jsonNumber($0)) }
        case .number(let number):
            guard number.isFinite else { return .failure(.init("must be a finite number")) }
            return literal("\(number)") { converted(.jsonNumber($0)) }
        case .string(let string):
            // The JSON string's content is what every type but json reads; json keeps the literal.
            let quoted = String(decoding: (try? JSONSerialization.data(withJSONObject: string, options: [.fragmentsAllowed])) ?? Data(), as: UTF8.self)
            return literal(string) { content in literal(quoted) { converted(.jsonString(content: content, literal: $0)) } }
        case .array, .object:
            guard let data = try? JSONSerialization.data(withJSONObject: value.foundationObject, options: [.fragmentsAllowed, .sortedKeys]) else {
                return .failure(.init("is not encodable JSON"))
            }
            let text = String(decoding: data, as: UTF8.self)
            return literal(text) { bytes in
                guard let depth = try? JSONScanner.document(bytes).depth else { return .failure(.init("is not encodable JSON")) }
                return converted(.jsonComposite(literal: bytes, depth: depth))
            }
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
        switch (type.kind.cellKind, cell) {
        case (_, .null): return NSNull()
        case (.bool, .int(let number)): return number != 0
        case (.integer, .int(let number)): return number
        case (.double, .double(let number)): return number
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
}

struct RowValueProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
