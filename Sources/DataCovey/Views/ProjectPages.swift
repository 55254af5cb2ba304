import Foundation
import MariaDB

/// `GET /projects` (the tenant's projects, and a form to create one for users and admins),
/// `POST /projects` (the form: a bad name is shown next to the field with the input kept),
/// `GET /projects/{id}` (its datasets, saved queries and recent runs) and
/// `POST /projects/{id}/datasets`.
struct ProjectPages: Sendable {
    let browser: BrowserAuthenticator
    /// The new project's query account, as the API creates it.
    let accounts: QueryAccounts
    let databases: DataDatabases

    func register(in router: inout Router) {
        router.add("GET", "/projects", list)
        router.add("POST", "/projects", create)
        router.add("GET", "/projects/{id:int}", show)
        router.add("POST", "/projects/{id:int}/datasets", createDataset)
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            try renderProject(id, caller, connection)
        }
    }

    private func operations(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) -> ProjectOperations {
        ProjectOperations(caller: caller.identity, connection: connection, databases: databases, accounts: accounts)
    }

    func createDataset(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user) { caller, connection, fields in
            let operations = operations(caller, connection)
            _ = try operations.project(id)
            let form = NamedResourceForm(fields)
            return try form.submit({
                let dataset = try operations.createDataset(inProject: id, name: form.name, description: form.description)
                return Response(status: 303, headers: [("Location", "/datasets/\(dataset.id)")])
            }, refused: { status, context in try renderProject(id, caller, connection, status: status, form: context) })
        }
    }

    private func renderProject(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                               status: Int = 200, form: [String: Any] = [:]) throws -> Response {
        let tenant = caller.identity.tenantID
        let operations = operations(caller, connection)
        let project = try operations.project(id)
        let datasets = try operations.datasets(inProject: id, Page(limit: Page.maximumLimit))
        let queries = try SavedQueryOperations(caller: caller.identity, connection: connection).list(inProject: id, Page(limit: Page.maximumLimit))
        let runs = try QueryRunHistory(caller: caller.identity, connection: connection).runs(inProject: id, .init(), Page(limit: 10))
        var context: [String: Any] = form
        context["project"] = ["id": project.id, "name": project.name, "description": project.description ?? "",
                              "version": project.version] as [String: Any]
        context["datasets"] = datasets.map { ["id": $0.id, "name": $0.name, "description": $0.description ?? "",
                                              "updated": Pages.date($0.updatedAt)] as [String: Any] }
        context["has_datasets"] = !datasets.isEmpty
        context["queries"] = queries.map { ["id": $0.id, "name": $0.name, "description": $0.description ?? ""] as [String: Any] }
        context["has_queries"] = !queries.isEmpty
        context["runs"] = runs.prefix(10).map { run -> [String: Any] in
            ["id": run.id, "sql": run.sql.count > 120 ? String(run.sql.prefix(120)) + "…" : run.sql, "status": run.status,
             "rows": run.rowCount.map(String.init) ?? "", "ms": run.durationMS.map(String.init) ?? "",
             "when": Pages.date(run.createdAt)]
        }
        context["has_runs"] = !runs.isEmpty
        context["can_edit"] = caller.identity.role >= .user
        return Pages.shared.render("project", title: project.name, viewer: caller.viewer, context, status: status)
    }

    func list(_ request: Request) throws -> Response {
        try browser.page(request) { caller, connection, _ in
            try render(caller, connection)
        }
    }

    func create(_ request: Request) throws -> Response {
        try browser.page(request, minimum: .user) { caller, connection, fields in
            let form = NamedResourceForm(fields)
            return try form.submit({
                _ = try operations(caller, connection).create(name: form.name, description: form.description)
                return Response(status: 303, headers: [("Location", "/projects")])
            }, refused: { status, context in try render(caller, connection, status: status, form: context) })
        }
    }

    private func render(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection, status: Int = 200,
                        form: [String: Any] = [:]) throws -> Response {
        let projects = try operations(caller, connection).list(Page(limit: Page.maximumLimit))
        var context: [String: Any] = form
        context["projects"] = projects.map { project -> [String: Any] in
            ["id": project.id, "name": project.name, "description": project.description ?? "",
             "updated": Pages.date(project.updatedAt)]
        }
        context["has_projects"] = !projects.isEmpty
        context["can_create"] = caller.identity.role >= .user
        return Pages.shared.render("projects", title: "Projects", viewer: caller.viewer, context, status: status)
    }
}
