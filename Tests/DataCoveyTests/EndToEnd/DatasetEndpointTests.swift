import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// `/api/v1/projects/{id}/datasets` and `/api/v1/datasets/{id}` through nginx.
final class DatasetEndpointTests: XCTestCase {
    private func project(_ caller: APICaller, _ name: String) throws -> Int {
        let response = try caller.call("POST", "/api/v1/projects", json: ["name": name])
        XCTAssertEqual(response.status, 201, response.text)
        return try response.json()["id"] as? Int ?? 0
    }

    private func databaseExists(_ db: StackDatabase, datasetID: Int) throws -> (name: String?, exists: Bool) {
        let superuser = try db.superuser()
        defer { superuser.close() }
        let name = try superuser.query("SELECT data_database FROM datacovey.datasets WHERE id = \(Int64(datasetID))")
            .first.flatMap { try $0.decode(String?.self, at: 0) }
        guard let name else { return (nil, false) }
        let count = try superuser.scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(name)")
        return (name, count == 1)
    }

    func testCreatingADatasetCreatesItsDataDatabaseAndDeletingTrashesIt() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("datasets")
        let user = try db.caller(tenant, .user)
        let projectID = try project(user, "warehouse")

        let created = try user.call("POST", "/api/v1/projects/\(projectID)/datasets", json: ["name": "raw", "description": "landing"])
        XCTAssertEqual(created.status, 201, created.text)
        let json = try created.json()
        let id = json["id"] as? Int ?? 0
        XCTAssertEqual(json["project_id"] as? Int, projectID)
        XCTAssertEqual(json["version"] as? Int, 1, "created as one version")
        XCTAssertNil(json["data_database"], "the physical name stays internal")
        XCTAssertEqual(created.headers["location"], "/api/v1/datasets/\(id)")
        let physical = try databaseExists(db, datasetID: id)
        XCTAssertTrue(physical.exists, "dcd database \(physical.name ?? "-") exists")
        XCTAssertTrue(physical.name?.hasPrefix("dcd_") ?? false)

        let listed = try user.call("GET", "/api/v1/projects/\(projectID)/datasets")
        XCTAssertEqual((try listed.json()["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, ["raw"])

        let renamed = try user.call("PATCH", "/api/v1/datasets/\(id)", json: ["name": "landing"], headers: [("If-Match", "\"1\"")])
        XCTAssertEqual(renamed.status, 200)
        XCTAssertEqual(renamed.headers["etag"], "\"2\"")

        XCTAssertEqual(try user.call("DELETE", "/api/v1/datasets/\(id)").status, 204)
        XCTAssertEqual(try user.call("GET", "/api/v1/datasets/\(id)").status, 404)
        let superuser = try db.superuser()
        // Deleted into the trash: the database stays until `trash purge`.
        XCTAssertEqual(try superuser.scalar("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = \(physical.name ?? "")"), 1)
        let history = try superuser.query("""
            SELECT version, operation, actor_user_id FROM datacovey.dataset_history WHERE entity_id = \(Int64(id)) ORDER BY version
            """).map { try $0.decode((Int64, String, Int64?).self) }
        XCTAssertEqual(history.map(\.1), ["insert", "update", "delete"])
        XCTAssertEqual(Set(history.map(\.2)), [user.userID])
    }

    func testNamesAreUniquePerProjectAndAProjectWithDatasetsIsTrashedWithThem() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("dsnames")
        let user = try db.caller(tenant, .user)
        let first = try project(user, "one")
        let second = try project(user, "two")
        XCTAssertEqual(try user.call("POST", "/api/v1/projects/\(first)/datasets", json: ["name": "events"]).status, 201)
        XCTAssertEqual(try user.call("POST", "/api/v1/projects/\(first)/datasets", json: ["name": "Events"]).status, 409)
        XCTAssertEqual(try user.call("POST", "/api/v1/projects/\(second)/datasets", json: ["name": "events"]).status, 201)
        XCTAssertEqual(try user.call("DELETE", "/api/v1/projects/\(first)").status, 204)
        XCTAssertEqual(try user.call("GET", "/api/v1/projects/\(first)/datasets").status, 404)
        // A trashed name is free again.
        XCTAssertEqual(try user.call("POST", "/api/v1/projects", json: ["name": "one"]).status, 201)
    }

    func testAnotherTenantsProjectsAndDatasetsAreNotFound() throws {
        let db = try StackDatabase.require()
        let (mine, theirs) = try db.makeTwoTenants("dsiso")
        let owner = try db.caller(theirs, .admin)
        let theirProject = try project(owner, "private")
        let theirDataset = try owner.call("POST", "/api/v1/projects/\(theirProject)/datasets", json: ["name": "secrets"]).json()["id"] as? Int ?? 0
        let intruder = try db.caller(mine, .admin)
        XCTAssertEqual(try intruder.call("GET", "/api/v1/projects/\(theirProject)/datasets").status, 404)
        XCTAssertEqual(try intruder.call("POST", "/api/v1/projects/\(theirProject)/datasets", json: ["name": "planted"]).status, 404)
        XCTAssertEqual(try intruder.call("GET", "/api/v1/datasets/\(theirDataset)").status, 404)
        XCTAssertEqual(try intruder.call("PATCH", "/api/v1/datasets/\(theirDataset)", json: ["name": "x"]).status, 404)
        XCTAssertEqual(try intruder.call("DELETE", "/api/v1/datasets/\(theirDataset)").status, 404)
        XCTAssertTrue(try databaseExists(db, datasetID: theirDataset).exists, "their data database is untouched")
        XCTAssertEqual(try owner.call("GET", "/api/v1/projects/\(theirProject)/datasets").json()["items"].map { ($0 as? [Any])?.count }, 1)
    }

    func testViewersReadDatasetsButCannotChangeThem() throws {
        let db = try StackDatabase.require()
        let (tenant, _) = try db.makeTwoTenants("dsroles")
        let user = try db.caller(tenant, .user)
        let projectID = try project(user, "shared")
        let id = try user.call("POST", "/api/v1/projects/\(projectID)/datasets", json: ["name": "facts"]).json()["id"] as? Int ?? 0
        let viewer = try db.caller(tenant, .viewer)
        XCTAssertEqual(try viewer.call("GET", "/api/v1/datasets/\(id)").status, 200)
        XCTAssertEqual(try viewer.call("GET", "/api/v1/projects/\(projectID)/datasets").status, 200)
        XCTAssertEqual(try viewer.call("POST", "/api/v1/projects/\(projectID)/datasets", json: ["name": "more"]).status, 403)
        XCTAssertEqual(try viewer.call("PATCH", "/api/v1/datasets/\(id)", json: ["name": "x"]).status, 403)
        XCTAssertEqual(try viewer.call("DELETE", "/api/v1/datasets/\(id)").status, 403)
    }
}
