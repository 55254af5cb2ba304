import Foundation
import MariaDB

/// Tenant admins' pages: `GET /users` (users and their roles), `POST /users` (add one),
/// `POST /users/{id}/role`, `POST /users/{id}/name`, `POST /users/{id}/access` (disable or enable), and `GET /audit` (the
/// newest changes, filtered) with `/audit.csv`.
struct AdminPages: Sendable {
    let browser: BrowserAuthenticator
    static let auditPageSize = 100

    func register(in router: inout Router) {
        router.add("GET", "/users", users)
        router.add("POST", "/users", addUser)
        router.add("POST", "/users/{id:int}/role", setRole)
        router.add("POST", "/users/{id:int}/name", rename)
        router.add("POST", "/users/{id:int}/access", setAccess)
        router.add("POST", "/users/{id:int}/delete", removeUser)
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
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try renderUsers(caller, connection, status: error.kind == .conflict ? 409 : 422, form: [
                    "input_email": email, "input_name": name, "form_error": error.detail,
                ])
            }
        }
    }

    func setRole(_ request: Request) throws -> Response {
        try changeUser(request) { form in
            var change = UserOperations.Change()
            change.role = form["role"] ?? ""
            return change
        }
    }

    /// The user's display name (e-mail and sign-in stay).
    func rename(_ request: Request) throws -> Response {
        try changeUser(request) { form in
            var change = UserOperations.Change()
            change.name = form["name"] ?? ""
            return change
        }
    }

    /// `disabled=true` stops a user signing in or using a token (their data and history stay);
    /// `false` lets them in again. An admin cannot disable themselves (the operation says so).
    func setAccess(_ request: Request) throws -> Response {
        try changeUser(request) { form in
            guard let disabled = ["true": true, "false": false][form["disabled"] ?? ""] else {
                throw DomainError.invalid("Choose to disable or to enable the user.")
            }
            var change = UserOperations.Change()
            change.disabled = disabled
            return change
        }
    }

    /// One user's change from a form of the users page; a refusal is said on that page.
    private func changeUser(_ request: Request, _ change: @escaping ([String: String]) throws -> UserOperations.Change) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .admin, target: VisibleTarget.user(id)) { caller, connection, form in
            do {
                _ = try UserOperations(caller: caller.identity, connection: connection).change(id, try change(form), expectedVersion: nil)
                return Response(status: 303, headers: [("Location", "/users")])
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try renderUsers(caller, connection, status: error.kind == .invalid ? 422 : 409, form: ["message": error.detail])
            }
        }
    }

    /// Removes a user from the tenant (their history stays, naming them by id); never oneself.
    func removeUser(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .admin, target: VisibleTarget.user(id)) { caller, connection, _ in
            do {
                try UserOperations(caller: caller.identity, connection: connection).remove(id, expectedVersion: nil)
                return Response(status: 303, headers: [("Location", "/users")])
            } catch let error as DomainError where error.kind == .conflict {
                return try renderUsers(caller, connection, status: 409, form: ["message": error.detail])
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
             "disabled": user.disabled, "is_caller": user.id == caller.identity.userID,
             "roles": ["viewer", "user", "admin"].map { ["value": $0, "selected": $0 == user.role] as [String: Any] }]
        }
        return Pages.shared.render("users", title: "Users", viewer: caller.viewer, context, status: status)
    }

    /// A page of the audit log, newest first, with a link to the next page; the filter (kind,
    /// user by e-mail, change, people only) is kept in every link. A bad filter is said on the
    /// page with the filter form as it was sent.
    func audit(_ request: Request) throws -> Response {
        try browser.page(request, minimum: .admin) { caller, connection, _ in
            let given = { (name: String) in request.query(name).flatMap { $0.isEmpty ? nil : $0 } }
            var message: String?
            var filter = AuditStore.Filter()
            var entries: [AuditEntry] = []
            do {
                filter = try AuditLog.filter(given)
                var cursor: AuditStore.Cursor?
                if let text = given("cursor") {
                    guard let parsed = AuditStore.Cursor(text) else { throw DomainError.invalid("The page link is out of date; start again from the first page.") }
                    cursor = parsed
                }
                entries = try AuditLog.entries(filter, after: cursor, limit: Self.auditPageSize + 1, on: connection)
            } catch let error as DomainError where error.kind == .invalid {
                message = error.detail
            }
            let filterFields = request.raw.query.filter { !$0.value.isEmpty && $0.name != "cursor" }.map { ($0.name, $0.value) }
            let query = FormEncoding.encode(filterFields)
            var next = ""
            if entries.count > Self.auditPageSize, let last = entries.prefix(Self.auditPageSize).last {
                let cursor = AuditStore.Cursor(changedAt: last.changedAt, order: last.order, historyID: last.historyID).text
                next = "/audit?" + FormEncoding.encode(filterFields + [("cursor", cursor)])
            }
            return Pages.shared.render("audit", title: "Audit log", viewer: caller.viewer, [
                "entries": entries.prefix(Self.auditPageSize).map { entry -> [String: Any] in
                    var name = ""
                    if case .object(let record) = entry.record {
                        if case .string(let text)? = record["name"] { name = text } else if case .string(let text)? = record["email"] { name = text }
                    }
                    return ["when": entry.changedAt.date.map { Pages.date($0) } ?? "", "kind": entry.kind,
                            "id": entry.entityID, "version": entry.version, "operation": entry.operation,
                            "by": entry.changedBy?.email ?? (entry.changedBy == nil ? "system" : "a removed user"), "name": name,
                            "url": AuditLog.objectPath(entry) ?? ""]
                },
                "has_entries": !entries.isEmpty, "message": message ?? "", "next_url": next,
                "is_first_page": given("cursor") == nil, "first_url": "/audit" + (query.isEmpty ? "" : "?" + query),
                "user": given("user") ?? "", "hide_system": filter.hideSystem,
                "kinds": AuditStore.kinds.map { ["value": $0.name, "selected": $0.name == filter.kind] as [String: Any] },
                "operations": AuditLog.operations.map { ["value": $0, "selected": $0 == filter.operation] as [String: Any] },
                "csv_url": "/audit.csv" + (query.isEmpty ? "" : "?" + query),
            ], status: message == nil ? 200 : 422)
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
