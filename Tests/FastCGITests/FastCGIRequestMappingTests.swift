import FastCGI
import XCTest

final class FastCGIRequestMappingTests: XCTestCase {
    func testMapsMethodPathQueryAndRemoteAddress() {
        let request = FastCGIRequest(params: [
            "REQUEST_METHOD": "post", "REQUEST_URI": "/api/v1/projects?limit=5&name=a%20b+c",
            "QUERY_STRING": "limit=5&name=a%20b+c", "REMOTE_ADDR": "127.0.0.1",
        ])
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.path, "/api/v1/projects")
        XCTAssertEqual(request.queryValue("limit"), "5")
        XCTAssertEqual(request.queryValue("name"), "a b c")
        XCTAssertEqual(request.remoteAddress, "127.0.0.1")
    }

    func testContentTypeAndLengthBecomeHeadersWithoutHTTPPrefix() {
        let request = FastCGIRequest(params: [
            "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "42",
            "HTTP_IF_MATCH": "\"3\"", "HTTP_X_REQUEST_ID": "abc", "SERVER_NAME": "localhost",
        ])
        XCTAssertEqual(request.headers, [
            "content-type": "application/json", "content-length": "42", "if-match": "\"3\"", "x-request-id": "abc",
        ])
        XCTAssertEqual(request.contentLength, 42)
    }

    func testMissingOrBrokenParamsFallBackToSafeDefaults() {
        let request = FastCGIRequest(params: ["CONTENT_LENGTH": "-5"])
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(request.path, "/")
        XCTAssertNil(request.contentLength)
        XCTAssertTrue(request.query.isEmpty)
    }

    func testQueryDecodingKeepsMalformedEscapesAndRepairsInvalidUTF8() {
        let pairs = QueryString.parse("a=%zz&b=%ff&c&=v&d=%E2%82%AC")
        XCTAssertEqual(pairs.map(\.name), ["a", "b", "c", "", "d"])
        XCTAssertEqual(pairs.map(\.value), ["%zz", "\u{FFFD}", "", "v", "€"])
    }

    func testBodyCapIsEnforcedWhileReading() throws {
        let exact = FastCGIRequestBody(bytes: Array(repeating: 1, count: 10), limit: 10)
        XCTAssertEqual(try exact.readAll().count, 10)

        let over = FastCGIRequestBody(bytes: Array(repeating: 1, count: 11), limit: 10)
        XCTAssertTrue(over.isDeclaredTooLarge)
        XCTAssertThrowsError(try over.readAll()) { XCTAssertEqual($0 as? FastCGIError, .bodyTooLarge(limit: 10)) }
        XCTAssertEqual(over.bytesRead, 0, "a declared length over the cap is refused before reading")
    }

    func testListenAddressParsing() {
        XCTAssertEqual(ListenAddress(parsing: "fd:3"), .inherited(fd: 3))
        XCTAssertEqual(ListenAddress(parsing: "/run/x.sock"), .unixSocket(path: "/run/x.sock"))
        XCTAssertEqual(ListenAddress(parsing: "fd:x"), .unixSocket(path: "fd:x"))
    }

    func testResponseWriterDropsHeaderValuesThatWouldSplitTheResponse() throws {
        let buffer = FastCGIResponseWriter.Buffer()
        let writer = FastCGIResponseWriter(buffer: buffer)
        try writer.writeHead(status: 404, headers: [("X-Good", "1"), ("X-Bad", "a\r\nSet-Cookie: x=1")])
        try writer.write("body")
        XCTAssertEqual(String(decoding: buffer.bytes, as: UTF8.self), "Status: 404 Not Found\r\nX-Good: 1\r\n\r\nbody")
    }
}
