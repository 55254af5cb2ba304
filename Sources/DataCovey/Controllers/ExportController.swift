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

    private func operations(_ caller: Identity, _ connection: MariaDBConnection) -> ExportOperations {
        ExportOperations(caller: caller, connection: connection, databases: databases)
    }

    private static func respond(_ job: ExportJob, status: Int = 200) throws -> Response {
        try .resource(job, version: job.version, location: "/api/v1/exports/\(job.id)", status: status)
    }

    /// For 403 against 404: a job of the caller's tenant.
    private func lookup(_ id: Int64) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try operations(caller, connection).isVisible(id) }
    }

    /// An export of a saved query's whole result (no row cap).
    func createFromQuery(_ request: Request) throws -> Response {
        let queryID = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.savedQuery(queryID)) { caller, connection in
            _ = try SavedQueryOperations(caller: caller, connection: connection).query(queryID)
            let options = try request.decodeJSON(ExportOptions.self, allowedFields: ExportOptions.queryFields)
            return try Self.respond(try operations(caller, connection).startQueryExport(queryID, options: options), status: 202)
        }
    }

    func listOfQuery(_ request: Request) throws -> Response {
        let queryID = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let jobs = try operations(caller, connection).jobs(ofQuery: queryID, page)
            return try .json(ListPage(fetched: jobs, page: page, id: \.id))
        }
    }

    func create(_ request: Request) throws -> Response {
        let tableID = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.table(tableID, databases: databases)) { caller, connection in
            let table = try TableOperations(caller: caller, connection: connection, databases: databases).find(tableID).table
            let options = try request.decodeJSON(ExportOptions.self, allowedFields: ExportOptions.fields)
            return try Self.respond(try operations(caller, connection).startTableExport(table, options: options), status: 202)
        }
    }

    func list(_ request: Request) throws -> Response {
        let tableID = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let jobs = try operations(caller, connection).jobs(ofTable: tableID, page)
            return try .json(ListPage(fetched: jobs, page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            try Self.respond(try operations(caller, connection).job(id))
        }
    }

    func cancel(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: lookup(id), replaysIdempotencyKeys: false) { caller, connection in
            try Self.respond(try operations(caller, connection).cancel(id))
        }
    }

    func download(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let exports = operations(caller, connection)
            let job = try exports.job(id)
            return try ExportDownload.response(job, name: exports.downloadName(job), files: files)
        }
    }
}
