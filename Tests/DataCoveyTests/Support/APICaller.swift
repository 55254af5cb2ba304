import DataCovey
import Foundation
import MariaDB
import TestSupport

/// A signed-in API client of the test stack: a user of one tenant with one role and a token from
/// the stack's development issuer.
struct APICaller {
    let db: StackDatabase
    let token: String
    let userID: Int64

    /// Sends `json` (any JSONSerialization value) or raw `body` with the caller's token.
    func call(_ method: String, _ path: String, json: Any? = nil, body: [UInt8]? = nil,
              headers: [(String, String)] = []) throws -> HTTPTestClient.Response {
        var all = [("Authorization", "Bearer \(token)")] + headers
        var bytes = body ?? []
        if let json {
            bytes = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]))
            all.append(("Content-Type", "application/json"))
        }
        return try db.stack.http(method, path, headers: all, body: bytes)
    }
}

extension StackDatabase {
    /// A caller of `tenant` with `role`: the fixture's admin, or a new user with that role.
    func caller(_ tenant: TenantFixture, _ role: Role) throws -> APICaller {
        let ops = try ops()
        defer { ops.close() }
        let userID: Int64
        if role == .admin {
            userID = tenant.userID
        } else {
            let suffix = String(UInt32.random(in: 0..<UInt32.max), radix: 36)
            userID = try TenantDirectory(connection: ops).addUser(
                tenant: tenant.tenantName, email: "\(role.rawValue)-\(suffix)@\(tenant.tenantName).test",
                name: "\(role.rawValue) \(suffix)", role: role).id
        }
        let subject = try ops.query("SELECT auth0_sub FROM users WHERE id = \(userID)")[0].decode(String.self, at: 0)
        let token = try DevelopmentIssuer(directory: configuration.auth.developmentDirectory).mint(
            subject: subject, audience: configuration.auth.audience, lifetime: 600, rolesClaim: configuration.auth.rolesClaim)
        return APICaller(db: self, token: token, userID: userID)
    }
}

extension APICaller {
    /// A project, a dataset in it and a table with `columns` in that, made through the API for a
    /// test to work on; their ids.
    func makeTable(columns: [[String: Any]], names: (project: String, dataset: String, table: String) = ("p", "d", "t")) throws
        -> (project: Int, dataset: Int, table: Int) {
        let project = try call("POST", "/api/v1/projects", json: ["name": names.project]).json()["id"] as? Int ?? 0
        let dataset = try call("POST", "/api/v1/projects/\(project)/datasets", json: ["name": names.dataset]).json()["id"] as? Int ?? 0
        let table = try call("POST", "/api/v1/datasets/\(dataset)/tables", json: ["name": names.table, "columns": columns])
            .json()["id"] as? Int ?? 0
        return (project, dataset, table)
    }

    /// Polls a job until it has ended (completed or failed), at most `seconds`; returns its body.
    func awaitJob(_ path: String, seconds: Double = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let response = try call("GET", path)
            guard response.status == 200 else { return [:] }
            let job = try response.json()
            if let status = job["status"] as? String, status == "completed" || status == "failed" { return job }
            guard Date() < deadline else { return job }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
