import Foundation
import MariaDB

/// `GET /projects` (the tenant's projects, and a form to create one for users and admins),
/// `POST /projects` (the form: a bad name is shown next to the field with the input kept),
/// `GET /projects/{id}` (its datasets, saved queries and recent runs, and for users the edit
/// and delete forms), `POST /projects/{id}/datasets`, `POST /projects/{id}/edit` (against the
/// version the form was made from) and `POST /projects/{id}/delete` (to the trash).
struct ProjectPages: Sendable {
    let browser: BrowserAuthenticator
    /// The new project's query account, as the API creates it.
    let accounts: QueryAccounts
    let databases: DataDatabases
    let retentionDays: Int

    func register(in router: inout Router) {
        router.add("GET", "/projects", list)
        router.add("POST", "/projects", create)
        router.add("GET", "/projects/{id:int}", show)
        router.add("POST", "/projects/{id:int}/datasets", createDataset)
        router.add("POST", "/projects/{id:int}/edit", edit)
        router.add("POST", "/projects/{id:int}/delete", delete)
    }

    /// Name and description; a refusal (bad name, name taken, changed meanwhile) is shown on the
    /// form with what was typed kept.
    func edit(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.project(id)) { caller, connection, fields in
            let form = NamedResourceForm(fields)
            do {
                try form.validate()
                _ = try operations(caller, connection).update(id, name: form.name, description: .some(form.description),
                                                              expectedVersion: fields["version"].flatMap { Int64($0) })
                return Response(status: 303, headers: [("Location", "/projects/\(id)")])
            } catch let error as DomainError where [.invalid, .conflict, .stale].contains(error.kind) {
                let message = error.kind == .stale ? "The project has changed since this form was shown; look again before saving." : error.detail
                return try renderProject(id, caller, connection, status: error.kind == .invalid ? 422 : HTTPError(error).status, form: [
                    "edit_name": form.name, "edit_description": form.description ?? "",
                    error.fields.first?.field == "description" || error.kind == .stale ? "edit_form_error" : "edit_name_error": message,
                ])
            }
        }
    }

    /// To the trash with its datasets, tables and saved queries; back to the list.
    func delete(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.project(id)) { caller, connection, fields in
            do {
                try TrashOperations(caller: caller.identity, connection: connection, databases: databases)
                    .delete(.project, id, expectedVersion: fields["version"].flatMap { Int64($0) }, retentionDays: retentionDays)
            } catch let error as DomainError where error.kind == .stale || error.kind == .conflict {
                return try renderProject(id, caller, connection, status: HTTPError(error).status, form: [
                    "edit_form_error": error.kind == .stale ? "The project has changed since this page was shown; look again before deleting." : error.detail,
                ])
            }
            return Response(status: 303, headers: [("Location", "/projects")])
        }
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
        return try browser.page(request, minimum: .user, target: VisibleTarget.project(id)) { caller, connection, fields in
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
        var context: [String: Any] = ["edit_name": project.name, "edit_description": project.description ?? ""]
        context.merge(form) { $1 }
        context["retention_days"] = retentionDays
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
                let project = try operations(caller, connection).create(name: form.name, description: form.description)
                return Response(status: 303, headers: [("Location", "/projects/\(project.id)")])
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
