@testable import DataCovey
import MariaDB
import XCTest

/// The user and project use cases in-process against the real MariaDB, no nginx: the rules an
/// edge relies on, and the DomainError kind each refusal carries.
final class UserAndProjectOperationsTests: XCTestCase {
    func testAnAdminCannotLockThemselvesOutAndInvitationsFollowTheRules() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("userops")
        let database = Database(pool: Database.responderPool(db.configuration, maxConnections: 1))
        defer { database.shutDown() }
        let admin = Identity(userID: tenant.userID, tenantID: tenant.tenantID, tenantName: tenant.tenantName, email: "a@x.test",
                             name: "A", role: .admin)
        try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection in
            let users = UserOperations(caller: admin, connection: connection)
            let invited = try users.invite(email: "New.Person@Example.TEST", name: "  New  ", role: "viewer")
            XCTAssertEqual(invited.email, "new.person@example.test")
            XCTAssertEqual(invited.name, "New")
            XCTAssertNil(invited.sub, "an invitation has no subject until its first sign-in")
            XCTAssertEqual(domainRefusal { try users.invite(email: "new.person@example.test", name: "Again", role: "viewer") }?.kind, .conflict)
            XCTAssertEqual(domainRefusal { try users.invite(email: "not-an-address", name: "X", role: "viewer") }?.fields.first?.field, "email")
            XCTAssertEqual(domainRefusal { try users.invite(email: "b@example.test", name: "X", role: "owner") }?.fields.first?.field, "role")

            var demote = UserOperations.Change()
            demote.role = "user"
            XCTAssertEqual(domainRefusal { try users.change(tenant.userID, demote, expectedVersion: nil) }?.detail,
                           "You cannot lower your own role; ask another admin.")
            var disable = UserOperations.Change()
            disable.disabled = true
            XCTAssertEqual(domainRefusal { try users.change(tenant.userID, disable, expectedVersion: nil) }?.kind, .conflict)
            XCTAssertEqual(domainRefusal { try users.remove(tenant.userID, expectedVersion: nil) }?.kind, .conflict)
            let promoted = try users.change(invited.id, demote, expectedVersion: invited.version)
            XCTAssertEqual(promoted.role, "user")
            XCTAssertEqual(domainRefusal { try users.change(invited.id, demote, expectedVersion: invited.version) }?.kind, .stale)
            try users.remove(invited.id, expectedVersion: nil)
            XCTAssertEqual(domainRefusal { try users.user(invited.id) }?.kind, .notFound)
        }
    }

    func testProjectsAndDatasetsAreCheckedOnceForEveryEdge() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("projops")
        let database = Database(pool: Database.responderPool(db.configuration, maxConnections: 1))
        let databases = DataDatabases(pool: MariaDBPool(configuration: db.configuration.dataDatabase, maxConnections: 1))
        defer { database.shutDown() }
        let accounts = QueryAccounts(settings: db.configuration.queries)
        func identity(_ fixture: TenantFixture) -> Identity {
            Identity(userID: fixture.userID, tenantID: fixture.tenantID, tenantName: fixture.tenantName, email: "a@x.test", name: "A", role: .admin)
        }
        let created = try database.withTenant(tenant.tenantID, userID: tenant.userID) { connection -> (Project, Dataset) in
            let projects = ProjectOperations(caller: identity(tenant), connection: connection, databases: databases, accounts: accounts)
            XCTAssertEqual(domainRefusal { try projects.create(name: "bad name!", description: nil) }?.fields.first?.field, "name")
            XCTAssertEqual(domainRefusal { try projects.create(name: "ok", description: String(repeating: "d", count: 2001)) }?.fields.first?.field,
                           "description")
            let project = try projects.create(name: "ops", description: nil)
            XCTAssertEqual(domainRefusal { try projects.create(name: "ops", description: nil) }?.kind, .conflict)
            XCTAssertEqual(try projects.datasets(inProject: project.id, Page(limit: 10)), [])
            let dataset = try projects.createDataset(inProject: project.id, name: "raw", description: "first")
            XCTAssertEqual(try projects.datasets(inProject: project.id, Page(limit: 10)).map(\.name), ["raw"])
            let renamed = try projects.updateDataset(dataset.id, name: "raw_v2", description: .some(nil), expectedVersion: dataset.version)
            XCTAssertEqual(renamed.name, "raw_v2")
            XCTAssertNil(renamed.description)
            return (project, dataset)
        }
        try database.withTenant(other.tenantID, userID: other.userID) { connection in
            let stranger = ProjectOperations(caller: identity(other), connection: connection, databases: databases, accounts: accounts)
            XCTAssertEqual(domainRefusal { try stranger.project(created.0.id) }?.kind, .notFound)
            XCTAssertEqual(domainRefusal { try stranger.datasets(inProject: created.0.id, Page(limit: 10)) }?.kind, .notFound,
                           "another tenant's project is not an empty one")
            XCTAssertEqual(domainRefusal { try stranger.createDataset(inProject: created.0.id, name: "x", description: nil) }?.kind, .notFound)
        }
    }
}
