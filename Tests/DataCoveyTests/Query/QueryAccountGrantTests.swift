@testable import DataCovey
import Foundation
import MariaDB
import TestSupport
import XCTest

/// A new dataset is granted to its project's query account alone (sql/0027): one GRANT, not
/// the whole account revoked and granted again (on a Galera cluster each of those runs on every
/// node in total order). A missing account is made whole by the full sync instead.
final class QueryAccountGrantTests: XCTestCase {
    /// The databases `dcq_<project>` may SELECT from, from its grants, sorted.
    private func grantedDatabases(_ superuser: MariaDBConnection, project: Int) throws -> [String] {
        let host = try superuser.query("SELECT value FROM datacovey.account_settings WHERE name = 'account_host'")[0]
            .decode(String.self, at: 0)
        let grants = try superuser.query("SHOW GRANTS FOR 'dcq_\(unsafeRaw: String(project))'@'\(unsafeRaw: host)'")
            .map { try $0.decode(String.self, at: 0) }
        return grants.compactMap { grant -> String? in
            guard grant.hasPrefix("GRANT SELECT ON `"), let end = grant.range(of: "`.*") else { return nil }
            let start = grant.index(grant.startIndex, offsetBy: "GRANT SELECT ON `".count)
            return grant[start..<end.lowerBound].replacingOccurrences(of: "\\_", with: "_")
        }.sorted()
    }

    private func dataDatabase(_ superuser: MariaDBConnection, dataset: Int) throws -> String {
        try superuser.query("SELECT data_database FROM datacovey.datasets WHERE id = \(dataset)")[0].decode(String.self, at: 0)
    }

    func testANewDatasetIsGrantedAloneAndAMissingAccountIsMadeWhole() throws {
        let db = try StackDatabase.require()
        let (tenant, other) = try db.makeTwoTenants("qgrant")
        let user = try db.caller(tenant, .user)
        let superuser = try db.superuser()
        defer { superuser.close() }

        let project = try user.call("POST", "/api/v1/projects", json: ["name": "p"]).json()["id"] as? Int ?? 0
        XCTAssertEqual(try grantedDatabases(superuser, project: project), [], "a new project's account reads nothing")
        var datasets: [Int] = []
        for name in ["a", "b"] {
            let answer = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": name])
            XCTAssertEqual(answer.status, 201, answer.text)
            datasets.append(try answer.json()["id"] as? Int ?? 0)
        }
        var expected = try datasets.map { try dataDatabase(superuser, dataset: $0) }.sorted()
        XCTAssertEqual(try grantedDatabases(superuser, project: project), expected)

        // Only the dataset's own tenant can have it granted.
        let foreign = try db.app()
        defer { foreign.close() }
        try foreign.scope(tenant: other.tenantID, user: other.userID)
        XCTAssertMariaDBError(1644, try foreign.execute("CALL datacovey_app.grant_query_dataset(\(datasets[0]))"))

        // The account lost (dropped by hand): the next dataset's grant fails, and the full sync
        // makes the account again with every dataset of the project.
        let host = try superuser.query("SELECT value FROM datacovey.account_settings WHERE name = 'account_host'")[0]
            .decode(String.self, at: 0)
        try superuser.execute("DROP USER 'dcq_\(unsafeRaw: String(project))'@'\(unsafeRaw: host)'")
        let third = try user.call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": "c"])
        XCTAssertEqual(third.status, 201, third.text)
        expected = (expected + [try dataDatabase(superuser, dataset: try third.json()["id"] as? Int ?? 0)]).sorted()
        XCTAssertEqual(try grantedDatabases(superuser, project: project), expected)
    }
}
