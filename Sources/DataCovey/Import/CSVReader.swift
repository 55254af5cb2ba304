/// Streams RFC 4180 CSV records from a `ByteSource`, for the import worker.
///
/// Records come one at a time from `next()`, scanned in place from a large chunk buffer into one
/// reused record buffer, so a million-row file costs no per-row or per-field allocations.
///
/// The dialect: a configurable one-byte delimiter and quote; quoted fields may hold delimiters,
/// line breaks and doubled quotes; outside quotes a line ends in LF, CRLF or a lone CR (old
/// spreadsheet exports end lines in CR only; Python's `csv` reads all three the same way); a
/// leading UTF-8 byte order mark is skipped; the last line needs no line end; empty lines are not
/// records.
///
/// Problems are split by whether the import can go on. A quote inside an unquoted field (`1, "a"`
/// included: the space makes the field unquoted), or text between a closing quote and the next
/// delimiter, sets the record's `malformation` and the field it is in (the record
/// still ends at its line end, so the rows after it are unaffected). A quoted field still open at
/// the end of the input, or a record over `Options.maxRecordBytes`, throws `StreamingReaderError`,
/// after which the reader throws the same error again.
///
/// A class because it owns its buffers and its source's position; it is used from one task at a time.
final class CSVReader {
    let options: Options

    private let input: ChunkedInput
    private let storage = CSVRecordStorage()
    /// Per byte value, whether it ends a run of plain bytes in an unquoted or a quoted field.
    private let byteClasses: UnsafeMutablePointer<UInt8>
    private var progress = ScanProgress()
    private var finished = false
    private var failure: (any Error)?

    init(source: any ByteSource, options: Options = Options()) throws(StreamingReaderError) {
        if let problem = options.problem { throw .invalidOptions(problem) }
        self.options = options
        self.input = ChunkedInput(source: source, chunkSize: options.chunkSize)
        self.byteClasses = .allocate(capacity: 256)
        byteClasses.initialize(repeating: 0, count: 256)
        for byte in [options.delimiter, options.quote, lineFeed, carriageReturn] { byteClasses[Int(byte)] |= endsUnquotedRun }
        for byte in [options.quote, lineFeed, carriageReturn] { byteClasses[Int(byte)] |= endsQuotedRun }
    }

    deinit { byteClasses.deallocate() }

    /// Input bytes consumed through the end of the last record returned (a byte order mark and
    /// skipped empty lines included; the LF of a CRLF is passed over with the next record, since
    /// the CR already ended the line); equals the input's size once `next()` has returned nil.
    var bytesConsumed: Int64 { input.consumedOffset }

    /// Bytes read from the source so far, up to one chunk ahead of `bytesConsumed`.
    var bytesRead: Int64 { input.bytesRead }

    /// The next record, or nil at the end of the input. The record's field bytes are valid until
    /// the next call.
    func next() throws -> CSVRecord? {
        if let failure { throw failure }
        if finished { return nil }
        storage.generation &+= 1
        do {
            if input.isExhausted, try !input.refill() {
                finished = true
                return nil
            }
            startRecord()
            while true {
                if try scanBuffered() { return currentRecord() }
                if try !input.refill() {
                    finished = true
                    return try finishAtEndOfInput() ? currentRecord() : nil
                }
            }
        } catch {
            failure = error
            throw error
        }
    }

    private func currentRecord() -> CSVRecord {
        CSVRecord(line: progress.recordLine, malformation: progress.malformation,
                  malformedField: progress.malformedField, storage: storage)
    }

    private func startRecord() {
        progress.startRecord(line: progress.line, offset: input.consumedOffset)
        storage.bytes.removeAll()
        storage.fields.removeAll()
    }

