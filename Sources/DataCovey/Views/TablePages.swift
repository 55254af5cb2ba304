import Foundation
import MariaDB

/// `GET /tables/{id}?tab=…`: a table in tabs — data (any number of filter conditions, an exact
/// count of what they match, sorting, previous and next pages, NULL apart from empty text),
/// columns, jobs, import (every option the API has), export, settings. For users:
/// `POST /tables/{id}/import` (a multipart upload, as the API takes it; a refused option keeps
/// the file), `/rows` (add one row: a value, NULL or the default per column), `/export`, `/columns` (rename or add a column), `/edit` (name and description)
/// and `/delete` (to the trash). History is its own page, `/tables/{id}/history`.
struct TablePages: Sendable {
    let browser: BrowserAuthenticator
    let databases: DataDatabases
    let accounts: QueryAccounts
    let files: JobFiles
    let retentionDays: Int

    static let previewRows = 50
    static let tabs: [(id: String, label: String)] = [
        ("data", "Data"), ("columns", "Columns"), ("jobs", "Jobs"), ("import", "Import"), ("export", "Export"), ("settings", "Settings"),
    ]
    static let filterOperators: [(value: String, label: String)] = [
        ("eq", "equals"), ("neq", "does not equal"), ("lt", "less than"), ("lte", "at most"), ("gt", "greater than"),
        ("gte", "at least"), ("like", "like (% and _, case counts)"), ("ilike", "like, any case"), ("in", "one of (a,b,\"c,d\")"),
        ("not.in", "none of (a,b)"), ("is.null", "is NULL"), ("not.is.null", "is not NULL"), ("is.true", "is true"), ("is.false", "is false"),
    ]
    /// The fields of the import form that are not options.
    static let importFormFields: Set<String> = ["csrf_token", "confirm_replace", "kept_upload", "kept_name"]

    func register(in router: inout Router) {
        router.add("GET", "/tables/{id:int}", show)
        router.add("GET", "/tables/{id:int}/view.csv", downloadView)
        router.add("GET", "/tables/{id:int}/view.json", downloadView)
        router.add("POST", "/tables/{id:int}/import", importFile)
        router.add("POST", "/tables/{id:int}/export", export)
        router.add("POST", "/tables/{id:int}/rows", addRow)
        router.add("POST", "/tables/{id:int}/columns", editColumns)
        router.add("POST", "/tables/{id:int}/edit", edit)
        router.add("POST", "/tables/{id:int}/delete", delete)
    }

    struct Located {
        let project: Project
        let dataset: Dataset
        let table: DataTable
    }

    private func operations(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) -> TableOperations {
        TableOperations(caller: caller.identity, connection: connection, databases: databases)
    }

