@testable import DataCovey
import MariaDB
import XCTest

/// Rows, the trash and restores in-process against the real MariaDB, no nginx: the pages and
/// the API share these, so each refusal's kind is what both edges map.
final class RowAndTrashOperationsTests: XCTestCase {
    func testRowsArePagedFilteredAndInsertedAllOrNothing() throws {
        let world = try OperationsWorld("rowops")
        defer { world.shutDown() }
        let table = try world.table(TableDefinition(name: "items", description: nil, columns: try TableDefinition.columns([
            .init(name: "id", type: "int64", nullable: false, primaryKey: true), .init(name: "price", type: "decimal(6,2)"),
            .init(name: "label", type: "string"),
        ], field: "columns"), autodetect: false))
        try world.run { caller, connection in
            let rows = RowOperations(caller: caller, connection: connection, databases: world.databases)
            let store = try rows.store(ofTable: table.id)
            XCTAssertEqual(store.columns.map(\.name), ["id", "price", "label"])
            let body = #"[{"id": 1, "price": "1.10", "label": "a"}, {"id": 2, "price": 2.5}, {"id": 3, "price": "30", "label": "c"}]"#
            XCTAssertEqual(try RowOperations.insert(json: Array(body.utf8), into: store), 3)

            let wrong = domainRefusal { try RowOperations.insert(json: Array(#"[{"id": 4, "price": "1.001"}, {"id": "x"}]"#.utf8), into: store) }
            XCTAssertEqual(wrong?.kind, .unprocessable)
            XCTAssertEqual(wrong?.detail, "2 values do not fit the table; no row was inserted.")
            XCTAssertEqual(wrong?.fields.map(\.field), ["0.price", "1.id"])
            XCTAssertEqual(domainRefusal { try RowOperations.insert(json: Array(#"[{"id": 1}]"#.utf8), into: store) }?.kind, .conflict,
                           "a repeated primary key")
            XCTAssertEqual(domainRefusal { try RowOperations.insert(json: Array(#"{"id": 9}"#.utf8), into: store) }?.detail,
                           "The body must be a JSON array of row objects.")
            XCTAssertEqual(domainRefusal { try RowOperations.insert(json: Array("[]".utf8), into: store) }?.detail, "The body holds no rows.")

            // Price above 2, most expensive first, one per page.
            var request = RowOperations.PageRequest(filters: [("price", "gt.2")], order: "price.desc", limit: 1)
            let first = try RowOperations.page(store, request)
            XCTAssertEqual(first.rows.map { $0.cells[0] }, [.int(3)])
            let cursor = try XCTUnwrap(first.nextCursor)
            request.cursor = cursor
            let second = try RowOperations.page(store, request)
            XCTAssertEqual(second.rows.map { $0.cells[0] }, [.int(2)])
            XCTAssertNil(second.nextCursor)
            XCTAssertEqual(domainRefusal { try RowOperations.page(store, .init(cursor: "nonsense", limit: 1)) }?.fields.first?.field, "cursor")
            XCTAssertEqual(domainRefusal { try RowOperations.page(store, .init(order: "colour.asc", limit: 1)) }?.fields.first?.field, "order")
            XCTAssertEqual(domainRefusal { try RowOperations.page(store, .init(filters: [("price", "gt.cheap")], limit: 1)) }?.fields.first?.field,
                           "price")
        }
        let pending = try world.run { caller, connection in
            try TableOperations(caller: caller, connection: connection, databases: world.databases)
                .create(TableDefinition(name: "later", description: nil, columns: [], autodetect: true), inDataset: world.dataset)
        }
        XCTAssertEqual(domainRefusal {
            try world.run { caller, connection in try RowOperations(caller: caller, connection: connection, databases: world.databases).store(ofTable: pending.id) }
        }?.kind, .conflict, "an autodetect table has no rows before its first import")
        XCTAssertEqual(domainRefusal {
            try world.run(as: world.stranger) { caller, connection in
                try RowOperations(caller: caller, connection: connection, databases: world.databases).store(ofTable: table.id)
            }
        }?.kind, .notFound)
    }

    func testDeletedObjectsWaitInTheTrashAndComeBackAsTheyWere() throws {
        let world = try OperationsWorld("trashops")
        defer { world.shutDown() }
        let table = try world.table("kept", ["id int64"])
        try world.run { caller, connection in
            let trash = TrashOperations(caller: caller, connection: connection, databases: world.databases)
            XCTAssertEqual(domainRefusal { try trash.delete(.table, table.id, expectedVersion: table.version + 1, retentionDays: 7) }?.kind, .stale)
            try trash.delete(.table, table.id, expectedVersion: table.version, retentionDays: 7)
            XCTAssertFalse(try trash.isVisible(.table, table.id))
            XCTAssertTrue(try trash.isVisible(.table, table.id, includingTrash: true))
            XCTAssertEqual(try trash.list(kind: .table, Page(limit: 10)).map(\.name), ["kept"])
            XCTAssertEqual(try trash.list(kind: .query, Page(limit: 10)).count, 0)

            let noVersion = RestoreInput(version: 0, renameTo: nil, dropColumns: nil)
            XCTAssertEqual(domainRefusal { try trash.restore(.table, table.id, noVersion, expectedVersion: nil) }?.fields.first?.field, "version")
            guard case .table(let restored) = try trash.restore(.table, table.id, RestoreInput(version: nil, renameTo: nil, dropColumns: nil),
                                                                expectedVersion: nil) else {
                return XCTFail("a table restore answers the table")
            }
            XCTAssertEqual(restored.name, "kept")
            XCTAssertGreaterThan(restored.version, table.version, "the restore is a new version")
            XCTAssertEqual(try trash.list(kind: nil, Page(limit: 10)).count, 0)

            let history = try HistoryOperations(connection: connection).versions(.tables, table.id, Page(limit: 10))
            XCTAssertEqual(history.map(\.operation), ["insert", "delete", "insert"])
        }
        XCTAssertEqual(domainRefusal {
            try world.run(as: world.stranger) { caller, connection in
                try TrashOperations(caller: caller, connection: connection, databases: world.databases)
                    .delete(.table, table.id, expectedVersion: nil, retentionDays: 7)
            }
        }?.kind, .notFound)
        XCTAssertEqual(domainRefusal {
            try world.run(as: world.stranger) { _, connection in try HistoryOperations(connection: connection).versions(.tables, table.id, Page(limit: 10)) }
        }?.kind, .notFound, "another tenant's history does not exist for the stranger")
    }

    func testJobsAreReadCancelledAndRefusedTheSameWayForEveryEdge() throws {
        let world = try OperationsWorld("jobops")
        defer { world.shutDown() }
        let table = try world.table("loads", ["id int64", "name string"])
        try world.run { caller, connection in
            let imports = ImportOperations(caller: caller, connection: connection, databases: world.databases)
            // Made and cancelled in one transaction, so the worker never sees it pending.
            let job = try connection.withTransaction { _ in
                let started = try imports.start(table: table.id, options: ImportOptions(format: .csv), filePath: "uploads/none.csv",
                                                bytes: 0, idempotencyKey: nil)
                XCTAssertTrue(started.isNew)
                return try imports.cancel(started.job.id)
            }
            XCTAssertEqual(job.status, .failed)
            XCTAssertEqual(job.error, "cancelled")
            XCTAssertEqual(domainRefusal { try imports.cancel(job.id) }?.detail, "The import has already failed; it cannot be cancelled.")
            XCTAssertEqual(domainRefusal { try imports.revert(job.id, expectedVersion: nil) }?.detail,
                           "Only a completed import can be reverted; this one is failed.")
            XCTAssertEqual(try imports.jobs(ofTable: table.id, Page(limit: 10)).map(\.id), [job.id])
            XCTAssertEqual(try imports.rejects(ofJob: job.id, Page(limit: 10)).count, 0)

            let exports = ExportOperations(caller: caller, connection: connection, databases: world.databases)
            var options = ExportOptions()
            options.columns = ["id", "colour"]
            XCTAssertEqual(domainRefusal { try exports.startTableExport(table, options: options) }?.fields.first?.field, "columns.1")
            options.columns = ["id"]
            options.filter = ["name": "like.a%", "id": "gt.x"]
            XCTAssertEqual(domainRefusal { try exports.startTableExport(table, options: options) }?.fields.first?.field, "filter.id")
            XCTAssertEqual(domainRefusal { try exports.startQueryExport(999_999_999, options: ExportOptions()) }?.kind, .notFound)
            options.filter = nil
            let export = try connection.withTransaction { _ in try exports.cancel(try exports.startTableExport(table, options: options).id) }
            XCTAssertEqual(export.error, "cancelled")
            XCTAssertEqual(exports.downloadName(export), "loads-\(export.id)")
            XCTAssertEqual(exports.sourceName(export), "loads")
            XCTAssertEqual(try exports.jobs(ofTable: table.id, Page(limit: 10)).map(\.id), [export.id])
        }
        try world.run(as: world.stranger) { caller, connection in
            let imports = ImportOperations(caller: caller, connection: connection, databases: world.databases)
            XCTAssertEqual(domainRefusal { try imports.jobs(ofTable: table.id, Page(limit: 10)) }?.kind, .notFound)
            let exports = ExportOperations(caller: caller, connection: connection, databases: world.databases)
            XCTAssertEqual(domainRefusal { try exports.jobs(ofTable: table.id, Page(limit: 10)) }?.kind, .notFound)
        }
    }
}
