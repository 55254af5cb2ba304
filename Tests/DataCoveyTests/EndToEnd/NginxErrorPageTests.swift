import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import XCTest

/// nginx's own answers to requests it rejects while reading the request line and headers
/// (nginx/problem_pages.conf): problem+json with the right status, never nginx's HTML page (a
/// redirect to a named location fails at that stage, and nginx used to send its 500 HTML page).
/// The requests go out as raw bytes, so nothing normalizes the path, method or version.
/// Also: the local stack's nginx, which serves the development sign-in page, listens on loopback only.
final class NginxErrorPageTests: XCTestCase {
    private typealias RawResponse = HTTPTestClient.Response

    private let securityHeaders = [
        "x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer",
    ]

    /// Sends `requestLine`, then Host, Connection: close and `headers`, exactly as written, and
    /// reads the answer until nginx closes the connection.
    private func send(_ stack: TestStack, _ requestLine: String, headers: [String] = []) throws -> RawResponse {
        let socket = try TestSocket.loopback(port: stack.port, timeoutSeconds: 10)
        var head = "\(requestLine)\r\nHost: localhost\r\nConnection: close\r\n"
        for header in headers { head += "\(header)\r\n" }
        head += "\r\n"
        try socket.send(Array(head.utf8))
        return HTTPTestClient.parse(try socket.readToEnd())
    }

    /// The exact status, a problem+json body that names it and nginx's request id, and the
    /// security headers the problem pages inherit from the server level.
    @discardableResult
    private func assertProblem(_ response: RawResponse, _ status: Int,
                               file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(response.status, status, response.text, file: file, line: line)
        XCTAssertEqual(response.headers["content-type"], "application/problem+json", response.text, file: file, line: line)
        let object = try? JSONSerialization.jsonObject(with: Data(response.body))
        let json = try XCTUnwrap(object as? [String: Any], "not a JSON object: \(response.text)", file: file, line: line)
        XCTAssertEqual(json["status"] as? Int, status, response.text, file: file, line: line)
        let requestID = json["request_id"] as? String ?? ""
        XCTAssertEqual(requestID.count, 32, "nginx's $request_id: \(response.text)", file: file, line: line)
        XCTAssertTrue(requestID.allSatisfy { $0.isHexDigit }, requestID, file: file, line: line)
        for (name, value) in securityHeaders {
            XCTAssertEqual(response.headers[name], value, name, file: file, line: line)
        }
        XCTAssertNotNil(response.headers["content-security-policy"], file: file, line: line)
        return json
    }

    func testPathTraversalAboveTheRootIs400ProblemJSONWithoutTheFile() throws {
        let stack = try TestStack.require()
        let response = try send(stack, "GET /static/../../run/secrets.env HTTP/1.1")
        try assertProblem(response, 400)
        XCTAssertFalse(response.text.contains("DATACOVEY_"), response.text)
        XCTAssertFalse(response.text.contains("PASSWORD"), response.text)
    }

    func testEncodedNULInThePathIs400ProblemJSON() throws {
        let stack = try TestStack.require()
        for path in ["/api/v1/exports/1/download%00", "/%00"] {
            let response = try send(stack, "GET \(path) HTTP/1.1")
            try assertProblem(response, 400)
            XCTAssertFalse(response.text.contains("DATACOVEY_"), response.text)
        }
    }

    func testMalformedMethodIs400ProblemJSON() throws {
        let stack = try TestStack.require()
        try assertProblem(try send(stack, "get / HTTP/1.1"), 400)
    }

    func testRequestLineOverTheHeaderBuffersIs414ProblemJSON() throws {
        let stack = try TestStack.require()
        let query = String(repeating: "a", count: 20 * 1024)
        let response = try send(stack, "GET /api/v1/me?q=\(query) HTTP/1.1")
        let json = try assertProblem(response, 414)
        XCTAssertEqual(json["title"] as? String, "URI Too Long")
        XCTAssertFalse(response.text.contains("aaaaaaaa"), "the URI is not echoed")
    }

    /// nginx's internal 494 (a header line over large_client_header_buffers) answers 431.
    func testHeaderLineOverTheHeaderBuffersIs431ProblemJSON() throws {
        let stack = try TestStack.require()
        let filler = String(repeating: "b", count: 40 * 1024)
        let response = try send(stack, "GET /api/v1/me HTTP/1.1", headers: ["X-Filler: \(filler)"])
        let json = try assertProblem(response, 431)
        XCTAssertEqual(json["title"] as? String, "Request Header Fields Too Large")
    }

    func testUnsupportedHTTPVersionIs505ProblemJSON() throws {
        let stack = try TestStack.require()
        try assertProblem(try send(stack, "GET / HTTP/9.9"), 505)
    }

