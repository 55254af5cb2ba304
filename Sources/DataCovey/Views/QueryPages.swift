import Foundation
import MariaDB

/// `GET|POST /projects/{id}/query`: the query editor. A run goes through the same service as the
/// API's (guard, project account, limits, run history); the result shows as a table with a chart
/// when it has a label and a number, or comes back as a CSV download.
struct QueryPages: Sendable {
    let browser: BrowserAuthenticator
    let service: QueryService

    func register(in router: inout Router) {
        router.add("GET", "/projects/{id:int}/query", show)
        router.add("POST", "/projects/{id:int}/query", run)
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, _ in
            var context: [String: Any] = [:]
            if let saved = request.query("saved").flatMap({ Int64($0) }),
               let query = try SavedQueryStore(connection: connection, tenantID: caller.identity.tenantID).find(saved),
               query.projectID == id {
                context = Self.savedContext(query)
            }
            return try render(id, caller, connection, context)
        }
    }

    func run(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try browser.page(request) { caller, connection, form in
            let sql = form["sql"] ?? ""
            guard try ProjectStore(connection: connection, tenantID: caller.identity.tenantID).find(id) != nil else {
                throw HTTPError.notFound()
            }
            // A saved query whose SQL was not edited runs as itself: its declared parameters
            // (typed, with defaults) take the values the form gives.
            let saved = try form["saved"].flatMap { Int64($0) }.flatMap {
                try SavedQueryStore(connection: connection, tenantID: caller.identity.tenantID).find($0)
            }.flatMap { $0.projectID == id && $0.sql == sql ? $0 : nil }
            var kept: [String: Any] = ["sql": sql]
            if let saved { kept.merge(Self.savedContext(saved, values: form)) { $1 } }
            let outcome: QueryService.Outcome
            do {
                try QueryRunInput.validate(sql: sql)
                var params: [String: JSONValue] = [:]
                for parameter in saved?.parameters ?? [] {
                    if let value = form["param_" + parameter.name], !value.isEmpty {
                        params[parameter.name] = Self.jsonValue(value, type: parameter.type)
                    }
                }
                outcome = try service.run(.init(project: id, savedQuery: saved?.id, sql: sql,
                                                params: params.isEmpty ? nil : .object(params),
                                                declared: saved?.parameters ?? []),
                                          caller: caller.identity, connection: connection)
            } catch let failure as any ProblemConvertible where [400, 429].contains(failure.problem.status) {
                let error = failure.problem
                kept["error"] = error.detail
                return try render(id, caller, connection, kept, status: error.status == 429 ? 429 : 422)
            }
            if form["format"] == "csv" {
                return Response(status: 200, headers: [
                    ("Content-Type", "text/csv; charset=utf-8"),
                    ("Content-Disposition", "attachment; filename=\"query-\(outcome.runID ?? 0).csv\""),
                ], body: .bytes(QueryResultEncoder(result: outcome.result, escapesFormulas: true).csv()))
            }
            let result = outcome.result
            let rows = (0..<result.rows.count).map { row in
                ["cells": (0..<result.columns.count).map { result.rows.text(row: row, column: $0) ?? "NULL" }]
            }
            var context: [String: Any] = kept
            context.merge([
                "has_result": true, "row_count": result.rows.count, "truncated": result.truncated,
                "elapsed": result.elapsedMilliseconds, "run_id": outcome.runID ?? 0,
                "columns": result.columns.map { ["name": $0.name, "type": $0.type] }, "rows": rows,
            ]) { $1 }
            if let chart = QueryChart.context(columns: result.columns, cell: { result.rows.text(row: $0, column: $1) },
                                              rowCount: result.rows.count) {
                context["chart"] = chart
            }
            return try render(id, caller, connection, context)
        }
    }

    /// The editor filled with a saved query: its SQL, and an input per declared parameter.
    private static func savedContext(_ query: SavedQuery, values: [String: String] = [:]) -> [String: Any] {
        ["sql": query.sql, "saved_id": query.id, "saved_name": query.name,
         "parameters": query.parameters.map { parameter -> [String: Any] in
             ["name": parameter.name, "type": parameter.type, "field": "param_" + parameter.name,
              "value": values["param_" + parameter.name] ?? "", "default": parameter.default.map(Pages.text) ?? ""]
         }]
    }

    /// A form's text as the JSON value the API would have been sent for a parameter's type.
    private static func jsonValue(_ text: String, type: String) -> JSONValue {
        ColumnType(type)?.kind.formValue(text) ?? .string(text)
    }

    private func render(_ id: Int64, _ caller: BrowserAuthenticator.Caller, _ connection: MariaDBConnection,
                        _ extra: [String: Any], status: Int = 200) throws -> Response {
        let tenant = caller.identity.tenantID
        guard let project = try ProjectStore(connection: connection, tenantID: tenant).find(id) else { throw HTTPError.notFound() }
        let saved = try SavedQueryStore(connection: connection, tenantID: tenant).list(project: id, Page(limit: 100)) ?? []
        var context = extra
        context["project"] = ["id": project.id, "name": project.name] as [String: Any]
        context["saved"] = saved.map { ["id": $0.id, "name": $0.name] as [String: Any] }
        context["has_saved"] = !saved.isEmpty
        context["row_cap"] = service.executor.settings.rowCap
        return Pages.shared.render("query", title: "Query \(project.name)", viewer: caller.viewer, context, status: status)
    }
}
