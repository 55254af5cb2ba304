import Foundation
import MariaDB

/// `GET /datasets/{id}` (its tables, an edit form and a delete button for users and admins),
/// `POST /datasets/{id}/edit` (name and description, against the version the form was made
/// from: a change meanwhile is refused, not overwritten) and `POST /datasets/{id}/delete`
/// (to the trash).
struct DatasetPages: Sendable {
    let browser: BrowserAuthenticator
    let databases: DataDatabases
    let accounts: QueryAccounts
    let retentionDays: Int

    private func projects(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) -> ProjectOperations {
        ProjectOperations(caller: caller.identity, connection: connection, databases: databases, accounts: accounts)
    }

    func register(in router: inout Router) {
        router.add("GET", "/datasets/{id:int}", show)
        router.add("POST", "/datasets/{id:int}/edit", edit)
        router.add("POST", "/datasets/{id:int}/delete", delete)
        router.add("POST", "/datasets/{id:int}/tables", createTable)
    }

    /// How many column rows the new-table form has (`?columns=` asks for more, up to the most).
    static let columnRows = 6
    static let maximumColumnRows = 60

    /// A table from the form: its name, description, and one row per column (name, type,
    /// nullable, primary key, default); no column rows makes an autodetect table. A refusal is
    /// said on the form with every row kept.
    func createTable(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.dataset(id)) { caller, connection, form in
            let operations = TableOperations(caller: caller.identity, connection: connection, databases: databases)
            _ = try operations.dataset(id)
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
            let description = form["description"].flatMap { $0.isEmpty ? nil : $0 }
            let rows = NewTableForm(fields: form)
            do {
                try NameRules.validate(name)
                try NameRules.validate(description: description)
                let definition = TableDefinition(name: name, description: description, columns: try rows.columns(), autodetect: rows.isEmpty)
                let table = try operations.create(definition, inDataset: id)
                return Response(status: 303, headers: [("Location", "/tables/\(table.id)")])
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try render(id, caller, connection, status: error.kind == .conflict ? 409 : 422, form: [
                    "table_name": name, "table_description": description ?? "", "table_error": rows.message(for: error),
                    "column_rows": rows.context(count: max(Self.columnRows, rows.count + 1)),
                ])
            }
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in try render(id, caller, connection, request: request) }
    }

    func edit(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.dataset(id)) { caller, connection, fields in
            let form = NamedResourceForm(fields)
            let version = fields["version"].flatMap { Int64($0) }
            do {
                try form.validate()
                _ = try projects(caller, connection)
                    .updateDataset(id, name: form.name, description: .some(form.description), expectedVersion: version)
                return Response(status: 303, headers: [("Location", "/datasets/\(id)")])
            } catch let error as DomainError where [.invalid, .conflict, .stale].contains(error.kind) {
                let field = error.fields.first?.field ?? (error.kind == .invalid ? "name" : "form")
                return try render(id, caller, connection, status: error.kind == .invalid ? 422 : HTTPError(error).status, form: [
                    "edit_name": form.name, "edit_description": form.description ?? "",
                    field == "name" ? "name_error" : "form_error": error.detail,
                ])
            }
        }
    }

    func delete(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.dataset(id)) { caller, connection, fields in
            let dataset = try projects(caller, connection).dataset(id)
            try TrashOperations(caller: caller.identity, connection: connection, databases: databases)
                .delete(.dataset, id, expectedVersion: fields["version"].flatMap { Int64($0) }, retentionDays: retentionDays)
            return Response(status: 303, headers: [("Location", "/projects/\(dataset.projectID)")])
        }
    }

    private func render(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                        status: Int = 200, form: [String: Any] = [:], request: Request? = nil) throws -> Response {
        let projects = projects(caller, connection)
        let dataset = try projects.dataset(id)
        let project = try projects.project(dataset.projectID)
        let tables = try TableOperations(caller: caller.identity, connection: connection, databases: databases)
            .list(inDataset: id, Page(limit: Page.maximumLimit))
        var context: [String: Any] = ["edit_name": dataset.name, "edit_description": dataset.description ?? ""]
        context.merge(form) { $1 }
        context["project"] = ["id": project.id, "name": project.name] as [String: Any]
        context["dataset"] = ["id": dataset.id, "name": dataset.name, "description": dataset.description ?? "",
                              "version": dataset.version] as [String: Any]
        context["tables"] = tables.map { table -> [String: Any] in
            ["id": table.id, "name": table.name, "columns": table.columns.map { "\($0.name) \($0.type)" }.joined(separator: ", "),
             "rows": table.rowCountEstimate.map { "≈ \($0)" } ?? "—"]
        }
        context["has_tables"] = !tables.isEmpty
        if context["column_rows"] == nil {
            let asked = request?.query("columns").flatMap { Int($0) } ?? Self.columnRows
            context["column_rows"] = NewTableForm(fields: [:]).context(count: min(max(asked, 1), Self.maximumColumnRows))
        }
        context["more_rows_url"] = "/datasets/\(id)?columns=\(min(((context["column_rows"] as? [[String: Any]])?.count ?? Self.columnRows) + 6, Self.maximumColumnRows))#new-table"
        context["can_edit"] = caller.identity.role >= .user
        context["retention_days"] = retentionDays
        return Pages.shared.render("dataset", title: dataset.name, viewer: caller.viewer, context, status: status)
    }
}
