/// A blocking supplier of bytes, read a chunk at a time.
///
/// The import readers scan bytes in place from one reusable buffer, so a source only ever copies
/// into memory the reader owns. Sources count what they hand out so the worker can report
/// `bytes_read` progress without knowing what kind of source it is reading.
protocol ByteSource {
    /// Copies the next bytes into a prefix of `buffer` and returns how many were copied.
    ///
    /// Returns 0 only at the end of the input (or when `buffer` is empty); a short read is not the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int

    /// Bytes handed out by `read(into:)` so far.
    var bytesRead: Int64 { get }
}
