import Foundation
import MariaDB

/// The query editor, `GET|POST /projects/{id}/query`: SQL with an input (and a type) for every
/// `:name` it uses, a schema panel of the project's tables, the project's saved queries and
/// recent runs (each opens again with the values it ran with), and the result as a table with
/// the chart the user chose, or as a CSV download. A run goes through the same operations as
/// the API's (guard, project account, limits, run history). Users save the SQL as a new query
/// (`POST /projects/{id}/queries`), save changes to or rename the one they opened
/// (`POST /queries/{id}/edit`, against its version) or delete it (`POST /queries/{id}/delete`,
/// to the trash). `GET /queries/{id}` opens a saved query in its project's editor.
struct QueryPages: Sendable {
    let browser: BrowserAuthenticator
    let service: QueryService
    let databases: DataDatabases
    let retentionDays: Int

    static let recentRuns = 10

    func register(in router: inout Router) {
        router.add("GET", "/projects/{id:int}/query", show)
        router.add("POST", "/projects/{id:int}/query", run)
        router.add("POST", "/projects/{id:int}/queries", saveNew)
        router.add("GET", "/queries/{id:int}", savedQuery)
        router.add("POST", "/queries/{id:int}/edit", saveChanges)
        router.add("POST", "/queries/{id:int}/delete", deleteQuery)
        router.add("POST", "/queries/{id:int}/export", exportQuery)
    }

    private func saved(_ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection) -> SavedQueryOperations {
        SavedQueryOperations(caller: caller.identity, connection: connection)
    }