    /// Scans the buffered bytes until a record ends (true) or the buffer is used up (false).
    ///
    /// The state lives in locals while scanning, so the per-byte work touches no class properties.
    private func scanBuffered() throws -> Bool {
        let bytes = UnsafePointer(input.base)
        let end = input.end
        var index = input.start
        var progress = self.progress
        var out = storage.bytes
        var fields = storage.fields
        defer {
            input.start = index
            self.progress = progress
            storage.bytes = out
            storage.fields = fields
        }
        let delimiter = options.delimiter
        let quote = options.quote
        let byteClasses = UnsafePointer(self.byteClasses)

        while index < end {
            switch progress.state {
            case .fieldStart:
                let byte = bytes[index]
                if progress.afterCarriageReturn {
                    // The LF of a CRLF whose CR ended the last line: part of that line end.
                    progress.afterCarriageReturn = false
                    if byte == lineFeed, fields.count == 0, out.count == 0 {
                        index += 1
                        progress.recordOffset += 1
                        continue
                    }
                }
                if byte == quote {
                    progress.state = .quoted
                    progress.fieldIsQuoted = true
                    progress.quotedFieldLine = progress.line
                    index += 1
                } else if byte == delimiter {
                    progress.endField(in: &fields, at: out.count)
                    index += 1
                } else if byte == lineFeed || byte == carriageReturn {
                    index += 1
                    if try endRecord(at: byte, offset: input.baseOffset + Int64(index - 1), &progress, &out, &fields) { return true }
                } else {
                    progress.state = .unquoted
                }

            case .unquoted:
                // The common case, so it loops here over consecutive unquoted fields rather than
                // going back through the state switch for each.
                unquotedFields: while true {
                    let runStart = index
                    while index < end, byteClasses[Int(bytes[index])] & endsUnquotedRun == 0 { index += 1 }
                    if index > runStart { out.append(contentsOf: bytes + runStart, count: index - runStart) }
                    guard index < end else { break unquotedFields }
                    let byte = bytes[index]
                    index += 1
                    if byte == delimiter {
                        progress.endField(in: &fields, at: out.count)
                        // Straight on when the next field starts with a plain byte; else let the switch decide.
                        guard index < end, byteClasses[Int(bytes[index])] == 0 else { break unquotedFields }
                        progress.state = .unquoted
                    } else if byte == lineFeed || byte == carriageReturn {
                        if try endRecord(at: byte, offset: input.baseOffset + Int64(index - 1), &progress, &out, &fields) { return true }
                        break unquotedFields
                    } else {
                        // The quote byte, kept as data so the rejected row can be shown as written.
                        progress.flag(.unexpectedQuote, field: fields.count)
                        out.append(byte)
                    }
                }

            case .quoted:
                let runStart = index
                while index < end, byteClasses[Int(bytes[index])] & endsQuotedRun == 0 { index += 1 }
                if index > runStart { out.append(contentsOf: bytes + runStart, count: index - runStart) }
                guard index < end else { break }
                let byte = bytes[index]
                if byte == quote {
                    progress.state = .quoteInQuoted
                } else {
                    // A line break inside quotes is data. CR, LF and CRLF each count one line, as
                    // outside quotes; the byte before this one is the last kept (a quote before it
                    // was doubled, so kept too), unless the field has just opened.
                    let isLFOfCRLF = byte == lineFeed && out.count > progress.fieldStart && out[out.count - 1] == carriageReturn
                    if !isLFOfCRLF { progress.line += 1 }
                    out.append(byte)
                }
                index += 1

            case .quoteInQuoted:
                let byte = bytes[index]
                if byte == quote {
                    // A doubled quote: one literal quote, and the field goes on.
                    out.append(quote)
                    progress.state = .quoted
                    index += 1
                } else if byte == delimiter {
                    progress.endField(in: &fields, at: out.count)
                    index += 1
                } else if byte == lineFeed || byte == carriageReturn {
                    index += 1
                    if try endRecord(at: byte, offset: input.baseOffset + Int64(index - 1), &progress, &out, &fields) { return true }
                } else {
                    // Rescanned as the rest of an unquoted field, up to the next delimiter or line end.
                    progress.flag(.textAfterClosingQuote, field: fields.count)
                    progress.state = .unquoted
                }
            }
        }

        // A record still open: stop it from growing without bound.
        if input.baseOffset + Int64(end) - progress.recordOffset > Int64(options.maxRecordBytes) {
            throw StreamingReaderError.recordTooLarge(line: progress.recordLine, limit: options.maxRecordBytes)
        }
        return false
    }

