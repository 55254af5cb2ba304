import MariaDB

/// One row of the table page, for users: `GET|POST /tables/{id}/rows/{row}/edit` (a form like
/// add-a-row, one field per column set to a value, NULL or the default, read by `FormRow`) and
/// `GET|POST /tables/{id}/rows/{row}/delete` (a confirmation, then the delete). A row is named
/// by its hidden row id (`TableDefinition.rowIDColumn`), so a table without a primary key can be
/// edited too; the API names rows by key. Every change is audited as the API's are.
struct RowPages: Sendable {
    let browser: BrowserAuthenticator
    let databases: DataDatabases
    let accounts: QueryAccounts

    func register(in router: inout Router) {
        router.add("GET", "/tables/{id:int}/rows/{row:int}/edit", showEdit)
        router.add("POST", "/tables/{id:int}/rows/{row:int}/edit", edit)
        router.add("GET", "/tables/{id:int}/rows/{row:int}/delete", showDelete)
        router.add("POST", "/tables/{id:int}/rows/{row:int}/delete", delete)
    }

    private struct Located {
        let project: Project
        let dataset: Dataset
        let table: DataTable
        let store: RowStore
    }

    private func locate(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) throws -> Located {
        let (table, dataset, store) = try RowOperations(caller: caller.identity, connection: connection, databases: databases).located(id)
        let project = try ProjectOperations(caller: caller.identity, connection: connection, databases: databases, accounts: accounts)
            .project(dataset.projectID)
        return Located(project: project, dataset: dataset, table: table, store: store)
    }

    /// The page's handler for a user of the table's tenant, with the table and the row id.
    private func rowPage(_ request: Request, _ body: (Located, Int64, BrowserAuthenticator.Caller, [String: String]) throws -> Response)
        throws -> Response {
        let id = try request.parameters.int("id")
        let rowID = try request.parameters.int("row")
        return try browser.page(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection, form in
            try body(try locate(id, caller, connection), rowID, caller, form)
        }
    }

    func showEdit(_ request: Request) throws -> Response {
        try rowPage(request) { located, rowID, caller, _ in
            let cells = try RowChangeOperations.row(id: rowID, in: located.store)
            return render(located, rowID, caller, mode: "edit", fields: fields(located.store.columns, current: cells))
        }
    }

    /// The form's values, or the refusal on the form: each refused value beside its field, a
    /// repeated key said above it, everything typed kept.
    func edit(_ request: Request) throws -> Response {
        try rowPage(request) { located, rowID, caller, form in
            do {
                let outcome = try RowChangeOperations.update(form: form, RowChangeOperations.scope(rowID: rowID), in: located.store)
                guard outcome.count > 0 else { throw DomainError.notFound(detail: "The row is gone.") }
                return Response(status: 303, headers: [("Location", "/tables/\(located.table.id)?tab=data&changed=1#row-count")])
            } catch let error as DomainError where [.invalid, .unprocessable, .conflict].contains(error.kind) {
                let problems = Dictionary(error.fields.map { ($0.field, $0.message) }) { first, _ in first }
                return render(located, rowID, caller, mode: "edit", fields: fields(located.store.columns, input: form, problems: problems),
                              error: error.detail, status: error.kind == .conflict ? 409 : 422)
            }
        }
    }

    func showDelete(_ request: Request) throws -> Response {
        try rowPage(request) { located, rowID, caller, _ in
            let cells = try RowChangeOperations.row(id: rowID, in: located.store)
            return render(located, rowID, caller, mode: "delete", fields: fields(located.store.columns, current: cells))
        }
    }

    func delete(_ request: Request) throws -> Response {
        try rowPage(request) { located, rowID, _, _ in
            let outcome = try RowChangeOperations.delete(RowChangeOperations.scope(rowID: rowID), in: located.store)
            guard outcome.count > 0 else { throw DomainError.notFound(detail: "The row is gone.") }
            return Response(status: 303, headers: [("Location", "/tables/\(located.table.id)?tab=data&deleted=1#row-count")])
        }
    }

    // MARK: - Rendering

    private func render(_ located: Located, _ rowID: Int64, _ caller: BrowserAuthenticator.Caller, mode: String,
                        fields: [[String: Any]], error: String? = nil, status: Int = 200) -> Response {
        let table = located.table
        let title = mode == "edit" ? "Edit a row of \(table.name)" : "Delete a row of \(table.name)"
        return Pages.shared.render("row", title: title, viewer: caller.viewer, [
            "mode_edit": mode == "edit", "mode_delete": mode == "delete", "title": title, "error": error ?? "",
            "project": ["id": located.project.id, "name": located.project.name] as [String: Any],
            "dataset": ["id": located.dataset.id, "name": located.dataset.name] as [String: Any],
            "table": ["id": table.id, "name": table.name] as [String: Any],
            "back_url": "/tables/\(table.id)?tab=data#data", "action": "/tables/\(table.id)/rows/\(rowID)/\(mode)",
            "fields": fields,
        ], status: status)
    }

    private static let choiceLabels: [FormRow.Choice: String] = [.value: "this value", .null: "NULL", .default: "its default"]

    /// The row as the form shows it: each cell as the text the form reads back to the same value
    /// (the API's rendering; json as its text), NULL as the NULL choice.
    private func fields(_ columns: [RowStore.Column], current cells: [MariaDBCell]) -> [[String: Any]] {
        var input: [String: String] = [:]
        for (column, cell) in zip(columns, cells) {
            var json: [UInt8] = []
            let kind = column.type.kind.cellKind
            CellJSON.write(cell, kind: kind, into: &json)
            let text: String?
            switch CellDisplay.shown(json) {
            case .null: text = nil
            case .emptyText: text = ""
            case .text(let shown): text = kind == .json ? String(decoding: json, as: UTF8.self) : shown
            }
            input[FormRow.valueField(column.name)] = text ?? ""
            input[FormRow.choiceField(column.name)] = (text == nil ? FormRow.Choice.null : .value).rawValue
        }
        return fields(columns, input: input, problems: [:], current: cells)
    }

    private func fields(_ columns: [RowStore.Column], input: [String: String], problems: [String: String],
                        current cells: [MariaDBCell]? = nil) -> [[String: Any]] {
        columns.enumerated().map { index, column in
            let chosen = input[FormRow.choiceField(column.name)].flatMap(FormRow.Choice.init(rawValue:)) ?? .value
            var field: [String: Any] = [
                "index": index + 1, "name": column.name, "type": column.type.name,
                "value_field": FormRow.valueField(column.name), "choice_field": FormRow.choiceField(column.name),
                "value": input[FormRow.valueField(column.name)] ?? "", "problem": problems[column.name] ?? "",
                "choices": FormRow.choices(for: column).map { ["value": $0.rawValue, "label": Self.choiceLabels[$0] ?? "", "selected": $0 == chosen] as [String: Any] },
                "has_choices": FormRow.choices(for: column).count > 1,
            ]
            if let cells {
                field.merge(CellDisplay.context(CellDisplay.tableCell(cells[index], kind: column.type.kind.cellKind))) { $1 }
            }
            return field
        }
    }
}
