@testable import DataCovey
import Foundation
import Logging
import MariaDB
import XCTest

/// Every registered job kind (`JobKinds.all`) against what must exist for it outside Swift: the
/// migrations' tables, views, grants and triggers, the routes and the OpenAPI document. The
/// shared machinery reads the registry, so a kind that is registered but not wired somewhere
/// fails here by name rather than at the first job of a customer. Each statement the machinery
/// writes for a kind is run for real, on the account that runs it, on a job id that cannot
/// exist (-1), so nothing changes and a missing column, view or grant is a MariaDB error.
final class JobKindRegistryTests: XCTestCase {
    /// Runs `body` for every registered kind; a failure names the kind.
    private func eachKind(file: StaticString = #filePath, line: UInt = #line, _ body: (JobKind) throws -> Void) {
        XCTAssertFalse(JobKinds.all.isEmpty)
        for kind in JobKinds.all {
            do {
                try body(kind)
            } catch {
                XCTFail("\(kind.table): \((error as? MariaDBError)?.debugDescription ?? "\(error)")", file: file, line: line)
            }
        }
    }

    func testKindsAreDistinct() {
        for name in [\JobKind.table, \.noun, \.collection, \.historyTable] {
            let values = JobKinds.all.map { $0[keyPath: name] }
            XCTAssertEqual(Set(values).count, values.count, "\(values) repeat a name")
        }
    }

    /// The job table has the shared columns the queue, cancellation and trash write, the kind's
    /// progress, owner and file columns, and the status values `JobStatus` knows.
    func testTableHasTheColumnsTheMachineryWrites() throws {
        let db = try StackDatabase.require()
        let ops = try db.ops()
        defer { ops.close() }
        eachKind { kind in
            let columns = Dictionary(uniqueKeysWithValues: try ops.query("""
                SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS
                 WHERE TABLE_SCHEMA = 'datacovey' AND TABLE_NAME = \(kind.table)
                """).map { try $0.decode((String, String).self) })
            guard !columns.isEmpty else { return XCTFail("datacovey.\(kind.table) does not exist") }
            let shared = ["id", "tenant_id", "status", "attempts", "lease_owner", "lease_expires_at", "started_at",
                          "finished_at", "error", "created_by", "version", "trash_id"]
            let own = kind.progress.names + kind.owners.map(\.column) + (kind.files == nil ? [] : ["file_path"])
            for column in shared + own {
                XCTAssertNotNil(columns[column], "\(kind.table) has no column \(column)")
            }
            let statuses = JobStatus.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
            XCTAssertEqual(columns["status"], "enum(\(statuses))")
            for dependent in kind.dependentTables {
                XCTAssertEqual(try ops.scalar("""
                    SELECT COUNT(*) FROM information_schema.COLUMNS
                     WHERE TABLE_SCHEMA = 'datacovey' AND TABLE_NAME = \(dependent) AND COLUMN_NAME = 'job_id'
                    """), 1, "\(dependent) has no job_id")
            }
        }
    }

    /// Claim, heartbeat, fail, hand back and complete, as the worker's account runs them.
    func testWorkerAccountRunsTheQueueStatements() throws {
        let db = try StackDatabase.require()
        let pool = MariaDBPool(configuration: db.configuration.workerDatabase, maxConnections: 1)
        defer { pool.shutDown() }
        eachKind { kind in
            let queue = JobQueue(kind: kind, pool: pool, owner: "registry-test", leaseSeconds: 3, maxAttempts: 3)
            let snapshot = JobProgress.Snapshot(bytes: 1, rows: 1, rejected: 0, percent: 1)
            try pool.withConnection { connection in
                try connection.withTransaction { connection in
                    _ = try connection.query("""
                        SELECT id, tenant_id, attempts, \(unsafeRaw: kind.claimColumns) FROM \(unsafeRaw: kind.table)
                         WHERE id = -1 FOR UPDATE SKIP LOCKED
                        """)
                    XCTAssertEqual(try connection.execute("""
                        UPDATE \(unsafeRaw: kind.table) SET status = 'running', lease_owner = 'registry-test',
                               attempts = attempts + 1, \(unsafeRaw: kind.resetProgress) WHERE id = -1
                        """).affectedRows, 0)
                }
                XCTAssertEqual(try connection.execute(queue.completion(-1, snapshot)).affectedRows, 0)
                XCTAssertFalse(try queue.holds(-1, on: connection))
            }
            XCTAssertEqual(try queue.heartbeat([-1: snapshot]), [-1], "a job nobody holds is lost")
            XCTAssertFalse(try queue.fail(-1, reason: "registry test", snapshot))
            try queue.handBack(-1)
        }
    }

