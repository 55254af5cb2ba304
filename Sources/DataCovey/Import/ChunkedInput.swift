/// Pulls a `ByteSource` through one reusable buffer a chunk at a time, so the readers scan bytes in
/// place and copy only what a record keeps. It also drops a leading UTF-8 byte order mark (which
/// spreadsheet exports add) and knows the input offset of every buffered byte, for size caps and
/// progress.
final class ChunkedInput {
    /// The buffer; bytes `start..<end` have been read but not yet consumed by the reader.
    let base: UnsafeMutablePointer<UInt8>
    /// Advanced by the reader as it consumes bytes.
    var start = 0
    private(set) var end = 0
    /// Input offset of `base[0]`.
    private(set) var baseOffset: Int64 = 0

    private var source: any ByteSource
    private let chunkSize: Int
    private let capacity: Int
    private var hasRead = false
    private var sourceEnded = false

    init(source: any ByteSource, chunkSize: Int) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.source = source
        self.chunkSize = chunkSize
        // Room for a whole byte order mark even when tests use one-byte chunks.
        self.capacity = max(chunkSize, byteOrderMark.count)
        self.base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Whether every buffered byte has been consumed.
    var isExhausted: Bool { start == end }

    /// Input offset of the next unconsumed byte: everything before it (byte order mark included) is consumed.
    var consumedOffset: Int64 { baseOffset + Int64(start) }

    /// Bytes read from the source so far, which runs ahead of `consumedOffset` by at most a chunk.
    var bytesRead: Int64 { source.bytesRead }

    /// Replaces the consumed buffer with the next chunk; false at the end of the input.
    ///
    /// A chunk may hold nothing new to scan (a first chunk that was only the byte order mark), so
    /// callers loop until they have what they need.
    func refill() throws -> Bool {
        precondition(isExhausted, "refill() before the buffer was consumed")
        if sourceEnded { return false }
        baseOffset += Int64(end)
        start = 0
        end = 0
        if hasRead {
            end = try readChunk(at: 0)
        } else {
            hasRead = true
            try readPastByteOrderMark()
        }
        return end > 0
    }

    /// Reads until the first three bytes are in (or the input ends) and skips them if they are a BOM.
    private func readPastByteOrderMark() throws {
        while end < byteOrderMark.count {
            let count = try readChunk(at: end)
            if count == 0 { break }
            end += count
        }
        if end >= byteOrderMark.count, (0..<byteOrderMark.count).allSatisfy({ base[$0] == byteOrderMark[$0] }) {
            start = byteOrderMark.count
        }
    }

    private func readChunk(at offset: Int) throws -> Int {
        let room = UnsafeMutableRawBufferPointer(start: base + offset, count: min(chunkSize, capacity - offset))
        let count = try source.read(into: room)
        precondition((0...room.count).contains(count), "a ByteSource returned an impossible count")
        if count == 0 { sourceEnded = true }
        return count
    }
}

/// The UTF-8 encoding of U+FEFF.
private let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
