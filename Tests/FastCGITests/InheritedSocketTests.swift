import FastCGI
import Foundation
import TestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A listening socket handed over by a supervisor (spawn-fcgi's fd 0, systemd's fd 3).
final class InheritedSocketTests: XCTestCase {
    func testServesOnAnInheritedListeningSocket() throws {
        let path = NSTemporaryDirectory() + "fcgi-inherited-\(UUID().uuidString.prefix(8)).sock"
        defer { unlink(path) }
        // What the supervisor does: create, bind and listen, then pass the descriptor on.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(fd, 1024), 0)

        let server = try FastCGIServer(configuration: .init(address: .inherited(fd: fd), threadCount: 2)) { request, writer in
            try? writer.writeHead(status: 200, headers: [("Content-Type", "text/plain")])
            try? writer.write("inherited \(request.path)")
        }
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            server.run()
            finished.signal()
        }
        let response = try FastCGITestClient.send(to: path, params: [("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/hello")])
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "inherited /hello")
        server.stop()
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success)
        close(fd)
    }

    func testANonSocketDescriptorIsRefused() throws {
        let pipeEnds = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        defer { pipeEnds.deallocate() }
        XCTAssertEqual(pipe(pipeEnds), 0)
        XCTAssertThrowsError(try FastCGIServer(configuration: .init(address: .inherited(fd: pipeEnds[0]))) { _, _ in }) { error in
            XCTAssertEqual(error as? FastCGIError, .listenFailed("fd \(pipeEnds[0]) is not a socket"))
        }
        close(pipeEnds[0])
        close(pipeEnds[1])
    }
}