    /// Cancel, the trash's marks and its check for running jobs, through the tenant views on
    /// the responder's account; the history view the history endpoint and the audit log read.
    func testResponderAccountReachesTheKindsViews() throws {
        let db = try StackDatabase.require()
        let app = try db.app()
        defer { app.close() }
        let (tenant, _) = try db.makeTwoTenants("jobkinds")
        try app.scope(tenant: tenant.tenantID, user: tenant.userID)
        eachKind { kind in
            XCTAssertFalse(try JobCancellation.cancel(-1, kind: kind, connection: app))
            XCTAssertEqual(try app.scalar("""
                SELECT COUNT(*) FROM \(unsafeRaw: kind.tableWithTrash) WHERE trash_id = -1 AND status IN ('pending', 'running')
                """), 0)
            for owner in kind.owners {
                XCTAssertEqual(try app.execute("""
                    UPDATE \(unsafeRaw: kind.tableWithTrash) SET trash_id = -1 WHERE trash_id = -1
                       AND \(unsafeRaw: owner.column) IN (SELECT id FROM \(unsafeRaw: owner.kind.viewWithTrash) WHERE trash_id = -1)
                    """).affectedRows, 0)
            }
            XCTAssertNil(try HistoryStore(connection: app).list(kind.historyKind, id: -1, Page(limit: 1)), "no versions of job -1")
        }
    }

    /// The history table, its triggers (no code path changes a job without a version), and the
    /// operators' purge of a trashed job with the rows that belong to it.
    func testHistoryTriggersAndPurgeStatements() throws {
        let db = try StackDatabase.require()
        let ops = try db.ops()
        defer { ops.close() }
        eachKind { kind in
            let triggers = Set(try ops.query("""
                SELECT CONCAT(ACTION_TIMING, ' ', EVENT_MANIPULATION) FROM information_schema.TRIGGERS
                 WHERE EVENT_OBJECT_SCHEMA = 'datacovey' AND EVENT_OBJECT_TABLE = \(kind.table)
                """).map { try $0.decode(String.self, at: 0) })
            XCTAssertTrue(triggers.isSuperset(of: ["AFTER INSERT", "AFTER UPDATE", "AFTER DELETE"]),
                          "\(kind.table) has triggers \(triggers.sorted())")
            XCTAssertEqual(try ops.scalar("SELECT COUNT(*) FROM datacovey.\(unsafeRaw: kind.historyTable) WHERE entity_id = -1"), 0)
            XCTAssertTrue(HistoryMaintenance.tracked.contains { $0.table == kind.table && $0.history == kind.historyTable })
            try ops.withTransaction { ops in
                for dependent in kind.dependentTables {
                    try ops.execute("""
                        DELETE FROM datacovey.\(unsafeRaw: dependent)
                         WHERE job_id IN (SELECT id FROM datacovey.\(unsafeRaw: kind.table) WHERE trash_id = -1)
                        """)
                }
                try ops.execute("DELETE FROM datacovey.\(unsafeRaw: kind.table) WHERE trash_id = -1")
            }
        }
    }

    /// The worker runs a runner of each kind, on that kind's queue.
    func testWorkerStartsARunnerForEachKind() throws {
        let configuration = try Configuration.fromEnvironment([:])
        let pool = MariaDBPool(configuration: configuration.workerDatabase, maxConnections: 1)
        defer { pool.shutDown() }
        let runners = Worker.runners(pool: pool, files: JobFiles(dataDirectory: "/nonexistent"), logger: Logger(label: "test"),
                                     configuration: configuration, owner: "registry-test")
        XCTAssertEqual(runners.map(\.queue.kind.table), JobKinds.all.map(\.table))
    }

