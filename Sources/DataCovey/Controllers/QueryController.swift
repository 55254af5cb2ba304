/// Ad hoc SQL (`POST /api/v1/projects/{id}/query`) and the run history of a project.
/// Viewers may run queries and read runs (DESIGN §1).
struct QueryController: Sendable {
    let authenticator: RequestAuthenticator
    let service: QueryService

    func register(in router: inout Router) {
        router.add("POST", "/api/v1/projects/{id:int}/query", query)
        router.add("GET", "/api/v1/projects/{id:int}/runs", runs)
        router.add("GET", "/api/v1/runs/{id:int}", run)
    }

    func query(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer, replaysIdempotencyKeys: false) { caller, connection in
            let input = try request.decodeJSON(QueryRunInput.self, allowedFields: QueryRunInput.adHocFields)
            guard let sql = input.sql else {
                throw HTTPError.badRequest("Missing field: sql.", errors: [.init(field: "sql", message: "is required")])
            }
            let outcome = try QueryOperations(caller: caller, connection: connection, service: service)
                .run(sql: sql, inProject: project, input.options)
            return Self.answer(outcome, request: request, input: input)
        }
    }

    func runs(_ request: Request) throws -> Response {
        let project = try request.parameters.int("id")
        let page = try Page(request)
        let filter = try QueryRunHistory.filter(request.query)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let runs = try QueryRunHistory(caller: caller, connection: connection).runs(inProject: project, filter, page)
            return try .json(ListPage(fetched: runs, page: page, id: \.id))
        }
    }

    func run(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            try .json(try QueryRunHistory(caller: caller, connection: connection).run(id))
        }
    }

    /// The result as JSON, or CSV for `Accept: text/csv`, written to the client in pieces; a
    /// dry run answers EXPLAIN's plan.
    static func answer(_ outcome: QueryService.Outcome, request: Request, input: QueryRunInput) -> Response {
        let wantsCSV = request.header("accept")?.lowercased().contains("text/csv") == true
        let encoder = QueryResultEncoder(result: outcome.result, escapesFormulas: wantsCSV && input.escapeFormulas == true)
        if input.dryRun == true {
            var body = Array("{\"dry_run\":true,\"run_id\":".utf8)
            if let runID = outcome.runID { ByteText.integer(runID, into: &body) } else { body += Array("null".utf8) }
            body += Array(",\"estimated_rows\":".utf8)
            ByteText.integer(estimatedRows(outcome.result), into: &body)
            body += Array(",\"explain\":".utf8)
            body += encoder.json(runID: outcome.runID)
            body.append(0x7D)
            return Response(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(body))
        }
        var headers: [(name: String, value: String)] = []
        if let runID = outcome.runID { headers.append(("DataCovey-Run-Id", String(runID))) }
        headers.append(("DataCovey-Truncated", outcome.result.truncated ? "true" : "false"))
        if wantsCSV {
            headers.insert(("Content-Type", "text/csv; charset=utf-8"), at: 0)
            return Response(status: 200, headers: headers, body: .stream { writer in try encoder.writeCSV { try writer.write($0) } })
        }
        headers.insert(("Content-Type", "application/json"), at: 0)
        return Response(status: 200, headers: headers,
                        body: .stream { writer in try encoder.writeJSON(runID: outcome.runID) { try writer.write($0) } })
    }

    /// The optimizer's estimate of rows examined: the product of EXPLAIN's `rows` over the
    /// plan's steps (a join multiplies), saturating rather than overflowing.
    static func estimatedRows(_ plan: QueryResult) -> Int64 {
        guard let column = plan.columns.firstIndex(where: { $0.name == "rows" }) else { return 0 }
        var product: Int64 = 1
        var any = false
        for row in 0..<plan.rows.count {
            guard let value = plan.rows.text(row: row, column: column).flatMap({ Int64($0) }) else { continue }
            any = true
            let (result, overflow) = product.multipliedReportingOverflow(by: max(value, 1))
            product = overflow ? .max : result
        }
        return any ? product : 0
    }
}
