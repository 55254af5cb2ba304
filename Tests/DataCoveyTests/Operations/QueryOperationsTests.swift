@testable import DataCovey
import MariaDB
import XCTest

/// Saved queries, runs and their history in-process against the real MariaDB and the
/// project's own query account, no nginx: what the API and the query page both get.
final class QueryOperationsTests: XCTestCase {
    func testSavedQueriesAreCheckedBeforeTheyAreStoredAndRunAsThemselves() throws {
        let world = try OperationsWorld("queryops")
        defer { world.shutDown() }
        _ = try world.table("orders", ["id int64", "amount decimal(10,2)"])
        try world.run { caller, connection in
            let store = try RowOperations(caller: caller, connection: connection, databases: world.databases).store(ofTable: try
                TableOperations(caller: caller, connection: connection, databases: world.databases).list(inDataset: world.dataset, Page(limit: 10))[0].id)
            XCTAssertEqual(try RowOperations.insert(json: Array(#"[{"id": 1, "amount": "12.50"}, {"id": 2, "amount": "3.25"}]"#.utf8), into: store), 2)

            let saved = SavedQueryOperations(caller: caller, connection: connection)
            let minimum = QueryParameter(name: "minimum", type: "decimal(10,2)", default: .string("5.00"))
            let query = try saved.create(inProject: world.project, name: "big", description: nil,
                                         sql: "SELECT id FROM raw.orders WHERE amount >= :minimum ORDER BY id", parameters: [minimum])
            XCTAssertEqual(query.parameters, [minimum])

            let undeclared = domainRefusal {
                try saved.create(inProject: world.project, name: "loose", description: nil, sql: "SELECT :x", parameters: [])
            }
            XCTAssertEqual(undeclared?.kind, .invalid)
            XCTAssertEqual(undeclared?.fields, [FieldProblem(field: "parameters", message: ":x is used but not declared")])
            XCTAssertEqual(domainRefusal {
                try saved.create(inProject: world.project, name: "typo", description: nil, sql: "SELECT :x",
                                 parameters: [QueryParameter(name: "x", type: "money", default: nil)])
            }?.detail, "Parameter x has an unknown type money.")
            XCTAssertEqual(domainRefusal {
                try saved.create(inProject: world.project, name: "big", description: nil, sql: "SELECT 1", parameters: [])
            }?.kind, .conflict, "names are unique in a project")
            XCTAssertEqual(domainRefusal {
                try saved.update(query.id, name: "bigger", description: nil, sql: nil, parameters: nil, expectedVersion: query.version + 1)
            }?.kind, .stale)
            XCTAssertEqual(domainRefusal {
                try saved.update(query.id, name: nil, description: nil, sql: "SELECT 1", parameters: nil, expectedVersion: nil)
            }?.fields.first?.field, "parameters", "the declarations are checked against the new SQL too")

            let operations = QueryOperations(caller: caller, connection: connection, service: world.service)
            let byDefault = try operations.runSaved(query, .init())
            XCTAssertEqual(byDefault.result.rows.count, 1)
            XCTAssertEqual(byDefault.result.rows.text(row: 0, column: 0), "1")
            let given = try operations.runSaved(query, .init(params: .object(["minimum": .string("1")])))
            XCTAssertEqual(given.result.rows.count, 2)

            let adHoc = try operations.run(sql: "SELECT SUM(amount) AS total FROM raw.orders", inProject: world.project, .init())
            XCTAssertEqual(adHoc.result.rows.text(row: 0, column: 0), "15.75")
            XCTAssertEqual(domainRefusal { try operations.run(sql: "  ", inProject: world.project, .init()) }?.fields.first?.field, "sql")
            XCTAssertEqual(domainRefusal { try operations.run(sql: "SELECT 1", inProject: world.project, .init(limit: 0)) }?.fields.first?.field,
                           "limit")
            XCTAssertEqual(domainRefusal { try operations.run(sql: "DROP TABLE raw.orders", inProject: world.project, .init()) }?.kind,
                           .invalid, "the guard refuses it, and the refusal is recorded as a run")

            let history = QueryRunHistory(caller: caller, connection: connection)
            let runs = try history.runs(inProject: world.project, .init(), Page(limit: 10))
            XCTAssertEqual(runs.map(\.status), ["failed", "completed", "completed", "completed"])
            XCTAssertEqual(try history.runs(ofQuery: query.id, .init(), Page(limit: 10)).map(\.queryID), [query.id, query.id])
            XCTAssertEqual(try history.runs(inProject: world.project, try QueryRunHistory.filter { $0 == "status" ? "failed" : nil },
                                            Page(limit: 10)).count, 1)
            XCTAssertEqual(domainRefusal { try QueryRunHistory.filter { $0 == "status" ? "done" : nil } }?.fields.first?.field, "status")
            XCTAssertEqual(try history.run(runs[1].id).rowCount, 1)
        }
        // Another tenant sees none of it.
        try world.run(as: world.stranger) { caller, connection in
            XCTAssertEqual(domainRefusal { try SavedQueryOperations(caller: caller, connection: connection).list(inProject: world.project, Page(limit: 10)) }?.kind,
                           .notFound)
            XCTAssertEqual(domainRefusal {
                try QueryOperations(caller: caller, connection: connection, service: world.service).run(sql: "SELECT 1", inProject: world.project, .init())
            }?.kind, .notFound)
            XCTAssertEqual(domainRefusal { try QueryRunHistory(caller: caller, connection: connection).runs(inProject: world.project, .init(), Page(limit: 10)) }?.kind,
                           .notFound)
        }
    }
}
