#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An uploaded file read with plain `open`/`read`, so the import streams it through the readers'
/// own buffer instead of loading it whole or going through a buffered stdio layer.
///
/// A class so the descriptor has one owner: it is closed by `close()` or, failing that, on deinit.
final class FileByteSource: ByteSource {
    let path: String
    /// The file's size when opened, for progress percentages; 0 for pipes and other non-regular files.
    let fileSize: Int64
    private(set) var bytesRead: Int64 = 0
    private var descriptor: Int32

    init(path: String) throws(ByteSourceError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ByteSourceError(operation: "open", path: path, code: errno) }
        var status = stat()
        let isRegularFile = fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
        self.path = path
        self.fileSize = isRegularFile ? Int64(status.st_size) : 0
        self.descriptor = descriptor
    }

    deinit { close() }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ByteSourceError) -> Int {
        guard descriptor >= 0 else { throw ByteSourceError(operation: "read", path: path, code: EBADF) }
        guard let address = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(descriptor, address, buffer.count)
            if count >= 0 {
                bytesRead += Int64(count)
                return count
            }
            // A signal arriving mid-read is not a failure of the file.
            if errno != EINTR { throw ByteSourceError(operation: "read", path: path, code: errno) }
        }
    }

    /// Releases the descriptor now rather than when the last reference goes; later reads throw.
    func close() {
        guard descriptor >= 0 else { return }
        _ = systemClose(descriptor)
        descriptor = -1
    }
}

// The instance methods `read` and `close` shadow the C functions of the same names.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

/// Why a file could not be opened or read, worded for the import's error report.
struct ByteSourceError: Error, Equatable, CustomStringConvertible {
    /// The system call that failed: "open" or "read".
    let operation: String
    let path: String
    /// The `errno` value the call left.
    let code: Int32

    var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(code)))"
    }
}
