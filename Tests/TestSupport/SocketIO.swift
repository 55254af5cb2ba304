import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking client socket for tests, with a receive timeout so no test can hang.
public final class TestSocket {
    public let fd: Int32

    public enum Failure: Error, CustomStringConvertible {
        case connect(String, Int32)
        case io(Int32)
        public var description: String {
            switch self {
            case .connect(let target, let code): "connect \(target): errno \(code)"
            case .io(let code): "socket I/O: errno \(code)"
            }
        }
    }

    private init(fd: Int32, timeoutSeconds: Int) {
        self.fd = fd
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Connects to a unix socket.
    public static func unix(_ path: String, timeoutSeconds: Int = 10) throws -> TestSocket {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure.connect(path, code)
        }
        return TestSocket(fd: fd, timeoutSeconds: timeoutSeconds)
    }

    /// Connects to 127.0.0.1:`port`.
    public static func loopback(port: Int, timeoutSeconds: Int = 10) throws -> TestSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw Failure.connect("127.0.0.1:\(port)", code)
        }
        return TestSocket(fd: fd, timeoutSeconds: timeoutSeconds)
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 { throw Failure.io(errno) }
            offset += sent
        }
    }

    /// Reads until the peer closes (or the timeout passes, which throws).
    public func readToEnd() throws -> [UInt8] {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return all }
            if count < 0 {
                if errno == ECONNRESET { return all }
                throw Failure.io(errno)
            }
            all.append(contentsOf: buffer[0..<count])
        }
    }

    /// Half-closes the sending side (the peer sees end of input).
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }
}
