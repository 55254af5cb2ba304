@testable import DataCovey
import Logging
import MariaDB

/// Two tenants, each an admin, and for the first a project with one dataset: what the
/// operations tests run against, in-process on the real MariaDB (no nginx, no HTTP).
struct OperationsWorld {
    let database: Database
    let databases: DataDatabases
    let service: QueryService
    let admin: Identity
    let stranger: Identity
    let project: Int64
    let dataset: Int64

    init(_ label: String) throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants(label)
        database = Database(pool: Database.responderPool(db.configuration, maxConnections: 2))
        databases = DataDatabases(pool: MariaDBPool(configuration: db.configuration.dataDatabase, maxConnections: 2))
        service = QueryService(configuration: db.configuration, logger: Logger(label: "operations-test"))
        func identity(_ fixture: TenantFixture) -> Identity {
            Identity(userID: fixture.userID, tenantID: fixture.tenantID, tenantName: fixture.tenantName, email: "a@example.com",
                     name: "A", role: .admin)
        }
        admin = identity(tenant)
        stranger = identity(other)
        let databases = databases
        let accounts = service.accounts
        (project, dataset) = try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection -> (Int64, Int64) in
            let projects = ProjectOperations(caller: identity(tenant), connection: connection, databases: databases, accounts: accounts)
            let project = try projects.create(name: "ops", description: nil)
            return (project.id, try projects.createDataset(inProject: project.id, name: "raw", description: nil).id)
        }
    }

    /// `body` on a connection scoped to `identity`'s tenant (the admin's unless given).
    func run<T>(as identity: Identity? = nil, _ body: (Identity, MariaDBConnection) throws -> T) throws -> T {
        let identity = identity ?? admin
        return try database.withTenant(identity.tenantID, userID: identity.userID) { connection in try body(identity, connection) }
    }

    /// A table with columns `lines` (`name type`) in the dataset.
    func table(_ name: String, _ lines: [String]) throws -> DataTable {
        try table(try TableOperations.definition(name: name, columnLines: lines))
    }

    func table(_ definition: TableDefinition) throws -> DataTable {
        try run { caller, connection in
            try TableOperations(caller: caller, connection: connection, databases: databases).create(definition, inDataset: dataset)
        }
    }

    func shutDown() {
        service.shutDown()
        database.shutDown()
    }
}