    func testUnsupportedTransferCodingIs501ProblemJSON() throws {
        let stack = try TestStack.require()
        try assertProblem(try send(stack, "POST /api/v1/projects HTTP/1.1", headers: ["Transfer-Encoding: gzip"]), 501)
    }

    /// nginx refuses TRACE itself; its 405 names the methods the site serves (RFC 9110 requires
    /// Allow), while a 405 of the responder names its path's own, and only once.
    func testMethodNotAllowedNamesTheAllowedMethods() throws {
        let stack = try TestStack.require()
        let traced = try send(stack, "TRACE /api/v1/projects HTTP/1.1")
        try assertProblem(traced, 405)
        XCTAssertEqual(traced.headers["allow"], "GET, HEAD, POST, PATCH, DELETE")
        let put = try send(stack, "PUT /api/v1/projects HTTP/1.1", headers: ["Content-Length: 0"])
        XCTAssertEqual(put.status, 405, put.text)
        XCTAssertEqual(put.headers["allow"], "GET, POST")
        XCTAssertEqual(try send(stack, "GET /readyz HTTP/1.1").headers["allow"], nil, "no Allow on other answers")
    }

    func testUnknownStaticFileIs404ProblemJSONAndTheStylesheetIsStillServed() throws {
        let stack = try TestStack.require()
        try assertProblem(try send(stack, "GET /static/nope.css HTTP/1.1"), 404)
        let stylesheet = try send(stack, "GET /static/datacovey.css HTTP/1.1")
        XCTAssertEqual(stylesheet.status, 200)
        XCTAssertEqual(stylesheet.headers["content-type"], "text/css; charset=utf-8")
        XCTAssertFalse(stylesheet.body.isEmpty)
    }

    func testStaticDirectoryIs403ProblemJSON() throws {
        let stack = try TestStack.require()
        try assertProblem(try send(stack, "GET /static/ HTTP/1.1"), 403)
    }

    func testProblemPageLocationsAreNotReachableDirectly() throws {
        let stack = try TestStack.require()
        for code in [400, 414, 431, 501, 505] {
            let response = try send(stack, "GET /_problem/\(code) HTTP/1.1")
            let json = try assertProblem(response, 404)
            XCTAssertEqual(json["detail"] as? String, "There is no resource at this path.", "nginx's own 404")
        }
    }

    /// The development sign-in page is served through this nginx: no other host may reach it.
    func testLocalNginxListensOnLoopbackOnly() throws {
        let stack = try TestStack.require()
        let config = try String(contentsOfFile: "\(stack.runDirectory)/nginx/nginx.conf", encoding: .utf8)
        var listens: [String] = []
        for line in config.split(separator: "\n") {
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = code.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" })
            guard words.first == "listen" else { continue }
            XCTAssertGreaterThanOrEqual(words.count, 2, String(line))
            if words.count >= 2 { listens.append(String(words[1])) }
        }
        XCTAssertFalse(listens.isEmpty, "the rendered nginx.conf has a listen directive")
        for address in listens {
            XCTAssertTrue(address.hasPrefix("127.0.0.1:") || address.hasPrefix("[::1]:"), "listen \(address) is not loopback")
        }

        XCTAssertNoThrow(try TestSocket.loopback(port: stack.port, timeoutSeconds: 5), "the control: loopback answers")
        let addresses = try nonLoopbackIPv4Addresses()
        for var address in addresses {
            address.sin_port = in_port_t(UInt16(stack.port).bigEndian)
            let (connected, code) = connectionAttempt(to: address)
            XCTAssertFalse(connected, "nginx answers on \(describe(address)):\(stack.port)")
            XCTAssertEqual(code, ECONNREFUSED, "\(describe(address)): errno \(code)")
        }
        if addresses.isEmpty { print("no non-loopback IPv4 address on this machine; only the listen directives were checked") }
    }

    private func nonLoopbackIPv4Addresses() throws -> [sockaddr_in] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { throw TestSocket.Failure.io(errno) }
        defer { freeifaddrs(first) }
        var addresses: [sockaddr_in] = []
        var cursor = first
        while let entry = cursor {
            cursor = entry.pointee.ifa_next
            guard let raw = entry.pointee.ifa_addr, raw.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            let address = raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
            if UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127 { continue }
            addresses.append(address)
        }
        return addresses
    }

    /// One bounded connect (SO_SNDTIMEO bounds connect on Linux); whether it connected, and errno.
    private func connectionAttempt(to address: sockaddr_in) -> (Bool, Int32) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return (false, errno) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var target = address
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0 ? (true, 0) : (false, errno)
    }

    private func describe(_ address: sockaddr_in) -> String {
        var raw = address.sin_addr
        var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        guard inet_ntop(AF_INET, &raw, &buffer, socklen_t(INET_ADDRSTRLEN)) != nil else { return "?" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
