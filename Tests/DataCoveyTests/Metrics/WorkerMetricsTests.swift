import Foundation
import TestSupport
import XCTest

/// The worker's metrics file, served by nginx's metrics server as `/metrics/worker`.
final class WorkerMetricsTests: XCTestCase {
    private let completed = #"{kind="import",state="completed"}"#

    /// The worker's page once it was written after `since` with no job running, so every job
    /// that ended before is in it: a baseline that no earlier test's job can still move.
    private func settledPage(_ stack: TestStack, since: Date) throws -> PrometheusText {
        var page = PrometheusText(text: "")
        let settled = TestStack.eventually(within: 30) {
            let path = "\(stack.runDirectory)/metrics/worker.prom"
            guard let written = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  written > since, let response = try? stack.metrics("/metrics/worker"), response.status == 200 else { return false }
            page = PrometheusText(text: response.text)
            return page.value(#"datacovey_jobs_running{kind="import"}"#) == 0
                && page.value(#"datacovey_jobs_running{kind="export"}"#) == 0
        }
        XCTAssertTrue(settled, "the worker rewrites its file with no job running")
        return page
    }

    func testACompletedImportIsCountedInTheWorkersFile() throws {
        let db = try StackDatabase.require()
        let before = try settledPage(db.stack, since: Date())
        let response = try db.stack.metrics("/metrics/worker")
        XCTAssertEqual(response.headers["content-type"], "text/plain; version=0.0.4")
        XCTAssertEqual(before.malformedLines, [])
        for (family, type) in ["datacovey_jobs_running": "gauge", "datacovey_build_info": "gauge",
                               "datacovey_db_pool_size": "gauge", "datacovey_db_pool_waits_total": "counter"] {
            XCTAssertEqual(before.types[family], type, family)
        }

        let (tenant, _) = try db.makeTwoTenants("metricsjob")
        let user = try db.caller(tenant, .user)
        let project = try user.call("POST", "/api/v1/projects", json: ["name": "jobs"]).json()["id"] as? Int ?? 0
        let dataset = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "inbound"]).json()["id"] as? Int ?? 0
        let created = try user.call("POST", "/api/v1/datasets/\(dataset)/tables", json: [
            "name": "loaded", "columns": [["name": "id", "type": "int64"]],
        ])
        XCTAssertEqual(created.status, 201, created.text)
        let table = try created.json()["id"] as? Int ?? 0
        let started = try user.call("POST", "/api/v1/tables/\(table)/imports", body: Array("id\n1\n2\n".utf8),
                                    headers: [("Content-Type", "text/csv")])
        XCTAssertEqual(started.status, 202, started.text)
        XCTAssertEqual(try user.awaitJob(started.headers["location"] ?? "")["status"] as? String, "completed")

        let after = try settledPage(db.stack, since: Date())
        XCTAssertEqual(after.types["datacovey_jobs_total"], "counter")
        XCTAssertEqual(after.types["datacovey_job_duration_seconds"], "histogram")
        XCTAssertEqual(after.value("datacovey_jobs_total\(completed)") - before.value("datacovey_jobs_total\(completed)"), 1)
        XCTAssertEqual(after.value("datacovey_job_duration_seconds_count\(completed)")
                       - before.value("datacovey_job_duration_seconds_count\(completed)"), 1)
    }
}
