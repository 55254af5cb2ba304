/// Streams the lines of an NDJSON (JSON Lines) file, for the import worker: one JSON document per
/// line, each handed over with its 1-based physical line number so a rejected row can be pointed at.
///
/// Lines end in LF or CRLF, the last one may have no line end, a leading UTF-8 byte order mark is
/// skipped, and blank lines (nothing but spaces, tabs and CRs) are skipped. A line longer than
/// `maxLineBytes` throws `StreamingReaderError.recordTooLarge`, so a file that is not line-oriented
/// cannot use unbounded memory; after that the reader throws the same error again.
///
/// The reader does not parse JSON; `JSONScanner` does, one line at a time.
final class NDJSONLineReader {
    /// The longest line accepted, in bytes, its line end not counted.
    let maxLineBytes: Int

    private let input: ChunkedInput
    /// The 1-based physical line of the next byte to scan.
    private var line = 1
    /// The start of a line that runs past the end of the buffered chunk.
    private var partialLine: [UInt8] = []
    private var finished = false
    private var failure: (any Error)?

    init(source: any ByteSource, maxLineBytes: Int = 16 << 20, chunkSize: Int = 1 << 20) throws(StreamingReaderError) {
        if maxLineBytes < 1 { throw .invalidOptions("maxLineBytes must be positive") }
        if chunkSize < 1 { throw .invalidOptions("chunkSize must be positive") }
        self.maxLineBytes = maxLineBytes
        self.input = ChunkedInput(source: source, chunkSize: chunkSize)
    }

    /// Input bytes consumed through the end of the last line returned (a byte order mark and
    /// skipped blank lines included); equals the input's size once `next()` has returned nil.
    var bytesConsumed: Int64 { input.consumedOffset }

    /// Bytes read from the source so far, up to one chunk ahead of `bytesConsumed`.
    var bytesRead: Int64 { input.bytesRead }

    /// The next non-blank line, or nil at the end of the input.
    func next() throws -> NDJSONLine? {
        if let failure { throw failure }
        if finished { return nil }
        do {
            while true {
                if input.isExhausted, try !input.refill() {
                    finished = true
                    guard !partialLine.isEmpty else { return nil }
                    if let line = try completeLine(takingPartial(), endsWithLineFeed: false) { return line }
                    return nil
                }
                let buffered = UnsafeBufferPointer(start: input.base + input.start, count: input.end - input.start)
                guard let lineFeed = buffered.firstIndex(of: UInt8(ascii: "\n")) else {
                    partialLine.append(contentsOf: buffered)
                    input.start = input.end
                    // One byte of slack for a CR that may be half of a CRLF line end.
                    if partialLine.count > maxLineBytes + 1 {
                        throw StreamingReaderError.recordTooLarge(line: line, limit: maxLineBytes)
                    }
                    continue
                }
                let bytes: [UInt8]
                if partialLine.isEmpty {
                    bytes = Array(buffered[..<lineFeed])
                } else {
                    partialLine.append(contentsOf: buffered[..<lineFeed])
                    bytes = takingPartial()
                }
                input.start += lineFeed + 1
                if let line = try completeLine(bytes, endsWithLineFeed: true) { return line }
            }
        } catch {
            failure = error
            throw error
        }
    }

    /// Numbers a line that has ended, drops the CR of a CRLF and checks the cap; nil for a blank line.
    private func completeLine(_ bytes: [UInt8], endsWithLineFeed: Bool) throws -> NDJSONLine? {
        let number = line
        if endsWithLineFeed { line += 1 }
        var content = bytes[...]
        if content.last == UInt8(ascii: "\r") { content.removeLast() }
        if content.count > maxLineBytes {
            throw StreamingReaderError.recordTooLarge(line: number, limit: maxLineBytes)
        }
        if content.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
            return nil
        }
        return NDJSONLine(line: number, bytes: content.count == bytes.count ? bytes : Array(content))
    }

    private func takingPartial() -> [UInt8] {
        defer { partialLine.removeAll(keepingCapacity: true) }
        return partialLine
    }
}

/// One non-blank NDJSON line: its raw bytes, line end removed.
struct NDJSONLine: Equatable, Sendable {
    /// The 1-based physical line number.
    let line: Int
    let bytes: [UInt8]
}
