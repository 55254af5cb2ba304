import Foundation
import XCTest

/// A loopback TCP port nothing listens on (bound, read back, closed): a database node that is
/// down, for the failover and readiness tests.
public enum ClosedPort {
    public static func loopback() throws -> Int {
        let socket = try LoopbackSocket(listening: false)
        defer { socket.close() }
        return socket.port
    }
}

/// A loopback TCP socket bound to a free port; when `listening`, the kernel completes every
/// handshake but nobody accepts and nothing is ever said: a frozen database node (SIGSTOP).
public struct LoopbackSocket {
    public let descriptor: Int32
    public let port: Int

    public init(listening: Bool) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && (!listening || listen(fd, 16) == 0) && getsockname(fd, $0, &length) == 0
            }
        }
        guard ready else {
            Glibc.close(fd)
            throw XCTSkip("cannot \(listening ? "listen" : "bind a port") on loopback")
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    public func close() {
        Glibc.close(descriptor)
    }
}
