import CFastCGI

/// Writes one response: a status line and headers once, then the body in as many chunks as needed.
///
/// The head is sent as CGI headers (`Status: 200 OK`), which the web server turns into HTTP.
public final class FastCGIResponseWriter: @unchecked Sendable {
    private let sink: Sink
    /// Whether the status and headers have gone out.
    public private(set) var isHeadWritten = false
    /// The status written, if any.
    public private(set) var status: Int?
    /// Body bytes written so far.
    public private(set) var bodyBytesWritten = 0

    enum Sink {
        case stream(UnsafeMutablePointer<FCGX_Stream>)
        case buffer(Buffer)
    }

    /// Collects a response in memory, for tests and in-process callers.
    public final class Buffer: @unchecked Sendable {
        public internal(set) var bytes: [UInt8] = []
        public init() {}
    }

    init(stream: UnsafeMutablePointer<FCGX_Stream>) {
        self.sink = .stream(stream)
    }

    /// A writer into memory; read back `buffer.bytes`.
    public init(buffer: Buffer) {
        self.sink = .buffer(buffer)
    }

    /// Sends the status and headers. Header values with CR or LF are dropped (response splitting).
    public func writeHead(status: Int, headers: [(name: String, value: String)]) throws {
        precondition(!isHeadWritten, "response head written twice")
        var head = "Status: \(status) \(HTTPStatusText.reason(for: status))\r\n"
        for (name, value) in headers {
            // Byte-wise: "\r\n" is one Character in Swift, equal to neither "\r" nor "\n".
            if name.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 58 }) { continue }
            if value.utf8.contains(where: { $0 == 13 || $0 == 10 }) { continue }
            head += "\(name): \(value)\r\n"
        }
        head += "\r\n"
        isHeadWritten = true
        self.status = status
        try put(Array(head.utf8))
    }

    /// Appends body bytes.
    public func write(_ bytes: [UInt8]) throws {
        precondition(isHeadWritten, "body written before head")
        try put(bytes)
        bodyBytesWritten += bytes.count
    }

    /// Appends body text as UTF-8.
    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    private func put(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        switch sink {
        case .buffer(let buffer):
            buffer.bytes.append(contentsOf: bytes)
        case .stream(let stream):
            var offset = 0
            while offset < bytes.count {
                let count = min(bytes.count - offset, 1 << 30)
                let written = bytes.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress!.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: count) {
                        FCGX_PutStr($0, Int32(count), stream)
                    }
                }
                if written < 0 { throw FastCGIError.connectionClosed }
                offset += count
            }
        }
    }
}
