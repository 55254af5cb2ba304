import Foundation
import MariaDB

/// Tenant admins' pages: `GET /users` (users and their roles), `POST /users` (add one),
/// `POST /users/{id}/role`, and `GET /audit` (the newest changes, filtered) with `/audit.csv`.
struct AdminPages: Sendable {
    let browser: BrowserAuthenticator
    static let auditPageSize = 100

    func register(in router: inout Router) {
        router.add("GET", "/users", users)
        router.add("POST", "/users", addUser)
        router.add("POST", "/users/{id:int}/role", setRole)
        router.add("GET", "/audit", audit)
        router.add("GET", "/audit.csv", auditCSV)
    }

    func users(_ request: Request) throws -> Response {
        try browser.page(request, minimum: .admin) { caller, connection, _ in try renderUsers(caller, connection) }
    }

    func addUser(_ request: Request) throws -> Response {
        try browser.page(request, minimum: .admin) { caller, connection, form in
            let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
            let name = form["name"] ?? ""
            do {
                _ = try UserOperations(caller: caller.identity, connection: connection)
                    .invite(email: email, name: name, role: form["role"] ?? "viewer")
                return Response(status: 303, headers: [("Location", "/users")])
            } catch let failure as any ProblemConvertible where failure.problem.status == 400 || failure.problem.status == 409 {
                let error = failure.problem
                return try renderUsers(caller, connection, status: error.status == 409 ? 409 : 422, form: [
                    "input_email": email, "input_name": name, "form_error": error.detail,
                ])
            }
        }
    }

    func setRole(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .admin) { caller, connection, form in
            do {
                var change = UserOperations.Change()
                change.role = form["role"] ?? ""
                _ = try UserOperations(caller: caller.identity, connection: connection).change(id, change, expectedVersion: nil)
                return Response(status: 303, headers: [("Location", "/users")])
            } catch let failure as any ProblemConvertible where failure.problem.status == 400 || failure.problem.status == 409 {
                let error = failure.problem
                return try renderUsers(caller, connection, status: error.status, form: ["message": error.detail])
            }
        }
    }

    private func renderUsers(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection, status: Int = 200,
                             form: [String: Any] = [:]) throws -> Response {
        let users = try UserOperations(caller: caller.identity, connection: connection).list(Page(limit: Page.maximumLimit))
        var context = form
        context["users"] = users.map { user -> [String: Any] in
            ["id": user.id, "name": user.name ?? "", "email": user.email,
             "state": user.disabled ? "disabled" : user.sub == nil ? "invited" : "active",
             "roles": ["viewer", "user", "admin"].map { ["value": $0, "selected": $0 == user.role] as [String: Any] }]
        }
        return Pages.shared.render("users", title: "Users", viewer: caller.viewer, context, status: status)
    }

    func audit(_ request: Request) throws -> Response {
        try browser.page(request, minimum: .admin) { caller, connection, _ in
            let filter = try AuditLog.filter { name in request.query(name).flatMap { $0.isEmpty ? nil : $0 } }
            let entries = try AuditLog.entries(filter, limit: Self.auditPageSize, on: connection)
            let query = FormEncoding.encode(request.raw.query.filter { !$0.value.isEmpty }.map { ($0.name, $0.value) })
            return Pages.shared.render("audit", title: "Audit log", viewer: caller.viewer, [
                "entries": entries.map { entry -> [String: Any] in
                    var name = ""
                    if case .object(let record) = entry.record {
                        if case .string(let text)? = record["name"] { name = text } else if case .string(let text)? = record["email"] { name = text }
                    }
                    return ["when": entry.changedAt.date.map { Pages.date($0) } ?? "", "kind": entry.kind,
                            "id": entry.entityID, "version": entry.version, "operation": entry.operation,
                            "by": entry.changedBy?.email ?? (entry.changedBy == nil ? "system" : "a removed user"), "name": name]
                },
                "has_entries": !entries.isEmpty,
                "kinds": AuditStore.kinds.map { ["value": $0.name, "selected": $0.name == filter.kind] as [String: Any] },
                "operations": AuditLog.operations.map { ["value": $0, "selected": $0 == filter.operation] as [String: Any] },
                "csv_url": "/audit.csv" + (query.isEmpty ? "" : "?" + query),
            ])
        }
    }

    func auditCSV(_ request: Request) throws -> Response {
        try browser.page(request, minimum: .admin) { _, connection, _ in
            let filter = try AuditLog.filter { name in request.query(name).flatMap { $0.isEmpty ? nil : $0 } }
            let entries = try AuditLog.entries(filter, limit: AuditLog.csvLimit + 1, on: connection)
            return try Response.auditCSV(Array(entries.prefix(AuditLog.csvLimit)), truncated: entries.count > AuditLog.csvLimit)
        }
    }
}
