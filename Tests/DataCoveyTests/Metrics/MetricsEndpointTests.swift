import DataCovey
import Foundation
import TestSupport
import XCTest

/// `/metrics` through nginx: refused on the public site, Prometheus text on the local metrics
/// server, counting the requests and query runs a test makes.
final class MetricsEndpointTests: XCTestCase {
    private func scrape(_ stack: TestStack) throws -> PrometheusText {
        let response = try stack.metrics("/metrics")
        XCTAssertEqual(response.status, 200, response.text)
        XCTAssertEqual(response.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        return PrometheusText(text: response.text)
    }

    func testThePublicSiteAnswers404ForMetricsWhateverTheClientSends() throws {
        let stack = try StackDatabase.require().stack
        for path in ["/metrics", "/metrics/", "/metrics/worker", "/metrics?x=1"] {
            let response = try stack.http("GET", path)
            XCTAssertEqual(response.status, 404, path)
            XCTAssertEqual(response.headers["content-type"], "application/problem+json", path)
            XCTAssertFalse(response.text.contains("datacovey_"), path)
        }
        // A header cannot become the FastCGI param: it would arrive as HTTP_DATACOVEY_METRICS
        // (and nginx drops header names with underscores).
        for header in ["Datacovey-Metrics", "DATACOVEY_METRICS"] {
            XCTAssertEqual(try stack.http("GET", "/metrics", headers: [(header, "1")]).status, 404, header)
        }
        // The responder's own refusal, behind nginx's: the metrics server's other paths are 404.
        XCTAssertEqual(try stack.metrics("/api/v1/openapi.json").status, 404)
    }

    func testTheMetricsServerServesEveryFamilyAsPrometheusText() throws {
        let stack = try StackDatabase.require().stack
        let page = try scrape(stack)
        XCTAssertEqual(page.malformedLines, [])
        let types = page.types
        let expected = [
            "datacovey_http_requests_total": "counter", "datacovey_http_request_duration_seconds": "histogram",
            "datacovey_db_pool_size": "gauge", "datacovey_db_pool_in_use": "gauge", "datacovey_db_pool_idle": "gauge",
            "datacovey_db_pool_waits_total": "counter", "datacovey_db_pool_timeouts_total": "counter",
            "datacovey_build_info": "gauge",
        ]
        for (family, type) in expected {
            XCTAssertEqual(types[family], type, family)
        }
        XCTAssertEqual(page.value("datacovey_build_info{version=\"\(BuildInfo.version)\"}"), 1)
        let threads = Double(stack.environment["DATACOVEY_FCGI_THREADS"] ?? "8") ?? 8
        XCTAssertEqual(page.value(#"datacovey_db_pool_size{pool="app"}"#), threads)
        XCTAssertEqual(page.value(#"datacovey_db_pool_size{pool="data"}"#), threads)
        XCTAssertEqual(page.value(#"datacovey_db_pool_timeouts_total{pool="app"}"#), 0)
    }

    func testARequestIsCountedOnceByItsRoutePatternAndStatus() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("metricsreq")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "metered"]).json()["id"] as? Int ?? 0
        let found = #"{method="GET",route="/api/v1/projects/{id:int}",status="200"}"#
        let missing = #"{method="GET",route="/api/v1/projects/{id:int}",status="404"}"#
        let before = try scrape(db.stack)

        XCTAssertEqual(try user.call("GET", "/api/v1/projects/\(project)").status, 200)
        XCTAssertEqual(try user.call("GET", "/api/v1/projects/\(project)").status, 200)
        XCTAssertEqual(try user.call("GET", "/api/v1/projects/999999999").status, 404)
        let after = try scrape(db.stack)

        XCTAssertEqual(after.value("datacovey_http_requests_total\(found)") - before.value("datacovey_http_requests_total\(found)"), 2)
        XCTAssertEqual(after.value("datacovey_http_requests_total\(missing)") - before.value("datacovey_http_requests_total\(missing)"), 1)
        XCTAssertEqual(after.value("datacovey_http_request_duration_seconds_count\(found)")
                       - before.value("datacovey_http_request_duration_seconds_count\(found)"), 2)
        // The raw path never becomes a label.
        XCTAssertFalse(after.text.contains("/api/v1/projects/\(project)\""))
        XCTAssertFalse(after.text.contains("999999999"))
    }

    func testQueryRunsAreCountedByStatus() throws {
        let fixture = try QueryFixture.make("metricsq")
        let completed = #"datacovey_query_runs_total{status="completed"}"#
        let failed = #"datacovey_query_runs_total{status="failed"}"#
        let before = try scrape(fixture.db.stack)
        XCTAssertEqual(try fixture.query("SELECT id FROM orders").status, 200)
        XCTAssertEqual(try fixture.query("SELECT nope FROM orders").status, 400)
        let after = try scrape(fixture.db.stack)
        XCTAssertEqual(after.types["datacovey_query_runs_total"], "counter")
        XCTAssertEqual(after.value(completed) - before.value(completed), 1)
        XCTAssertEqual(after.value(failed) - before.value(failed), 1)
    }
}