    /// Each export source: its column in `export_jobs` (the claim, the trash marks and the
    /// purge run on it through `JobKind.exports`, above), its routes and its field in the document.
    func testExportSourcesAreWired() throws {
        let db = try StackDatabase.require()
        let ops = try db.ops()
        defer { ops.close() }
        let routes = Set(try ServedRoutes.list().map { "\($0.method) \($0.pattern)" })
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        let schemas = try XCTUnwrap((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let exportJob = try XCTUnwrap(schemas["ExportJob"]?["properties"] as? [String: Any])
        XCTAssertEqual(Set(ExportSources.all.map(\.column)).count, ExportSources.all.count, "two sources share a column")
        for source in ExportSources.all {
            XCTAssertEqual(try ops.scalar("""
                SELECT COUNT(*) FROM information_schema.COLUMNS
                 WHERE TABLE_SCHEMA = 'datacovey' AND TABLE_NAME = \(JobKind.exports.table) AND COLUMN_NAME = \(source.column)
                   AND IS_NULLABLE = 'YES'
                """), 1, "export_jobs has no nullable \(source.column)")
            XCTAssertTrue(JobKind.exports.claimColumns.contains(source.column))
            XCTAssertNotNil(exportJob[source.column], "the document's ExportJob has no \(source.column)")
            for method in ["GET", "POST"] {
                let path = "/api/v1/\(source.owner.collection)/{id}/exports"
                XCTAssertTrue(routes.contains("\(method) /api/v1/\(source.owner.collection)/{id:int}/exports"),
                              "the responder does not serve \(method) \(path)")
                XCTAssertNotNil(paths[path]?[method.lowercased()], "openapi.json does not document \(method) \(path)")
            }
        }
    }

    /// The responder serves each kind's status, cancel and history, and the OpenAPI document
    /// describes them, with the status values and the audit log's kind.
    func testRoutesAndOpenAPIDocumentKnowEachKind() throws {
        let routes = Set(try ServedRoutes.list().map { "\($0.method) \($0.pattern)" })
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        let schemas = try XCTUnwrap((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        let auditKinds = ((paths["/api/v1/audit"]?["get"] as? [String: Any])?["parameters"] as? [[String: Any]] ?? [])
            .first { $0["name"] as? String == "kind" }
            .flatMap { ($0["schema"] as? [String: Any])?["enum"] as? [String] }
        XCTAssertEqual(auditKinds, AuditStore.kinds.map(\.name), "the audit log's kinds, in the document")
        eachKind { kind in
            for (method, suffix) in [("GET", ""), ("POST", "/cancel"), ("GET", "/history")] {
                XCTAssertTrue(routes.contains("\(method) /api/v1/\(kind.collection)/{id:int}\(suffix)"),
                              "the responder does not serve \(method) /api/v1/\(kind.collection)/{id}\(suffix)")
                XCTAssertNotNil(paths["/api/v1/\(kind.collection)/{id}\(suffix)"]?[method.lowercased()],
                                "openapi.json does not document \(method) /api/v1/\(kind.collection)/{id}\(suffix)")
            }
            let ok = ((paths["/api/v1/\(kind.collection)/{id}"]?["get"] as? [String: Any])?["responses"] as? [String: Any])?["200"]
            let reference = (((ok as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any])
                .flatMap { ($0["schema"] as? [String: Any])?["$ref"] as? String }
            let schema = try XCTUnwrap(reference.flatMap { schemas[String($0.split(separator: "/").last ?? "")] },
                                       "GET /api/v1/\(kind.collection)/{id} answers no documented schema")
            let status = (schema["properties"] as? [String: Any])?["status"] as? [String: Any]
            XCTAssertEqual(status?["enum"] as? [String], JobStatus.allCases.map(\.rawValue))
            for column in kind.progress.names {
                XCTAssertNotNil((schema["properties"] as? [String: Any])?[column], "the document's job has no \(column)")
            }
        }
    }
}
