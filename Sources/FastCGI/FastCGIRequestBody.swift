import CFastCGI

/// The request body, read from the web server in chunks as the handler asks for it.
///
/// The cap is enforced while reading: a declared length over the cap fails before a byte is read,
/// and an undeclared body fails as soon as it passes the cap, so nothing past it is ever buffered.
/// Valid only while the request is being handled (it reads the request's libfcgi stream).
public final class FastCGIRequestBody: @unchecked Sendable {
    private var stream: UnsafeMutablePointer<FCGX_Stream>?
    private var pending: [UInt8]
    /// The most bytes this body may have.
    public let limit: Int
    /// The length the web server declared (`CONTENT_LENGTH`), if any.
    public let declaredLength: Int?
    /// Bytes handed out so far.
    public private(set) var bytesRead = 0
    private var reachedEnd = false

    init(stream: UnsafeMutablePointer<FCGX_Stream>, limit: Int, declaredLength: Int?) {
        self.stream = stream
        self.pending = []
        self.limit = limit
        self.declaredLength = declaredLength
    }

    /// A body over an in-memory buffer, for tests and for handlers called without a socket.
    public init(bytes: [UInt8], limit: Int = .max) {
        self.stream = nil
        self.pending = bytes
        self.limit = limit
        self.declaredLength = bytes.count
    }

    /// Whether the declared length alone already breaks the cap.
    public var isDeclaredTooLarge: Bool {
        (declaredLength ?? 0) > limit
    }

    /// Reads up to `maxCount` bytes; an empty array means the body has ended.
    /// - Throws: `FastCGIError.bodyTooLarge` once the body passes `limit`.
    public func read(upTo maxCount: Int = 64 * 1024) throws -> [UInt8] {
        if isDeclaredTooLarge { throw FastCGIError.bodyTooLarge(limit: limit) }
        if reachedEnd { return [] }
        // Ask for one byte more than the cap allows, so "exactly at the cap" and "over it" differ.
        let allowed = min(maxCount, limit - bytesRead + 1)
        var chunk: [UInt8]
        if let stream {
            chunk = [UInt8](repeating: 0, count: allowed)
            let count = chunk.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: allowed) {
                    FCGX_GetStr($0, Int32(allowed), stream)
                }
            }
            if count <= 0 {
                reachedEnd = true
                return []
            }
            chunk.removeSubrange(Int(count)...)
        } else {
            chunk = Array(pending.prefix(allowed))
            pending.removeFirst(chunk.count)
            if chunk.isEmpty {
                reachedEnd = true
                return []
            }
        }
        if bytesRead + chunk.count > limit { throw FastCGIError.bodyTooLarge(limit: limit) }
        bytesRead += chunk.count
        return chunk
    }

    /// Reads the rest of the body into memory and keeps it, so it can be read again from the
    /// start (a caller that must see the body before the handler does, e.g. to hash it).
    public func buffer() throws -> [UInt8] {
        let bytes = try readAll()
        stream = nil
        pending = bytes
        bytesRead = 0
        reachedEnd = false
        return bytes
    }

    /// Reads the whole body into memory; for small bodies (JSON, forms) only.
    public func readAll() throws -> [UInt8] {
        var all: [UInt8] = []
        if let declaredLength, declaredLength <= limit { all.reserveCapacity(declaredLength) }
        while true {
            let chunk = try read()
            if chunk.isEmpty { return all }
            all.append(contentsOf: chunk)
        }
    }
}