    /// Ends the record at the line end byte (LF or CR) just consumed at input offset `offset`.
    /// False when it was an empty line, which is skipped: the scan then goes on with the next record.
    @inline(__always)
    private func endRecord(
        at lineEnd: UInt8,
        offset: Int64,
        _ progress: inout ScanProgress,
        _ out: inout GrowableBuffer<UInt8>,
        _ fields: inout GrowableBuffer<CSVFieldSpan>
    ) throws -> Bool {
        progress.line += 1
        // A CR may be the first half of a CRLF; the next record's first byte decides.
        progress.afterCarriageReturn = lineEnd == carriageReturn
        if try completeRecord(endingAt: offset, &progress, &out, &fields) { return true }
        progress.startRecord(line: progress.line, offset: offset + 1)
        out.removeAll()
        fields.removeAll()
        return false
    }

    /// Ends the record at the end of the input; false when there was none left.
    private func finishAtEndOfInput() throws -> Bool {
        var progress = self.progress
        var out = storage.bytes
        var fields = storage.fields
        defer {
            self.progress = progress
            storage.bytes = out
            storage.fields = fields
        }
        if progress.state == .fieldStart && fields.count == 0 { return false }
        if progress.state == .quoted {
            if input.consumedOffset - progress.recordOffset > Int64(options.maxRecordBytes) {
                throw StreamingReaderError.recordTooLarge(line: progress.recordLine, limit: options.maxRecordBytes)
            }
            throw StreamingReaderError.unterminatedQuotedField(line: progress.quotedFieldLine)
        }
        return try completeRecord(endingAt: input.consumedOffset, &progress, &out, &fields)
    }

    /// Closes the last field of a record whose line ends at input offset `lineEnd` (its line end
    /// byte, or the end of the input) and enforces the size cap. False for an empty line.
    @inline(__always)
    private func completeRecord(
        endingAt lineEnd: Int64,
        _ progress: inout ScanProgress,
        _ out: inout GrowableBuffer<UInt8>,
        _ fields: inout GrowableBuffer<CSVFieldSpan>
    ) throws -> Bool {
        progress.endField(in: &fields, at: out.count)
        if lineEnd - progress.recordOffset > Int64(options.maxRecordBytes) {
            throw StreamingReaderError.recordTooLarge(line: progress.recordLine, limit: options.maxRecordBytes)
        }
        return !(fields.count == 1 && out.count == 0 && !fields[0].isQuoted)
    }
}

/// Where the scan of the record in progress is; it survives chunk boundaries and `next()` calls.
private struct ScanProgress {
    enum State: UInt8 {
        /// At the first byte of a field, which decides whether it is quoted.
        case fieldStart
        case unquoted
        case quoted
        /// Just after a quote inside a quoted field: a doubled quote or the closing one.
        case quoteInQuoted
    }

    var state = State.fieldStart
    /// The 1-based physical line of the next byte to scan.
    var line = 1
    var recordLine = 1
    /// Input offset of the record's first byte, for the size cap.
    var recordOffset: Int64 = 0
    var malformation: CSVMalformation?
    /// The 0-based field the malformation is in.
    var malformedField: Int?
    /// The last line ended in a CR, so an LF right after it belongs to that line end.
    var afterCarriageReturn = false
    /// Where the current field starts in the record buffer.
    var fieldStart = 0
    var fieldIsQuoted = false
    /// The line the current quoted field opened on, for the unterminated-field error.
    var quotedFieldLine = 0

    mutating func startRecord(line: Int, offset: Int64) {
        state = .fieldStart
        recordLine = line
        recordOffset = offset
        malformation = nil
        malformedField = nil
        fieldStart = 0
        fieldIsQuoted = false
    }

    @inline(__always)
    mutating func endField(in fields: inout GrowableBuffer<CSVFieldSpan>, at end: Int) {
        fields.append(CSVFieldSpan(start: fieldStart, end: end, isQuoted: fieldIsQuoted))
        state = .fieldStart
        fieldStart = end
        fieldIsQuoted = false
    }

    /// Records the first thing wrong with the record; later problems add nothing the row's rejection needs.
    mutating func flag(_ problem: CSVMalformation, field: Int) {
        if malformation == nil {
            malformation = problem
            malformedField = field
        }
    }
}

private let lineFeed = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let endsUnquotedRun: UInt8 = 1
private let endsQuotedRun: UInt8 = 2
