import MariaDB

/// The write paths' converters (CSV and NDJSON imports, the rows API): a cell is stored exactly
/// as written, or refused with a reason a person can act on. Nothing is rounded through a
/// Double, cut to length, clamped or quietly dropped. Each column type's own converter, with
/// the spellings it accepts, is in its file under `Tables/ColumnTypes/` (the README lists them
/// too); the pieces several types share are here. JSON strings are text; JSON numbers and
/// booleans are accepted only by the numeric and boolean types (and json). JSON `null` is SQL
/// NULL on every path.
enum CellConverter {
    /// MariaDB's JSON_VALID refuses nesting of 32 levels or more.
    static let maximumJSONDepth = 31
    static let maximumTextBytes = 16_777_215
    static let maximumStringCharacters = 255

    /// Checks `input` for a column of `type` and hands the exact value to `sink`; the problem
    /// otherwise, with nothing handed over. (Imports resolve `loadDataConverter` per column instead.)
    static func convert<Sink: CellSink>(_ input: CellInput, to type: ColumnType, into sink: inout Sink) -> RowValueProblem? {
        type.kind.convert(input, into: &sink)
    }

    /// Whether a CSV field stands for SQL NULL in a column of `type` besides the null marker:
    /// the JSON literal `null` in a json column (JSON null is SQL NULL on every path).
    static func isJSONNull(_ bytes: UnsafeBufferPointer<UInt8>, for type: ColumnType) -> Bool {
        type.kind.readsNullLiteralAsNull && isNullLiteral(bytes)
    }

    /// The bytes `null`.
    static func isNullLiteral(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count == 4 && bytes[0] == 0x6E && bytes[1] == 0x75 && bytes[2] == 0x6C && bytes[3] == 0x6C
    }

    /// A number column's conversion: text, a JSON string or a JSON number, checked by `check`.
    @inline(__always)
    static func number<Sink: CellSink>(_ input: CellInput, _ check: (UnsafeBufferPointer<UInt8>) -> NumberText.Checked,
                                       into sink: inout Sink) -> RowValueProblem? {
        let bytes: UnsafeBufferPointer<UInt8>
        switch input {
        case .text(let text), .jsonString(let text, _), .jsonNumber(let text): bytes = text
        case .jsonBool, .jsonComposite: return RowValueProblem("must be a number, not \(input.jsonKind)")
        }
        switch check(bytes) {
        case .asWritten: sink.appendPlain(bytes)
        case .normalized(let digits): sink.appendPlain(digits)
        case .refused(let reason): return RowValueProblem(reason)
        }
        return nil
    }

    /// Whether `bytes` are UTF-8, and whether all of them are ASCII (which text checks use to
    /// count characters cheaply).
    @inline(__always)
    static func utf8(_ bytes: UnsafeBufferPointer<UInt8>) -> (valid: Bool, ascii: Bool) {
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        return (ascii || isUTF8(bytes), ascii)
    }

    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }
}

extension CellInput {
    /// The text when the input is text: a CSV field, or a JSON string's content.
    var text: UnsafeBufferPointer<UInt8>? {
        switch self {
        case .text(let bytes), .jsonString(let bytes, _): bytes
        default: nil
        }
    }

    /// What kind of JSON value it is, for messages.
    var jsonKind: String {
        switch self {
        case .text, .jsonString: "a string"
        case .jsonNumber: "a number"
        case .jsonBool(let flag): flag ? "true" : "false"
        case .jsonComposite(let literal, _): literal.first == 0x5B ? "an array" : "an object"
        }
    }
}