    /// A saved query's own address (history, audit and trash link here): its project's editor
    /// with the query loaded.
    func savedQuery(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            let query = try saved(caller, connection).query(id)
            return Response(status: 303, headers: [("Location", "/projects/\(query.projectID)/query?saved=\(id)")])
        }
    }

    /// The editor, empty, with a saved query (`?saved=`), or with an earlier run (`?run=`).
    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            var form = QueryEditorForm(fields: [:], opened: nil)
            if let runID = request.query("run").flatMap({ Int64($0) }) {
                let run = try QueryRunHistory(caller: caller.identity, connection: connection).run(runID)
                guard run.projectID == id else { throw DomainError.notFound() }
                form = QueryEditorForm(run: run, saved: try run.queryID.flatMap { try saved(caller, connection).query($0, inProject: id) })
            } else if let savedID = request.query("saved").flatMap({ Int64($0) }),
                      let query = try saved(caller, connection).query(savedID, inProject: id) {
                form = QueryEditorForm(saved: query)
            }
            return try render(id, caller, connection, form)
        }
    }

    /// The saved query a posted form was opened from (its `saved` field), when it is this project's.
    private func opened(_ fields: [String: String], project: Int64, _ caller: BrowserAuthenticator.Caller,
                        _ connection: MariaDBConnection) throws -> SavedQuery? {
        try fields["saved"].flatMap { Int64($0) }.flatMap { try saved(caller, connection).query($0, inProject: project) }
    }

    func run(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, fields in
            let form = QueryEditorForm(fields: fields, opened: try opened(fields, project: id, caller, connection))
            let outcome: QueryService.Outcome
            let dryRun = fields["format"] == "explain"
            do {
                outcome = try QueryOperations(caller: caller.identity, connection: connection, service: service)
                    .run(sql: form.sql, inProject: id, .init(params: form.params, dryRun: dryRun, asOf: form.asOf), as: form.saved,
                         declaring: form.declarations)
            } catch let error as DomainError where error.kind == .invalid || error.kind == .rateLimited {
                return try render(id, caller, connection, form, ["error": error.detail], status: error.kind == .rateLimited ? 429 : 422)
            }
            if fields["format"] == "csv" {
                return Response(status: 200, headers: [
                    ("Content-Type", "text/csv; charset=utf-8"),
                    ("Content-Disposition", "attachment; filename=\"query-\(outcome.runID ?? 0).csv\""),
                ], body: .bytes(QueryResultEncoder(result: outcome.result, escapesFormulas: true).csv()))
            }
            var result = Self.resultContext(outcome, chart: dryRun ? QueryChart.Choice(kind: "none") : form.chart)
            if dryRun {
                // EXPLAIN's plan, as the API's dry run answers it: nothing of the tables was read.
                result["dry_run"] = true
                result["estimated_rows"] = QueryController.estimatedRows(outcome.result)
            }
            return try render(id, caller, connection, form, result)
        }
    }

    /// The whole result of the saved query, as the worker writes it to a file (no row cap),
    /// with the values the editor holds; then the export's page.
    func exportQuery(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.savedQuery(id)) { caller, connection, fields in
            let query = try saved(caller, connection).query(id)
            let form = QueryEditorForm(fields: fields, opened: query)
            do {
                var options = try JSON.decode(ExportOptions.self, from: try JSON.Literal.encode(JSONValue.object([
                    "format": .string(fields["export_format"] ?? "csv"), "compression": .string(fields["export_compression"] ?? "none"),
                ])))
                options.params = form.params
                let job = try ExportOperations(caller: caller.identity, connection: connection, databases: databases)
                    .startQueryExport(id, options: options)
                return Response(status: 303, headers: [("Location", "/exports/\(job.id)")])
            } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
                return try render(query.projectID, caller, connection, form, ["error": error.detail], status: 422)
            }
        }
    }

    /// The result table and the chart, with the chart's choices as the form's selects.
    private static func resultContext(_ outcome: QueryService.Outcome, chart choice: QueryChart.Choice) -> [String: Any] {
        let result = outcome.result
        let rows = (0..<result.rows.count).map { row in
            ["cells": result.columns.indices.map { column -> [String: Any] in
                CellDisplay.context(CellDisplay.queryCell(result.rows.text(row: row, column: column), kind: result.columns[column].kind))
            }]
        }
        var context: [String: Any] = [
            "has_result": true, "row_count": result.rows.count, "truncated": result.truncated,
            "elapsed": result.elapsedMilliseconds, "run_id": outcome.runID ?? 0,
            "columns": result.columns.map { ["name": $0.name, "type": $0.type] }, "rows": rows,
        ]
        let axes = QueryChart.axes(result.columns, choice)
        context["chart_kinds"] = [("auto", "automatic"), ("bar", "bars"), ("line", "line"), ("none", "no chart")].map {
            ["value": $0.0, "label": $0.1, "selected": (choice.kind ?? "auto") == $0.0] as [String: Any]
        }
        context["chart_x_options"] = result.columns.enumerated().map { index, column in
            ["value": column.name, "selected": axes?.x == index] as [String: Any]
        }
        context["chart_y_options"] = result.columns.enumerated().filter { QueryChart.isNumber($0.element.kind) }.map { index, column in
            ["value": column.name, "selected": axes?.y == index] as [String: Any]
        }
        if let chart = QueryChart.context(columns: result.columns, cell: { result.rows.text(row: $0, column: $1) },
                                          rowCount: result.rows.count, choice: choice) {
            context["chart"] = chart
        }
        return context
    }

    /// Saves the editor's SQL as a new query, its `:name`s declared with the chosen types and
    /// the typed values as defaults; then opens it.
    func saveNew(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.project(id)) { caller, connection, fields in
            let form = QueryEditorForm(fields: fields, opened: try opened(fields, project: id, caller, connection))
            let name = (fields["save_name"] ?? "").trimmingCharacters(in: .whitespaces)
            do {
                let query = try saved(caller, connection).create(inProject: id, name: name, description: nil, sql: form.sql,
                                                                  parameters: form.declarations)
                return Response(status: 303, headers: [("Location", "/projects/\(id)/query?saved=\(query.id)")])
            } catch let error as DomainError where [.invalid, .conflict].contains(error.kind) {
                return try render(id, caller, connection, form, ["save_error": error.detail, "save_name": name],
                                  status: error.kind == .conflict ? 409 : 422)
            }
        }
    }

    /// Saves the editor's SQL, declarations and name over the query it was opened from, against
    /// the version the editor showed: a change meanwhile is refused, not overwritten.
    func saveChanges(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.savedQuery(id)) { caller, connection, fields in
            let query = try saved(caller, connection).query(id)
            let form = QueryEditorForm(fields: fields, opened: query)
            let name = (fields["save_name"] ?? "").trimmingCharacters(in: .whitespaces)
            do {
                _ = try saved(caller, connection).update(id, name: name, description: nil, sql: form.sql, parameters: form.declarations,
                                                         expectedVersion: fields["version"].flatMap { Int64($0) })
                return Response(status: 303, headers: [("Location", "/projects/\(query.projectID)/query?saved=\(id)")])
            } catch let error as DomainError where [.invalid, .conflict, .stale].contains(error.kind) {
                let message = error.kind == .stale
                    ? "The saved query has changed since the editor opened it; open it again before saving." : error.detail
                return try render(query.projectID, caller, connection, form, ["save_error": message, "save_name": name],
                                  status: HTTPError(error).status == 400 ? 422 : HTTPError(error).status)
            }
        }
    }

    /// To the trash (an admin can restore it); back to an empty editor.
    func deleteQuery(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request, minimum: .user, target: VisibleTarget.savedQuery(id)) { caller, connection, fields in
            let query = try saved(caller, connection).query(id)
            try TrashOperations(caller: caller.identity, connection: connection, databases: databases)
                .delete(.query, id, expectedVersion: fields["version"].flatMap { Int64($0) }, retentionDays: retentionDays)
            return Response(status: 303, headers: [("Location", "/projects/\(query.projectID)/query")])
        }
    }

    private func render(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                        _ form: QueryEditorForm, _ extra: [String: Any] = [:], status: Int = 200) throws -> Response {
        let project = try QueryOperations(caller: caller.identity, connection: connection, service: service).project(id)
        let savedQueries = try saved(caller, connection).list(inProject: id, Page(limit: Page.maximumLimit))
        let schema = try ProjectSchema.load(project: id, caller: caller.identity, connection: connection, databases: databases)
        let runs = try QueryRunHistory(caller: caller.identity, connection: connection).recent(inProject: id, limit: Self.recentRuns)
        var context = form.context
        context["save_name"] = form.opened?.name ?? ""
        context.merge(extra) { $1 }
        context["project"] = ["id": project.id, "name": project.name] as [String: Any]
        context["saved"] = savedQueries.map { ["id": $0.id, "name": $0.name, "current": $0.id == form.opened?.id] as [String: Any] }
        context["has_saved"] = !savedQueries.isEmpty
        context["schema"] = schema.entries.map { entry -> [String: Any] in
            ["dataset": entry.dataset.name,
             "tables": entry.tables.map { table -> [String: Any] in
                 ["name": table.name, "id": table.id,
                  "columns": table.columns.map { ["name": $0.name, "type": $0.type] }, "pending": table.columns.isEmpty]
             }]
        }
        context["has_schema"] = schema.entries.contains { !$0.tables.isEmpty }
        context["runs"] = runs.map { run, by -> [String: Any] in
            ["id": run.id, "sql": run.sql.count > 80 ? String(run.sql.prefix(80)) + "…" : run.sql, "status": run.status,
             "by": by ?? "a removed user", "when": Pages.date(run.createdAt), "rows": run.rowCount.map(String.init) ?? "",
             "url": "/projects/\(id)/query?run=\(run.id)", "dry_run": run.dryRun]
        }
        context["has_runs"] = !runs.isEmpty
        context["row_cap"] = service.executor.settings.rowCap
        context["can_edit"] = caller.identity.role >= .user
        return Pages.shared.render("query", title: "Query \(project.name)", viewer: caller.viewer, context, status: status)
    }
}
