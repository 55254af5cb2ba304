@testable import DataCovey
import FastCGI
import XCTest

final class ConventionTests: XCTestCase {
    private func request(query: String = "", headers: [String: String] = [:]) -> Request {
        var params = ["REQUEST_METHOD": "GET", "REQUEST_URI": "/x?\(query)", "QUERY_STRING": query]
        for (name, value) in headers { params["HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_")] = value }
        return Request(raw: FastCGIRequest(params: params))
    }

    func testCursorRoundTripsAndForgeriesAreRefused() throws {
        let cursor = Page.encodeCursor(afterID: 42)
        XCTAssertEqual(try Page(request(query: "limit=10&cursor=\(cursor)")), Page(limit: 10, afterID: 42))
        XCTAssertEqual(try Page(request()), Page(limit: 50, afterID: nil))
        for bad in ["cursor=42", "cursor=\(Base64URL.encode(Array("c1.-1".utf8)))", "cursor=\(Base64URL.encode(Array("c2.5".utf8)))", "limit=-1"] {
            XCTAssertThrowsError(try Page(request(query: bad)), bad) { XCTAssertEqual(($0 as? HTTPError)?.status, 400) }
        }
    }

    func testListPageHasANextCursorOnlyWhenMoreFollow() throws {
        let page = Page(limit: 2)
        XCTAssertEqual(ListPage(fetched: [1, 2, 3] as [Int64], page: page, id: { $0 }).nextCursor, Page.encodeCursor(afterID: 2))
        XCTAssertNil(ListPage(fetched: [1, 2] as [Int64], page: page, id: { $0 }).nextCursor)
        XCTAssertEqual(String(decoding: try JSON.encode(ListPage(fetched: [7] as [Int64], page: page, id: { $0 })), as: UTF8.self),
                       #"{"items":[7],"next_cursor":null}"#)
    }

    func testIfMatchAcceptsOurTagsAndRefusesOthers() throws {
        XCTAssertEqual(try Preconditions.expectedVersion(request(headers: ["If-Match": "\"3\""])), 3)
        XCTAssertEqual(try Preconditions.expectedVersion(request(headers: ["If-Match": "W/\"3\""])), 3)
        XCTAssertNil(try Preconditions.expectedVersion(request(headers: ["If-Match": "*"])))
        XCTAssertNil(try Preconditions.expectedVersion(request()))
        XCTAssertThrowsError(try Preconditions.expectedVersion(request(headers: ["If-Match": "\"abc\""])))
        XCTAssertThrowsError(try VersionCheck.require(2, current: 3)) {
            XCTAssertEqual(($0 as? DomainError)?.kind, .stale)
            XCTAssertEqual(($0 as? DomainError)?.problem.status, 412)
        }
        XCTAssertNoThrow(try VersionCheck.require(nil, current: 3))
    }

    func testNameRules() {
        XCTAssertNil(NameRules.problem(with: "sales_2026"))
        XCTAssertNil(NameRules.problem(with: "_staging"))
        XCTAssertNil(NameRules.problem(with: String(repeating: "a", count: 64)))
        XCTAssertEqual(NameRules.problem(with: String(repeating: "a", count: 65)), "must be at most 64 characters")
        XCTAssertEqual(NameRules.problem(with: ""), "must not be empty")
        XCTAssertEqual(NameRules.problem(with: "2026"), "must start with a letter or _")
        XCTAssertEqual(NameRules.problem(with: "a-b"), "may contain only letters, digits and _")
        XCTAssertEqual(NameRules.problem(with: "naïve"), "may contain only letters, digits and _")
        XCTAssertEqual(NameRules.problem(with: "Select"), "is a reserved word")
    }
}

final class TimestampTests: XCTestCase {
    func testFormatsRFC3339UTCWithMilliseconds() {
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_800_000_000.1239)), "2027-01-15T08:00:00.123Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(Timestamp.parse(Timestamp.format(Date(timeIntervalSince1970: 951_782_400.5)))?.timeIntervalSince1970, 951_782_400.5)
    }
}
