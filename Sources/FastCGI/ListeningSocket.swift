#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the responder takes connections from.
public enum ListenAddress: Sendable, Equatable {
    /// A unix socket this process creates (mode 0660 so only the web server's group reaches it).
    case unixSocket(path: String)
    /// A listening socket inherited from a supervisor (spawn-fcgi passes fd 0, systemd fd 3).
    case inherited(fd: Int32)

    /// Parses `--listen`: `fd:N` for an inherited socket, anything else is a unix socket path.
    public init(parsing text: String) {
        if text.hasPrefix("fd:"), let fd = Int32(text.dropFirst(3)), fd >= 0 {
            self = .inherited(fd: fd)
        } else {
            self = .unixSocket(path: text)
        }
    }
}

enum ListeningSocket {
    /// Opens (or adopts) the listening socket and returns its descriptor.
    static func open(_ address: ListenAddress, backlog: Int32) throws -> Int32 {
        switch address {
        case .inherited(let fd):
            var type: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) == 0 else {
                throw FastCGIError.listenFailed("fd \(fd) is not a socket")
            }
            return fd
        case .unixSocket(let path):
            return try openUnix(path: path, backlog: backlog)
        }
    }

    private static func openUnix(path: String, backlog: Int32) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            throw FastCGIError.listenFailed("socket path longer than \(capacity - 1) bytes: \(path)")
        }
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw FastCGIError.listenFailed("socket(): errno \(errno)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        unlink(path)
        // Create the socket file already 0660: a window with wider permissions would let any
        // local user talk FastCGI to us (SECURITY rule 20).
        let previousMask = umask(0o117)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        umask(previousMask)
        guard bound == 0 else {
            let code = errno
            close(fd)
            throw FastCGIError.listenFailed("bind(\(path)): errno \(code)")
        }
        chmod(path, 0o660)
        guard listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw FastCGIError.listenFailed("listen(): errno \(code)")
        }
        return fd
    }
}
