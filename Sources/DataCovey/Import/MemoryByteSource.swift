/// Bytes already in memory, served like a file: for tests, and for small inputs that arrive whole.
///
/// `maxReadSize` caps each read so tests can force short reads and put chunk boundaries anywhere.
struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private let maxReadSize: Int
    private var position = 0
    private(set) var bytesRead: Int64 = 0

    init(_ bytes: [UInt8], maxReadSize: Int = .max) {
        precondition(maxReadSize > 0, "maxReadSize must be positive")
        self.bytes = bytes
        self.maxReadSize = maxReadSize
    }

    init(_ text: String, maxReadSize: Int = .max) {
        self.init(Array(text.utf8), maxReadSize: maxReadSize)
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, maxReadSize, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
        }
        position += count
        bytesRead += Int64(count)
        return count
    }
}
