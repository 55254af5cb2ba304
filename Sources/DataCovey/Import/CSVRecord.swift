/// One CSV record, read in place: its fields' unescaped bytes stay valid only until the reader's
/// next `next()` call, which reuses the memory (using a record after that is a precondition failure).
///
/// Fields are raw bytes, not validated as UTF-8: the worker validates per column, and can report
/// the column that holds bad text. `isQuoted(_:)` tells an empty unquoted field (a NULL candidate)
/// from a quoted empty string `""`.
struct CSVRecord {
    /// The 1-based physical line the record starts on; a quoted field may carry it over several lines.
    let line: Int
    /// Why the record breaks RFC 4180, or nil. The fields of a malformed record are a best-effort
    /// split, delivered so the worker can log them; it rejects the row.
    let malformation: CSVMalformation?
    /// The 0-based field the malformation is in, so the rejection can name its column.
    let malformedField: Int?
    let fieldCount: Int

    private let storage: CSVRecordStorage
    private let generation: UInt64

    init(line: Int, malformation: CSVMalformation?, malformedField: Int?, storage: CSVRecordStorage) {
        self.line = line
        self.malformation = malformation
        self.malformedField = malformedField
        self.fieldCount = storage.fields.count
        self.storage = storage
        self.generation = storage.generation
    }

    /// Whether the field was written in quotes, so `""` is an empty string rather than a missing value.
    func isQuoted(_ field: Int) -> Bool { span(field).isQuoted }

    /// The length of the field's unescaped bytes.
    func byteCount(_ field: Int) -> Int {
        let span = span(field)
        return span.end - span.start
    }

    /// Calls `body` with the field's unescaped bytes; the pointer must not escape `body`.
    func withField<Result>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let span = span(field)
        return try body(UnsafeBufferPointer(start: storage.bytes.base + span.start, count: span.end - span.start))
    }

    /// The field's unescaped bytes and whether it was quoted, in one look-up, for the import's
    /// per-cell loop. The pointer is valid until the reader's next `next()`, like the record.
    func field(_ field: Int) -> (bytes: UnsafeBufferPointer<UInt8>, isQuoted: Bool) {
        let span = span(field)
        return (UnsafeBufferPointer(start: storage.bytes.base + span.start, count: span.end - span.start), span.isQuoted)
    }

    /// A copy of the field's bytes, which outlives the record.
    func bytes(_ field: Int) -> [UInt8] { withField(field) { Array($0) } }

    /// The field as text, or nil when it is not valid UTF-8.
    func string(_ field: Int) -> String? {
        withField(field) { bytes in
            // Several times faster than String(validating:as:), which matters at millions of fields.
            // Decoding replaces each invalid sequence with U+FFFD, so the text keeps exactly the
            // field's bytes only when they were valid; ASCII needs no such check.
            let text = String(decoding: bytes, as: UTF8.self)
            if bytes.allSatisfy({ $0 < 0x80 }) { return text }
            return text.utf8.elementsEqual(bytes) ? text : nil
        }
    }

    private func span(_ field: Int) -> CSVFieldSpan {
        precondition(generation == storage.generation, "CSVRecord used after the reader moved on")
        precondition(field >= 0 && field < fieldCount, "field index \(field) out of range 0..<\(fieldCount)")
        return storage.fields[field]
    }
}

/// Why a record is not well-formed CSV; the raw value is the reason shown in the import report.
enum CSVMalformation: String, Equatable, Sendable {
    /// A quote in the middle of a field that did not start with one, e.g. `5" screen`, or
    /// `1, "a"`: with the space first the field is unquoted (as in RFC 4180, Python's `csv` and
    /// BigQuery; PostgreSQL's COPY would drop the quotes), so the row is refused, not guessed at.
    case unexpectedQuote = "a quote inside a field that does not start with one (a field is quoted only when the quote is its first character, with no space before it)"
    /// Something other than a delimiter or line end right after a closing quote, e.g. `"a"b`.
    case textAfterClosingQuote = "text after the closing quote of a quoted field (a quote inside a quoted field is written twice: \"\")"
}

/// Where one field's unescaped bytes sit in the record buffer.
struct CSVFieldSpan {
    var start: Int
    var end: Int
    var isQuoted: Bool
}

/// The bytes and field boundaries of the current record, filled by the reader and read through
/// `CSVRecord` views; reused for every record so a row costs no allocations.
final class CSVRecordStorage {
    var bytes = GrowableBuffer<UInt8>(capacity: 4096)
    var fields = GrowableBuffer<CSVFieldSpan>(capacity: 64)
    /// Bumped whenever the reader starts the next record, which invalidates earlier views.
    var generation: UInt64 = 0

    deinit {
        bytes.deallocate()
        fields.deallocate()
    }
}
