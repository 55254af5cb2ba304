import MariaDB

/// The one converter per column type that every write path uses (CSV and NDJSON imports, the
/// rows API): a cell is stored exactly as written, or refused with a reason a person can act
/// on. Nothing is rounded through a Double, cut to length, clamped or quietly dropped.
///
/// The accepted spellings, per type (the README lists them too):
/// - int64: `[+-]digits` within Int64 (`007` is 7); no decimal point or exponent, even `1.0`.
/// - float64: `[+-](digits[.digits]|.digits)[e[+-]digits]`, finite, not so small it would be 0.
/// - decimal(p,s): the same, exponent allowed, exactly: at most p-s integer digits and no
///   non-zero digit past s decimals.
/// - bool: true/false, t/f, yes/no, y/n, on/off, 1/0 in any case; JSON true/false and 1/0.
/// - string: valid UTF-8 of at most 255 characters as MariaDB counts them (code points).
/// - text: valid UTF-8 of at most 16,777,215 bytes (MEDIUMTEXT).
/// - date: `YYYY-MM-DD`, 0001-01-01 to 9999-12-31.
/// - timestamp: RFC 3339 (any offset, converted to UTC) or `YYYY-MM-DD HH:MM:SS[.ffffff]` as
///   UTC, at most microseconds, within 0001-01-01 and 9999-12-31 in UTC.
/// - json: any JSON text, kept as written, nested at most 31 levels (MariaDB's limit). JSON
///   `null` is SQL NULL on every path.
/// JSON strings are text; JSON numbers and booleans are accepted only by the numeric and
/// boolean types (and json).
enum CellConverter {
    /// MariaDB's JSON_VALID refuses nesting of 32 levels or more.
    static let maximumJSONDepth = 31
    static let maximumTextBytes = 16_777_215
    static let maximumStringCharacters = 255

    /// Checks `input` for a column of `type` and hands the exact value to `sink`; the problem
    /// otherwise, with nothing handed over.
    static func convert<Sink: CellSink>(_ input: CellInput, to type: ColumnType, into sink: inout Sink) -> RowValueProblem? {
        switch type {
        case .int64:
            return number(input, type, NumberText.integer, into: &sink)
        case .float64:
            return number(input, type, NumberText.float, into: &sink)
        case .decimal(let precision, let scale):
            return number(input, type, { NumberText.decimal($0, precision: precision, scale: scale) }, into: &sink)
        case .bool:
            return bool(input, into: &sink)
        case .string, .text:
            guard let bytes = input.text else { return RowValueProblem("must be a string, not \(input.jsonKind)") }
            if let problem = textProblem(bytes, type) { return problem }
            sink.appendText(bytes)
            return nil
        case .date:
            guard let bytes = input.text else { return RowValueProblem("must be a date like 2026-11-25") }
            guard TimestampText.date(bytes) == true else {
                return RowValueProblem(TimestampText.date(bytes) == nil ? "must be a date like 2026-11-25"
                                                                        : "is not a day of the calendar between 0001-01-01 and 9999-12-31")
            }
            sink.appendPlain(bytes)
            return nil
        case .timestamp:
            guard let bytes = input.text else {
                return RowValueProblem("must be a timestamp like 2026-11-26T08:00:00Z")
            }
            switch TimestampText.check(bytes) {
            case .success(let moment):
                sink.appendDateTime(moment)
                return nil
            case .failure(let problem):
                return problem
            }
        case .json:
            return json(input, into: &sink)
        }
    }

    /// Whether a CSV field stands for SQL NULL in a column of `type` besides the null marker:
    /// the JSON literal `null` in a json column (JSON null is SQL NULL on every path).
    static func isJSONNull(_ bytes: UnsafeBufferPointer<UInt8>, for type: ColumnType) -> Bool {
        bytes.count == 4 && type == .json && bytes[0] == 0x6E && bytes[1] == 0x75 && bytes[2] == 0x6C && bytes[3] == 0x6C
    }

    private static func number<Sink: CellSink>(_ input: CellInput, _ type: ColumnType,
                                               _ check: (UnsafeBufferPointer<UInt8>) -> NumberText.Checked,
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

    private static func bool<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        var refusal: RowValueProblem { RowValueProblem("must be true or false (also t/f, yes/no, y/n, on/off, 1/0)") }
        switch input {
        case .jsonBool(let flag):
            sink.appendBool(flag)
            return nil
        case .jsonNumber(let bytes), .text(let bytes), .jsonString(let bytes, _):
            // Compared byte by byte, ignoring ASCII case: an import reads a million of them.
            func spells(_ word: StaticString) -> Bool {
                guard bytes.count == word.utf8CodeUnitCount else { return false }
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    if (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) != word.utf8Start[index] { return false }
                }
                return true
            }
            if spells("1") || spells("true") || spells("t") || spells("yes") || spells("y") || spells("on") {
                sink.appendBool(true)
            } else if spells("0") || spells("false") || spells("f") || spells("no") || spells("n") || spells("off") {
                sink.appendBool(false)
            } else {
                return refusal
            }
            return nil
        case .jsonComposite:
            return refusal
        }
    }

    /// A json column keeps the JSON text as written: a CSV field or JSON string's text must be
    /// JSON itself; a JSON member is stored as its literal.
    private static func json<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem? {
        let literal: UnsafeBufferPointer<UInt8>
        let depth: Int
        switch input {
        case .text(let bytes):
            do {
                depth = try JSONScanner.document(bytes).depth
            } catch {
                return RowValueProblem("must be JSON: it \(error.reason) (at byte \(error.offset + 1))")
            }
            literal = bytes
        case .jsonString(_, let written), .jsonNumber(let written):
            literal = written
            depth = 0
        case .jsonBool(let flag):
            Array((flag ? "true" : "false").utf8).withUnsafeBufferPointer { sink.appendText($0) }
            return nil
        case .jsonComposite(let written, let nesting):
            literal = written
            depth = nesting
        }
        guard depth <= maximumJSONDepth else {
            return RowValueProblem("is nested \(depth) levels deep; JSON in MariaDB may nest at most \(maximumJSONDepth)")
        }
        guard literal.count <= Int(UInt32.max) else { return RowValueProblem("is too long") }
        sink.appendText(literal)
        return nil
    }

    private static func textProblem(_ bytes: UnsafeBufferPointer<UInt8>, _ type: ColumnType) -> RowValueProblem? {
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        guard ascii || isUTF8(bytes) else { return RowValueProblem("is not valid UTF-8") }
        if type == .string {
            // VARCHAR(255) counts code points: every byte that does not continue a sequence
            // (each byte of ASCII text).
            var characters = ascii ? bytes.count : 0
            if !ascii { for byte in bytes where byte & 0xC0 != 0x80 { characters += 1 } }
            if characters > maximumStringCharacters {
                return RowValueProblem("has \(characters) characters; a string holds at most \(maximumStringCharacters) (use text)")
            }
        } else if bytes.count > maximumTextBytes {
            return RowValueProblem("has \(bytes.count) bytes; a text holds at most \(maximumTextBytes)")
        }
        return nil
    }

    static func isUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }
}

extension CellInput {
    /// The text when the input is text: a CSV field, or a JSON string's content.
    fileprivate var text: UnsafeBufferPointer<UInt8>? {
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
