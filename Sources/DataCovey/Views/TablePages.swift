import Foundation
import MariaDB

/// `GET /tables/{id}` (columns, a paged preview with a filter and sorting, jobs, and for users
/// the import, export, edit and delete forms), `POST /tables/{id}/import` (a multipart upload,
/// as the API takes it), `/export`, `/edit` (rename, add a column) and `/delete` (to the trash).
struct TablePages: Sendable {
    let browser: BrowserAuthenticator
    let databases: DataDatabases
    let files: JobFiles
    let retentionDays: Int

    static let previewRows = 50
    static let filterOperators: [(value: String, label: String)] = [
        ("eq", "equals"), ("lt", "less than"), ("gt", "greater than"), ("like", "like (% and _)"), ("is.null", "is empty"),
    ]

    func register(in router: inout Router) {
        router.add("GET", "/tables/{id:int}", show)
        router.add("POST", "/tables/{id:int}/import", importFile)
        router.add("POST", "/tables/{id:int}/export", export)
        router.add("POST", "/tables/{id:int}/edit", edit)
        router.add("POST", "/tables/{id:int}/delete", delete)
    }

    private struct Located {
        let project: Project
        let dataset: Dataset
        let table: DataTable
    }

    private func operations(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) -> TableOperations {
        TableOperations(caller: caller.identity, connection: connection, databases: databases)
    }

