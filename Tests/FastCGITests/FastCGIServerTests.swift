import FastCGI
import Foundation
import TestSupport
import XCTest

/// A real server on a temporary unix socket, spoken to byte for byte.
final class FastCGIServerTests: XCTestCase {
    private var socketPath = ""
    private var server: FastCGIServer?
    private var runner: Thread?
    private let finished = DispatchSemaphore(value: 0)

    override func setUpWithError() throws {
        socketPath = NSTemporaryDirectory() + "fcgi-test-\(UUID().uuidString.prefix(8)).sock"
        let server = try FastCGIServer(
            configuration: .init(address: .unixSocket(path: socketPath), threadCount: 4, maxBodyBytes: 1000),
            handler: Self.echo)
        self.server = server
        let finished = self.finished
        let thread = Thread {
            server.run()
            finished.signal()
        }
        thread.start()
        runner = thread
    }

    override func tearDown() {
        server?.stop()
        XCTAssertEqual(finished.wait(timeout: .now() + 10), .success, "server did not stop")
    }

    /// Echoes what it was given; answers 413 when the body breaks the cap; sleeps on /slow.
    static let echo: FastCGIServer.Handler = { request, writer in
        do {
            if request.path == "/slow" { usleep(700_000) }
            let body = try request.body?.readAll() ?? []
            let summary = "\(request.method) \(request.path) q=\(request.queryValue("q") ?? "-") type=\(request.headers["content-type"] ?? "-") x=\(request.headers["x-test"] ?? "-") body=\(body.count) from=\(request.remoteAddress)"
            try writer.writeHead(status: 200, headers: [("Content-Type", "text/plain")])
            try writer.write(summary)
        } catch FastCGIError.bodyTooLarge {
            try? writer.writeHead(status: 413, headers: [])
        } catch {
            try? writer.writeHead(status: 500, headers: [])
        }
    }

    private func params(_ method: String, _ uri: String, extra: [(String, String)] = []) -> [(String, String)] {
        let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        return [("REQUEST_METHOD", method), ("REQUEST_URI", uri), ("QUERY_STRING", query), ("REMOTE_ADDR", "10.1.2.3")] + extra
    }

    func testSocketIsCreatedWithMode0660() throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: socketPath)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o660)
    }

    func testServesParamsHeadersAndBody() throws {
        let response = try FastCGITestClient.send(
            to: socketPath,
            params: params("POST", "/echo?q=a%2Bb", extra: [("CONTENT_TYPE", "text/csv"), ("CONTENT_LENGTH", "5"), ("HTTP_X_TEST", "yes")]),
            body: Array("hello".utf8))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "POST /echo q=a+b type=text/csv x=yes body=5 from=10.1.2.3")
    }

    func testBodyOverTheCapIsRefusedWith413() throws {
        let response = try FastCGITestClient.send(
            to: socketPath, params: params("POST", "/upload", extra: [("CONTENT_LENGTH", "2000")]),
            body: Array(repeating: 65, count: 2000))
        XCTAssertEqual(response.status, 413)
    }

    func testUndeclaredBodyOverTheCapIsRefusedWith413() throws {
        let response = try FastCGITestClient.send(
            to: socketPath, params: params("POST", "/upload"), body: Array(repeating: 65, count: 1500))
        XCTAssertEqual(response.status, 413)
    }

    func testGarbageAndTruncatedRequestsDoNotStopTheServer() throws {
        let garbage = try TestSocket.unix(socketPath)
        try garbage.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8) + Array(repeating: 0xFF, count: 300))
        garbage.shutdownWrite()
        _ = try? garbage.readToEnd()

        let truncated = try TestSocket.unix(socketPath)
        let whole = FastCGITestClient.request(params: params("GET", "/x"))
        try truncated.send(Array(whole.prefix(whole.count / 2)))
        truncated.shutdownWrite()
        _ = try? truncated.readToEnd()

        let wrongVersion = try TestSocket.unix(socketPath)
        var bad = FastCGITestClient.beginRequest()
        bad[0] = 9
        try wrongVersion.send(bad)
        wrongVersion.shutdownWrite()
        _ = try? wrongVersion.readToEnd()

        let response = try FastCGITestClient.send(to: socketPath, params: params("GET", "/after"))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "GET /after q=- type=- x=- body=0 from=10.1.2.3")
    }

    func testConcurrentRequestsAllComplete() throws {
        let path = socketPath
        let failures = DispatchQueue(label: "failures")
        nonisolated(unsafe) var failed = 0
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            let response = try? FastCGITestClient.send(to: path, params: [("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/n/\(index)")])
            if response?.status != 200 || response?.text.hasPrefix("GET /n/\(index) ") != true {
                failures.sync { failed += 1 }
            }
        }
        XCTAssertEqual(failed, 0)
    }

    func testStopLetsARequestInFlightFinish() throws {
        let path = socketPath
        nonisolated(unsafe) var slow: CGIResponse?
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            slow = try? FastCGITestClient.send(to: path, params: [("REQUEST_METHOD", "GET"), ("REQUEST_URI", "/slow")])
            done.signal()
        }
        usleep(200_000)
        server?.stop()
        XCTAssertEqual(finished.wait(timeout: .now() + 5), .success, "run() returns once the request in flight is done")
        finished.signal()  // tearDown waits again
        XCTAssertEqual(done.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(slow?.status, 200)
        XCTAssertEqual(slow?.text.hasPrefix("GET /slow"), true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the socket file is removed on stop")
    }
}