    private func locate(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) throws -> Located {
        let (table, dataset) = try operations(caller, connection).find(id)
        let project = try ProjectOperations(caller: caller.identity, connection: connection, databases: databases, accounts: accounts)
            .project(dataset.projectID)
        return Located(project: project, dataset: dataset, table: table)
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let located = try locate(id, caller, connection)
            let tab = request.query("tab").flatMap { name in Self.tabs.contains { $0.id == name } ? name : nil } ?? "data"
            let view = TableDataView(table: id, query: request.raw.query.map { ($0.name, $0.value) })
            // After the add-a-row form, a row's edit or delete, or a table restore: say so once,
            // on the page it returns to.
            let notices = [("added", "The row was added."), ("changed", "The row was changed."), ("deleted", "The row was deleted.")]
            var notice: [String: Any] = notices.first { request.query($0.0) == "1" }.map { ["row_notice": $0.1] } ?? [:]
            if let restored = request.query("restored") {  // after "restore the table to this time"
                notice["row_notice"] = "The table was restored to \(restored) (\(request.query("changed") ?? "0") row versions written)."
            }
            return try render(located, caller, connection, tab: tab, view: view, form: notice)
        }
    }

    // MARK: - Changes

    /// Name and description, against the version the form was made from.
    func edit(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection, form in
            let located = try locate(id, caller, connection)
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
            let description = form["description"].flatMap { $0.isEmpty ? nil : $0 }
            var change = TableOperations.Change()
            change.name = name == located.table.name ? nil : name
            change.description = description == located.table.description ? nil : .some(description)
            return try changing(located, caller, connection, tab: "settings", change, version: form["version"],
                                kept: ["edit_name": name, "edit_description": description ?? ""])
        }
    }

    /// Renames a column, or adds one (nullable, as adding to a table with rows requires), with
    /// an optional default typed as the API types it.
    func editColumns(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection, form in
            let located = try locate(id, caller, connection)
            var change = TableOperations.Change()
            let column = (form["column_name"] ?? "").trimmingCharacters(in: .whitespaces)
            let type = form["column_type"] ?? ColumnType.offered[0].name
            let defaultText = form["column_default"] ?? ""
            let description = form["column_description"] ?? ""
            if !column.isEmpty {
                change.addColumns = [TableDefinition.ColumnInput(name: column, type: type, nullable: true,
                                                                 default: defaultText.isEmpty ? nil : ColumnForm.scalar(defaultText, type: type),
                                                                 description: description.isEmpty ? nil : description)]
            }
            if let from = form["rename_from"], !from.isEmpty {
                change.renameColumns[from] = (form["rename_to"] ?? "").trimmingCharacters(in: .whitespaces)
            }
            return try changing(located, caller, connection, tab: "columns", change, version: form["version"], kept: [
                "column_name": column, "column_default": defaultText, "column_description_input": description, "chosen_type": type,
                "rename_from_kept": form["rename_from"] ?? "", "rename_to": form["rename_to"] ?? "",
            ])
        }
    }

    /// A change, or its refusal said on the tab whose form asked for it, with the input kept.
    private func changing(_ located: Located, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection, tab: String,
                          _ change: TableOperations.Change, version: String?, kept: [String: Any]) throws -> Response {
        let id = located.table.id
        do {
            _ = try operations(caller, connection).change(id, change, expectedVersion: version.flatMap { Int64($0) })
            return Response(status: 303, headers: [("Location", "/tables/\(id)?tab=\(tab)")])
        } catch let error as DomainError where [.invalid, .conflict, .stale].contains(error.kind) {
            let message = error.kind == .stale ? "The table has changed since this form was shown; look again before saving." : error.detail
            var form = kept
            form["form_error"] = message
            return try render(located, caller, connection, tab: tab, view: TableDataView(table: id, query: []), form: form,
                              status: error.kind == .invalid ? 422 : HTTPError(error).status)
        }
    }

    /// One row from the data tab's form, converted as imports convert text; a value that does
    /// not fit is said next to its field, with everything typed kept.
    func addRow(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection, form in
            let rows = RowOperations(caller: caller.identity, connection: connection, databases: databases)
            do {
                _ = try RowOperations.insert(form: form, into: try rows.store(ofTable: id))
                return Response(status: 303, headers: [("Location", "/tables/\(id)?tab=data&added=1#row-count")])
            } catch let error as DomainError where [.invalid, .unprocessable, .conflict].contains(error.kind) {
                let located = try locate(id, caller, connection)
                let problems = Dictionary(error.fields.map { ($0.field, $0.message) }) { first, _ in first }
                return try render(located, caller, connection, tab: "data", view: TableDataView(table: id, query: []),
                                  form: ["row_error": error.detail, "row_input": form, "row_problems": problems, "row_open": true],
                                  status: error.kind == .conflict ? 409 : 422)
            }
        }
    }

    func delete(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection, form in
            let located = try locate(id, caller, connection)
            do {
                try TrashOperations(caller: caller.identity, connection: connection, databases: databases)
                    .delete(.table, id, expectedVersion: form["version"].flatMap { Int64($0) }, retentionDays: retentionDays)
            } catch let error as DomainError where error.kind == .stale {
                return try render(located, caller, connection, tab: "settings", view: TableDataView(table: id, query: []),
                                  form: ["form_error": "The table has changed since this page was shown; look again before deleting."],
                                  status: 412)
            }
            return Response(status: 303, headers: [("Location", "/datasets/\(located.dataset.id)")])
        }
    }

    func export(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection, form in
            let located = try locate(id, caller, connection)
            var fields: [String: JSONValue] = ["format": .string(form["format"] ?? "csv"), "compression": .string(form["compression"] ?? "none")]
            if form["format"] ?? "csv" == "csv" { fields["escape_formulas"] = .bool(form["escape_formulas"] == "true") }
            do {
                // Decoded as the API's body is, so a form value the API would refuse is refused alike.
                let options = try JSON.decode(ExportOptions.self, from: try JSON.Literal.encode(JSONValue.object(fields)))
                let job = try ExportOperations(caller: caller.identity, connection: connection, databases: databases)
                    .startTableExport(located.table, options: options)
                return Response(status: 303, headers: [("Location", "/exports/\(job.id)")])
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try render(located, caller, connection, tab: "export", view: TableDataView(table: id, query: []),
                                  form: ["form_error": error.detail], status: 422)
            }
        }
    }

    // MARK: - Import

    /// The upload streams to disk first (as the API's does); the CSRF token, a field of the same
    /// form, is checked before anything else. A refused option, or a replace not confirmed, is
    /// said next to its field with the choices kept and the file kept on the server (the form
    /// names it), so the user need not choose it again.
    func importFile(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.upload(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection in
            let imports = ImportOperations(caller: caller.identity, connection: connection, databases: databases)
            try imports.importableTable(id)
            let uploads = ImportUpload(files: files)
            let received = try uploads.multipartForm(request, tenant: caller.identity.tenantID)
            guard let sent = received.fields["csrf_token"], RandomToken.equal(sent, caller.viewer.csrf) else {
                files.remove(received.path)
                throw HTTPError.forbidden("The form is out of date or did not come from DataCovey; reload the page and try again.")
            }
            // No new file chosen: the one a refused attempt kept, if the form names it.
            var path = received.path, bytes = received.bytes, fileName = received.fileName
            if let kept = received.fields["kept_upload"], let keptBytes = keptUpload(kept, tenant: caller.identity.tenantID) {
                if received.fileName.isEmpty && received.bytes == 0 {
                    files.remove(received.path)
                    (path, bytes, fileName) = (kept, keptBytes, received.fields["kept_name"] ?? "")
                } else {
                    files.remove(kept)
                }
            }
            let located = try locate(id, caller, connection)
            func refuse(_ message: String, field: String, status: Int) throws -> Response {
                var form: [String: Any] = ["import_error": message, "import_error_field": field, "kept_upload": path, "kept_name": fileName]
                for (name, value) in received.fields where ImportOptions.parameterNames.contains(name) { form["import_" + name] = value }
                return try render(located, caller, connection, tab: "import", view: TableDataView(table: id, query: []), form: form, status: status)
            }
            if fileName.isEmpty && bytes == 0 {
                files.remove(path)
                return try refuse("Choose a file to import.", field: "file", status: 422)
            }
            let options: ImportOptions
            do {
                options = try ImportUpload.options(form: received, fileName: fileName, request: request, extraFields: Self.importFormFields)
            } catch let error as DomainError where error.kind == .invalid {
                return try refuse(error.detail, field: error.fields.first?.field ?? "", status: 422)
            }
            if options.mode == .replace && !options.dryRun && received.fields["confirm_replace"] != "yes" {
                return try refuse("A replace removes the rows the table has now; tick the box to confirm.", field: "confirm_replace", status: 422)
            }
            do {
                let job = try imports.start(table: id, options: options, filePath: path, bytes: bytes, idempotencyKey: nil).job
                return Response(status: 303, headers: [("Location", "/imports/\(job.id)")])
            } catch {
                files.remove(path)
                throw error
            }
        }
    }

    /// The size of an upload a refused attempt kept, when `path` is one of this tenant's
    /// uploads (a name this code made: `uploads/<tenant>/<uuid>.upload`) and is still there.
    private func keptUpload(_ path: String, tenant: Int64) -> Int64? {
        let prefix = "uploads/\(tenant)/"
        guard path.hasPrefix(prefix), path.hasSuffix(".upload") else { return nil }
        let name = path.dropFirst(prefix.count).dropLast(".upload".count)
        guard UUID(uuidString: String(name)) != nil,
              let size = (try? FileManager.default.attributesOfItem(atPath: files.absolute(path)))?[.size] as? NSNumber else { return nil }
        return size.int64Value
    }

    // MARK: - Rendering

    private func render(_ located: Located, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                        tab: String, view: TableDataView, form: [String: Any] = [:], status: Int = 200) throws -> Response {
        let table = located.table
        var context: [String: Any] = [
            "edit_name": table.name, "edit_description": table.description ?? "", "chosen_type": "string",
        ]
        context.merge(form) { $1 }
        context["tab_" + tab] = true
        context["tabs"] = Self.tabs.map { ["id": $0.id, "label": $0.label, "current": $0.id == tab, "url": "/tables/\(table.id)?tab=\($0.id)"] }
        context["project"] = ["id": located.project.id, "name": located.project.name] as [String: Any]
        context["dataset"] = ["id": located.dataset.id, "name": located.dataset.name] as [String: Any]
        context["table"] = ["id": table.id, "name": table.name, "description": table.description ?? "", "version": table.version,
                            "row_count": table.rowCountEstimate.map(String.init) ?? "0"] as [String: Any]
        context["columns"] = table.columns.map { column -> [String: Any] in
            ["name": column.name, "type": column.type, "nullable": column.nullable ? "yes" : "no", "label": column.label ?? "",
             "default": column.default ?? "", "key": column.primaryKey ? "primary" : "", "column_description": column.description ?? "",
             "rename_selected": column.name == (form["rename_from_kept"] as? String)]
        }
        context["has_columns"] = !table.columns.isEmpty
        context["types"] = ColumnType.offered.map { ["value": $0.name, "selected": $0.name == (context["chosen_type"] as? String)] as [String: Any] }
        context["can_edit"] = caller.identity.role >= .user
        context["retention_days"] = retentionDays
        switch tab {
        case "data":
            let asOf = try TablePages.asOfContext(view, caller, connection, databases: databases, table: table, into: &context)
            try dataContext(located, view, asOf: asOf, into: &context)
            // A past instant is read-only: its rows link to their history but are not edited.
            let canChangeRows = caller.identity.role >= .user && asOf == nil && context["as_of_refused"] == nil
            context["can_change_rows"] = canChangeRows
            context["row_actions"] = canChangeRows || context["key_column"] != nil
        case "jobs": try jobsContext(located, caller, connection, into: &context)
        case "import": try importContext(located, into: &context)
        default: break
        }
        return Pages.shared.render("table", title: table.name, viewer: caller.viewer, context, status: status)
    }

    /// The rows the view asks for; a filter or page link that cannot apply is said beside the
    /// filter form, with the conditions kept.
    private func dataContext(_ located: Located, _ view: TableDataView, asOf: AsOf? = nil, into context: inout [String: Any]) throws {
        let table = located.table
        let columns = RowOperations.columns(of: table)
        context["conditions"] = (view.conditions + [TableDataView.Condition(column: "", op: "eq", value: "")]).enumerated().map { index, condition in
            ["index": index + 1, "value": condition.value, "is_new": condition.column.isEmpty,
             "columns": columns.map { ["name": $0.name, "selected": $0.name == condition.column] as [String: Any] },
             "ops": Self.filterOperators.map { ["value": $0.value, "label": $0.label, "selected": $0.value == condition.op] as [String: Any] }]
        }
        context["order"] = view.order ?? ""
        context["sort_columns"] = columns.map { column -> [String: Any] in
            ["name": column.name, "sort_url": view.sortLink(column.name),
             "sort_mark": view.order == "\(column.name).asc" ? " ▲" : view.order == "\(column.name).desc" ? " ▼" : ""]
        }
        context["row_fields"] = rowFields(columns, input: context["row_input"] as? [String: String],
                                          problems: context["row_problems"] as? [String: String] ?? [:])
        context["filtered_any"] = !view.conditions.isEmpty
        context["clear_url"] = view.link(conditions: [], cursor: .some(nil), back: [])
        // A refused as_of shows no rows rather than the present under a past label.
        guard context["as_of_refused"] == nil else { return }
        let store = table.physicalName.flatMap { physical in
            located.dataset.dataDatabase.map { database -> RowStore in
                var store = RowStore(databases: databases, database: database, table: physical, columns: columns)
                store.asOf = asOf
                return store
            }
        }
        facetContext(view, columns: columns, store: columns.isEmpty ? nil : store,
                     filters: try? RowFilters.parse(view.filters, columns: columns), into: &context)
        guard let store, !columns.isEmpty else { return }
        let request = RowOperations.PageRequest(filters: view.filters, order: view.order, cursor: view.cursor, limit: Self.previewRows)
        do {
            let page = try RowOperations.page(store, request)
            let count = try RowOperations.count(store, request)
            let kinds = columns.map { $0.type.kind.cellKind }
            let keyIndex = columns.firstIndex { $0.name == context["key_column"] as? String }
            context["rows"] = page.rows.map { row in
                ["row_id": row.rowID,
                 "cells": zip(kinds, row.cells).map { kind, cell in CellDisplay.context(CellDisplay.tableCell(cell, kind: kind)) },
                 "history_url": keyIndex.flatMap { Self.historyLink(table: table.id, keyCell: row.cells[$0]) } ?? ""] as [String: Any]
            }
            context["has_rows"] = !page.rows.isEmpty
            context["count"] = "\(count) row\(count == 1 ? "" : "s")\(view.conditions.isEmpty ? "" : " match")"
            context["next_url"] = page.nextCursor.map(view.nextLink) ?? ""
            context["previous_url"] = view.previousLink ?? ""
            context["showing"] = page.rows.isEmpty ? "" : "showing \(view.back.count * Self.previewRows + 1)–\(view.back.count * Self.previewRows + page.rows.count)"
        } catch let error as DomainError where error.kind == .invalid {
            context["filter_error"] = error.fields.contains { $0.field == "cursor" }
                ? "The page link is out of date; start again from the first page." : error.detail
        }
    }

    /// The add-a-row form: per column its text and whether it is set to a value, NULL or the
    /// default, as typed (after a refusal) or as a fresh form starts.
    private func rowFields(_ columns: [RowStore.Column], input: [String: String]?, problems: [String: String]) -> [[String: Any]] {
        columns.enumerated().map { index, column in
            let chosen = input?[FormRow.choiceField(column.name)].flatMap(FormRow.Choice.init(rawValue:)) ?? FormRow.initialChoice(for: column)
            let labels: [FormRow.Choice: String] = [.value: "this value", .null: "NULL", .default: "its default"]
            return ["index": index + 1, "name": column.name, "type": column.type.name,
                    "value_field": FormRow.valueField(column.name), "choice_field": FormRow.choiceField(column.name),
                    "value": input?[FormRow.valueField(column.name)] ?? "", "problem": problems[column.name] ?? "",
                    "choices": FormRow.choices(for: column).map { ["value": $0.rawValue, "label": labels[$0] ?? "", "selected": $0 == chosen] as [String: Any] },
                    "has_choices": FormRow.choices(for: column).count > 1]
        }
    }

    private func jobsContext(_ located: Located, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                             into context: inout [String: Any]) throws {
        let table = located.table
        let imports = try ImportOperations(caller: caller.identity, connection: connection, databases: databases)
            .jobs(ofTable: table.id, Page(limit: Page.maximumLimit))
        let exports = try ExportOperations(caller: caller.identity, connection: connection, databases: databases)
            .jobs(ofTable: table.id, Page(limit: Page.maximumLimit))
        // Newest first, imports and exports together.
        let jobs = (imports.map { ($0.createdAt, $0.id, ["url": "/imports/\($0.id)", "label": "Import \($0.id)\($0.options.dryRun ? " (dry run)" : "")",
                                                          "status": JobPages.importStatus($0), "when": Pages.date($0.createdAt)]) }
                    + exports.map { ($0.createdAt, $0.id, ["url": "/exports/\($0.id)", "label": "Export \($0.id)", "status": $0.status.rawValue,
                                                            "when": Pages.date($0.createdAt)]) })
            .sorted { ($0.0, $0.1) > ($1.0, $1.1) }.prefix(50).map(\.2)
        context["jobs"] = Array(jobs)
        context["has_jobs"] = !jobs.isEmpty
    }

    /// The import form's choices (as sent, after a refusal) and what a replace would remove.
    private func importContext(_ located: Located, into context: inout [String: Any]) throws {
        func chosen(_ name: String, _ fallback: String) -> String { context["import_" + name] as? String ?? fallback }
        func options(_ name: String, _ values: [(String, String)], _ fallback: String) -> [[String: Any]] {
            values.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == chosen(name, fallback)] }
        }
        context["format_options"] = options("format", [("", "from the file's name"), ("csv", "CSV"), ("ndjson", "NDJSON")], "")
        context["mode_options"] = options("mode", [("append", "Append rows"), ("replace", "Replace all rows")], "append")
        context["header_options"] = options("header", [("true", "Column names"), ("false", "Data")], "true")
        context["dry_run_checked"] = chosen("dry_run", "") == "true"
        context["error_in_" + (context["import_error_field"] as? String ?? "none")] = true
        if let physical = located.table.physicalName, let database = located.dataset.dataDatabase {
            let store = RowStore(databases: databases, database: database, table: physical, columns: RowOperations.columns(of: located.table))
            let rows = try store.count([])
            context["replace_count"] = "\(rows) row\(rows == 1 ? "" : "s")"
        } else {
            context["replace_count"] = "no rows"
        }
    }
}
