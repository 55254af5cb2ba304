import Foundation
import MariaDB

/// `GET /projects` (the tenant's projects, and a form to create one for users and admins) and
/// `POST /projects` (the form: a bad name is shown next to the field with the input kept).
struct ProjectPages: Sendable {
    let browser: BrowserAuthenticator
    /// The new project's query account, as the API creates it.
    let accounts: QueryAccounts

    func register(in router: inout Router) {
        router.add("GET", "/projects", list)
        router.add("POST", "/projects", create)
    }

    func list(_ request: Request, _ context: RequestContext) throws -> Response {
        browser.page(request) { caller, connection, _ in
            try render(caller, connection)
        }
    }

    func create(_ request: Request, _ context: RequestContext) throws -> Response {
        browser.page(request, minimum: .user) { caller, connection, form in
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
            let description = form["description"].flatMap { $0.isEmpty ? nil : $0 }
            do {
                try NamedResourceInput(name: name, description: description).validate()
                let project = try ProjectStore(connection: connection, tenantID: caller.identity.tenantID)
                    .create(name: name, description: description, createdBy: caller.identity.userID)
                try? accounts.sync(project: project.id, on: connection)
                return Response(status: 303, headers: [("Location", "/projects")])
            } catch let error as HTTPError where error.status == 400 || error.status == 409 {
                let field = error.errors.first?.field ?? "name"
                return try render(caller, connection, status: error.status == 409 ? 409 : 422, form: [
                    "input_name": name, "input_description": description ?? "",
                    field == "name" ? "name_error" : "form_error": error.detail,
                ])
            }
        }
    }

    private func render(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection, status: Int = 200,
                        form: [String: Any] = [:]) throws -> Response {
        let projects = try ProjectStore(connection: connection, tenantID: caller.identity.tenantID).list(Page(limit: Page.maximumLimit))
        var context: [String: Any] = form
        context["projects"] = projects.map { project -> [String: Any] in
            ["id": project.id, "name": project.name, "description": project.description ?? "",
             "updated": Self.dateFormat.string(from: project.updatedAt)]
        }
        context["has_projects"] = !projects.isEmpty
        context["can_create"] = caller.identity.role >= .user
        return Pages.shared.render("projects", title: "Projects", viewer: caller.viewer, context, status: status)
    }

    private static let dateFormat: DateFormatter = {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return format
    }()
}
