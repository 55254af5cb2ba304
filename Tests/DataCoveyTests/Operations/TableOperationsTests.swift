@testable import DataCovey
import MariaDB
import XCTest

/// The table use cases in-process, against the real MariaDB and its tenant views, with no
/// nginx and no HTTP: what an edge gets back, and the DomainError it must map, for each way a
/// request can go wrong.
final class TableOperationsTests: XCTestCase {
    private struct World {
        let database: Database
        let databases: DataDatabases
        let identity: Identity
        let stranger: Identity
        let dataset: Int64

        func run<T>(as identity: Identity? = nil, _ body: (TableOperations) throws -> T) throws -> T {
            let identity = identity ?? self.identity
            return try database.withTenant(identity.tenantID, userID: identity.userID) { connection in
                try body(TableOperations(caller: identity, connection: connection, databases: databases))
            }
        }
    }

    private func world(_ label: String) throws -> World {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants(label)
        let database = Database(pool: Database.responderPool(db.configuration, maxConnections: 2))
        let databases = DataDatabases(pool: MariaDBPool(configuration: db.configuration.dataDatabase, maxConnections: 1))
        func identity(_ fixture: TenantFixture) -> Identity {
            Identity(userID: fixture.userID, tenantID: fixture.tenantID, tenantName: fixture.tenantName, email: "a@example.com",
                     name: "A", role: .admin)
        }
        let dataset = try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection -> Int64 in
            let project = try ProjectStore(connection: connection, tenantID: tenant.tenantID).create(name: "ops", description: nil, createdBy: tenant.userID)
            return try DatasetStore(connection: connection, tenantID: tenant.tenantID)
                .create(project: project.id, name: "raw", description: nil, createdBy: tenant.userID, databases: databases).id
        }
        return World(database: database, databases: databases, identity: identity(tenant), stranger: identity(other), dataset: dataset)
    }

    func testCreateFindChangeAndTheRefusalsEachEdgeMaps() throws {
        let world = try world("tableops")
        defer { world.database.shutDown() }
        let definition = try TableOperations.definition(name: "orders", columnLines: ["id int64", "amount decimal(10, 2)"])
        let created = try world.run { try $0.create(definition, inDataset: world.dataset) }
        XCTAssertEqual(created.columns.map { "\($0.name) \($0.type)" }, ["id int64", "amount decimal(10,2)"])

        let found = try world.run { try $0.find(created.id, exactCount: true) }
        XCTAssertEqual(found.table.rowCount, 0)
        XCTAssertEqual(found.dataset.id, world.dataset)

        var change = TableOperations.Change()
        change.addColumns = [TableDefinition.ColumnInput(name: "note", type: "text")]
        change.renameColumns = ["amount": "total"]
        let changed = try world.run { try $0.change(created.id, change, expectedVersion: created.version) }
        XCTAssertEqual(changed.columns.map(\.name), ["id", "total", "note"])

        // What each edge turns into 409, 412, 404 and 400.
        XCTAssertEqual(domainRefusal { try world.run { try $0.create(definition, inDataset: world.dataset) } }?.kind, .conflict)
        XCTAssertEqual(domainRefusal { try world.run { try $0.change(created.id, TableOperations.Change(name: "x"), expectedVersion: created.version) } }?.kind,
                       .stale)
        XCTAssertEqual(domainRefusal { try world.run(as: world.stranger) { try $0.find(created.id) } }?.kind, .notFound,
                       "another tenant's table does not exist for the stranger")
        XCTAssertEqual(domainRefusal { try world.run(as: world.stranger) { try $0.create(definition, inDataset: world.dataset) } }?.kind, .notFound)
        let badLine = domainRefusal { try TableOperations.definition(name: "t", columnLines: ["id"]) }
        XCTAssertEqual(badLine?.kind, .invalid)
        XCTAssertEqual(badLine?.detail, "Line 1 must be a column name, a space and a type.")
        XCTAssertEqual(domainRefusal { try TableOperations.definition(name: "bad name!", columnLines: []) }?.fields.first?.field, "name")
        var required = TableOperations.Change()
        required.addColumns = [TableDefinition.ColumnInput(name: "must", type: "int64", nullable: false)]
        XCTAssertEqual(domainRefusal { try world.run { try $0.change(created.id, required, expectedVersion: nil) } }?.fields.first?.field,
                       "add_columns.0.nullable")
    }
}
