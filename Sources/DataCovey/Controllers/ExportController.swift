import Foundation
import MariaDB

/// `POST|GET /api/v1/tables/{id}/exports`, `GET /api/v1/exports/{id}`, `…/cancel`, `…/download`.
/// The download is authorized here and served by nginx from an `internal` location
/// (`X-Accel-Redirect`, SECURITY rule 17): the responder never streams the file itself.
struct ExportController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases
    let files: JobFiles

    /// nginx's internal location that aliases the data directory's `exports/`.
    static let protectedLocation = "/_protected_downloads/"

    func register(in router: inout Router) {
        router.add("POST", "/api/v1/tables/{id:int}/exports", create)
        router.add("GET", "/api/v1/tables/{id:int}/exports", list)
        router.add("GET", "/api/v1/exports/{id:int}", show)
        router.add("POST", "/api/v1/exports/{id:int}/cancel", cancel)
        router.add("GET", "/api/v1/exports/{id:int}/download", download)
        router.add("POST", "/api/v1/queries/{id:int}/exports", createFromQuery)
        router.add("GET", "/api/v1/queries/{id:int}/exports", listOfQuery)
    }

    /// An export of a saved query's whole result (no row cap), run by the worker as the
    /// project's query account. The SQL, its tables and the parameters are checked now, so a
    /// mistake is a 400 here rather than a failed job later.
    func createFromQuery(_ request: Request) throws -> Response {
        let queryID = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.savedQuery(queryID)) { caller, connection in
            guard let query = try SavedQueryStore(connection: connection, tenantID: caller.tenantID).find(queryID) else {
                throw HTTPError.notFound()
            }
            let options = try request.decodeJSON(ExportOptions.self, allowedFields: ExportOptions.queryFields)
            _ = try QueryPlan.make(sql: query.sql, params: options.params, declared: query.parameters,
                                   catalog: try QueryCatalog.load(project: query.projectID, connection: connection))
            let job = try ExportJobStore(connection: connection, tenantID: caller.tenantID)
                .create(.query(queryID), options: options, createdBy: caller.userID)
            return try Self.respond(job, status: 202)
        }
    }

    func listOfQuery(_ request: Request) throws -> Response {
        let queryID = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            guard try SavedQueryStore(connection: connection, tenantID: caller.tenantID).find(queryID) != nil else {
                throw HTTPError.notFound()
            }
            let jobs = try ExportJobStore(connection: connection, tenantID: caller.tenantID).list(.query(queryID), page)
            return try .json(ListPage(fetched: jobs, page: page, id: \.id))
        }
    }

    private static func respond(_ job: ExportJob, status: Int = 200) throws -> Response {
        try .resource(job, version: job.version, location: "/api/v1/exports/\(job.id)", status: status)
    }

    private func table(_ id: Int64, _ caller: Identity, _ connection: MariaDBConnection) throws -> DataTable {
        try TableOperations(caller: caller, connection: connection, databases: databases).find(id).table
    }

    private static func lookup(_ id: Int64) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try ExportJobStore(connection: connection, tenantID: caller.tenantID).find(id) != nil }
    }

    func create(_ request: Request) throws -> Response {
        let tableID = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.table(tableID, databases: databases)) { caller, connection in
            let table = try table(tableID, caller, connection)
            let options = try request.decodeJSON(ExportOptions.self, allowedFields: ExportOptions.fields)
            let job = try ExportOperations(caller: caller, connection: connection, databases: databases)
                .startTableExport(table, options: options)
            return try Self.respond(job, status: 202)
        }
    }

    func list(_ request: Request) throws -> Response {
        let tableID = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            _ = try table(tableID, caller, connection)
            let jobs = try ExportJobStore(connection: connection, tenantID: caller.tenantID).list(.table(tableID), page)
            return try .json(ListPage(fetched: jobs, page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            guard let job = try ExportJobStore(connection: connection, tenantID: caller.tenantID).find(id) else {
                throw HTTPError.notFound()
            }
            return try Self.respond(job)
        }
    }

    func cancel(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: Self.lookup(id), replaysIdempotencyKeys: false) { caller, connection in
            try Self.respond(try ExportJobStore(connection: connection, tenantID: caller.tenantID).cancel(id))
        }
    }

    func download(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            guard let job = try ExportJobStore(connection: connection, tenantID: caller.tenantID).find(id) else {
                throw HTTPError.notFound()
            }
            var name = "export-\(job.id)"
            if let tableID = job.tableID, let table = try? table(tableID, caller, connection) { name = "\(table.name)-\(job.id)" }
            if let queryID = job.queryID,
               let query = try? SavedQueryStore(connection: connection, tenantID: caller.tenantID).find(queryID) {
                name = "\(query.name)-\(job.id)"
            }
            return try ExportDownload.response(job, name: name, files: files)
        }
    }
}