    private func locate(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) throws -> Located {
        let (table, dataset) = try operations(caller, connection).find(id)
        guard let project = try ProjectStore(connection: connection, tenantID: caller.identity.tenantID).find(dataset.projectID) else {
            throw DomainError.notFound()
        }
        return Located(project: project, dataset: dataset, table: table)
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let located = try locate(id, caller, connection)
            do {
                return try render(located, request, caller, connection)
            } catch let failure as any ProblemConvertible where failure.problem.status == 400 {
                let error = failure.problem
                // A bad filter or cursor: the page without it, saying why.
                return try render(located, nil, caller, connection, message: error.detail, status: 400)
            }
        }
    }

    func edit(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user) { caller, connection, form in
            let located = try locate(id, caller, connection)
            let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
            var change = TableOperations.Change()
            change.name = name == located.table.name ? nil : name
            if let column = form["column_name"]?.trimmingCharacters(in: .whitespaces), !column.isEmpty {
                change.addColumns = [TableDefinition.ColumnInput(name: column, type: form["column_type"] ?? ColumnType.offered[0].name)]
            }
            if let from = form["rename_from"], !from.isEmpty {
                change.renameColumns[from] = (form["rename_to"] ?? "").trimmingCharacters(in: .whitespaces)
            }
            do {
                _ = try operations(caller, connection).change(id, change, expectedVersion: form["version"].flatMap { Int64($0) })
                return Response(status: 303, headers: [("Location", "/tables/\(id)")])
            } catch let failure as any ProblemConvertible where [400, 409, 412].contains(failure.problem.status) {
                let error = failure.problem
                return try render(located, nil, caller, connection, message: error.detail, status: error.status == 400 ? 422 : error.status)
            }
        }
    }

    func delete(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user) { caller, connection, form in
            let located = try locate(id, caller, connection)
            try TrashStore(connection: connection, tenantID: caller.identity.tenantID, databases: databases)
                .moveToTrash(.table, id: id, expectedVersion: form["version"].flatMap { Int64($0) },
                             deletedBy: caller.identity.userID, retentionDays: retentionDays)
            return Response(status: 303, headers: [("Location", "/datasets/\(located.dataset.id)")])
        }
    }

    func export(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user) { caller, connection, form in
            let body = try JSONSerialization.data(withJSONObject: ["format": form["format"] ?? "csv", "compression": form["compression"] ?? "none"])
            let options = try JSON.decode(ExportOptions.self, from: Array(body))
            let job = try ExportOperations(caller: caller.identity, connection: connection, databases: databases)
                .startTableExport(try operations(caller, connection).find(id).table, options: options)
            return Response(status: 303, headers: [("Location", "/exports/\(job.id)")])
        }
    }

    /// The upload streams to disk first (as the API's does); the CSRF token, a field of the same
    /// form, is checked before the job is made, and the file is dropped if it does not match.
    func importFile(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.upload(request, minimum: .user) { caller, connection in
            let imports = ImportOperations(caller: caller.identity, connection: connection, databases: databases)
            try imports.importableTable(id)
            let (upload, extra) = try ImportUpload(files: files).multipart(request, tenant: caller.identity.tenantID,
                                                                          extraFields: ["csrf_token"])
            let (options, path, bytes) = upload
            do {
                guard let sent = extra["csrf_token"], RandomToken.equal(sent, caller.viewer.csrf) else {
                    throw HTTPError.forbidden("The form is out of date or did not come from DataCovey; reload the page and try again.")
                }
                let job = try imports.start(table: id, options: options, filePath: path, bytes: bytes, idempotencyKey: nil).job
                return Response(status: 303, headers: [("Location", "/imports/\(job.id)")])
            } catch {
                files.remove(path)
                throw error
            }
        }
    }

    private func render(_ located: Located, _ request: Request?, _ caller: BrowserAuthenticator.Caller,
                        _ connection: MariaDBConnection, message: String? = nil, status: Int = 200) throws -> Response {
        let table = located.table
        let tenant = caller.identity.tenantID
        let columns = table.columns.compactMap { column in
            ColumnType(column.type).map { RowStore.Column(name: column.name, type: $0, isNullable: column.nullable, hasDefault: column.default != nil) }
        }
        let filterColumn = request?.query("f_column")
        let filterOp = request?.query("f_op") ?? "eq"
        let filterValue = request?.query("f_value") ?? ""
        let orderText = request?.query("order").flatMap { $0.isEmpty ? nil : $0 }
        var context: [String: Any] = [:]
        var rows: [[String]] = []
        if let physical = table.physicalName, let database = located.dataset.dataDatabase, !columns.isEmpty {
            let store = RowStore(databases: databases, database: database, table: physical, columns: columns)
            var pairs: [(String, String)] = []
            if let filterColumn, !filterColumn.isEmpty, filterOp == "is.null" || !filterValue.isEmpty {
                pairs.append((filterColumn, filterOp == "is.null" ? "is.null" : "\(filterOp).\(filterValue)"))
            }
            let filters = try RowFilters.parse(pairs, columns: columns)
            let order = try request.flatMap { try RowOrder($0, columns: columns) }
            var cursor: RowCursor?
            if let text = request?.query("cursor") {
                guard let decoded = RowCursor(text, order: order) else { throw HTTPError.badRequest("The page link is out of date.") }
                cursor = decoded
            }
            let fetched = try store.select(filters, order: order, after: cursor, limit: Self.previewRows)
            rows = fetched.prefix(Self.previewRows).map { row in
                zip(columns, row.cells).map { column, cell in Self.display(RowValueCodec.json(cell, for: column.type)) }
            }
            if fetched.count > Self.previewRows {
                let last = fetched[Self.previewRows - 1]
                let index = order.flatMap { order in columns.firstIndex { $0.name == order.column } }
                let next = RowCursor(rowID: last.rowID, cell: index.map { last.cells[$0] } ?? .null, order: order).encoded(order: order)
                context["next_url"] = link(table.id, column: filterColumn, op: filterOp, value: filterValue, order: orderText, cursor: next)
            }
            context["filtered_any"] = !pairs.isEmpty
        }
        let imports = try ImportJobStore(connection: connection, tenantID: tenant).list(table: table.id, Page(limit: 20))
        let exports = try ExportJobStore(connection: connection, tenantID: tenant).list(.table(table.id), Page(limit: 20))
        let jobs = (imports.map { ($0.createdAt, ["url": "/imports/\($0.id)", "label": "Import \($0.id)\($0.options.dryRun ? " (dry run)" : "")",
                                                   "status": JobPages.importStatus($0), "when": Pages.date($0.createdAt)]) }
                    + exports.map { ($0.createdAt, ["url": "/exports/\($0.id)", "label": "Export \($0.id)", "status": $0.status.rawValue,
                                                     "when": Pages.date($0.createdAt)]) })
            .sorted { $0.0 > $1.0 }.prefix(20).map(\.1)
        context["project"] = ["id": located.project.id, "name": located.project.name] as [String: Any]
        context["dataset"] = ["id": located.dataset.id, "name": located.dataset.name] as [String: Any]
        context["table"] = ["id": table.id, "name": table.name, "description": table.description ?? "", "version": table.version,
                            "row_count": table.rowCountEstimate.map(String.init) ?? "0"] as [String: Any]
        context["columns"] = table.columns.map { column -> [String: Any] in
            let descending = orderText == "\(column.name).asc"
            return ["name": column.name, "type": column.type, "nullable": column.nullable ? "yes" : "no",
                    "default": column.default ?? "", "key": column.primaryKey ? "primary" : "",
                    "filtered": column.name == filterColumn,
                    "sort_url": link(table.id, column: filterColumn, op: filterOp, value: filterValue,
                                     order: "\(column.name).\(descending ? "desc" : "asc")", cursor: nil),
                    "sort_mark": orderText == "\(column.name).asc" ? " ▲" : orderText == "\(column.name).desc" ? " ▼" : ""]
        }
        context["has_columns"] = !table.columns.isEmpty
        context["rows"] = rows.map { ["cells": $0] }
        context["has_rows"] = !rows.isEmpty
        context["ops"] = Self.filterOperators.map { ["value": $0.value, "label": $0.label, "selected": $0.value == filterOp] as [String: Any] }
        context["filter_value"] = filterValue
        context["order"] = orderText ?? ""
        context["jobs"] = Array(jobs)
        context["has_jobs"] = !jobs.isEmpty
        context["types"] = ColumnType.offered.map(\.name)
        context["can_edit"] = caller.identity.role >= .user
        if let message { context["message"] = message }
        return Pages.shared.render("table", title: table.name, viewer: caller.viewer, context, status: status)
    }

    private func link(_ table: Int64, column: String?, op: String, value: String, order: String?, cursor: String?) -> String {
        var pairs: [(String, String)] = []
        if let column, !column.isEmpty, op == "is.null" || !value.isEmpty {
            pairs += [("f_column", column), ("f_op", op), ("f_value", value)]
        }
        if let order, !order.isEmpty { pairs.append(("order", order)) }
        if let cursor { pairs.append(("cursor", cursor)) }
        return "/tables/\(table)" + (pairs.isEmpty ? "" : "?" + FormEncoding.encode(pairs)) + "#data"
    }

    /// A cell as text: JSON values (objects, arrays) as JSON, NULL as empty.
    static func display(_ value: Any) -> String {
        switch value {
        case is NSNull: return ""
        case let text as String: return text
        case let flag as Bool: return flag ? "true" : "false"
        case let number as NSNumber: return number.stringValue
        default:
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
