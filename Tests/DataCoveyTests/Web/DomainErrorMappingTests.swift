@testable import DataCovey
import XCTest

/// The one mapping from the domain's kinds to HTTP: each kind's status, and a code, title or
/// retry hint carried through; a bug's detail never reaches the client.
final class DomainErrorMappingTests: XCTestCase {
    func testEachKindHasItsStatus() {
        let statuses: [(DomainError, Int)] = [
            (.invalid("x"), 400), (.notFound(), 404), (.forbidden(), 403), (.conflict("x"), 409), (.stale("x"), 412),
            (.unprocessable("x"), 422), (DomainError(.tooLarge, "x"), 413), (DomainError(.rateLimited, "x"), 429),
            (.unavailable("x"), 503), (.bug("x"), 500),
        ]
        for (error, status) in statuses {
            XCTAssertEqual(error.problem.status, status, "\(error.kind)")
            XCTAssertEqual(Application.problem(for: error).status, status, "\(error.kind) through the edge")
        }
    }

    func testFieldsCodesTitlesAndRetryHintsCarryThrough() {
        let refused = DomainError(.invalid, "no", fields: [.init(field: "sql", message: "into")], code: "query-refused", title: "Query Refused")
        XCTAssertEqual(refused.problem.type, "https://datacovey.dev/problems/query-refused")
        XCTAssertEqual(refused.problem.title, "Query Refused")
        XCTAssertEqual(refused.problem.errors, [FieldProblem(field: "sql", message: "into")])
        XCTAssertEqual(DomainError.conflict("taken").problem.type, "https://datacovey.dev/problems/conflict")
        let limited = DomainError(.rateLimited, "later", code: "query-limit", retryAfterSeconds: 5).problem
        XCTAssertEqual(limited.headers, [HTTPError.Header(name: "Retry-After", value: "5")])
        let bug = DomainError.bug("SELECT secret FROM t").problem.response(requestID: "r1", instance: nil)
        guard case .bytes(let body) = bug.body else { return XCTFail("no body") }
        XCTAssertFalse(String(decoding: body, as: UTF8.self).contains("secret"))
    }
}
