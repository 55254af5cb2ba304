import Foundation
import MariaDB

/// `POST|GET /api/v1/tables/{id}/imports`, `GET /api/v1/imports/{id}`, `…/cancel`, `…/rejects`.
/// The upload is streamed to a file before the job exists; the worker does the rest.
struct ImportController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases
    let files: JobFiles

    /// The media types an upload may have.
    static let uploadTypes = ["text/csv", "application/x-ndjson", "application/ndjson", "multipart/form-data"]

    func register(in router: inout Router) {
        router.add("POST", "/api/v1/tables/{id:int}/imports", create)
        router.add("GET", "/api/v1/tables/{id:int}/imports", list)
        router.add("GET", "/api/v1/imports/{id:int}", show)
        router.add("POST", "/api/v1/imports/{id:int}/cancel", cancel)
        router.add("POST", "/api/v1/imports/{id:int}/revert", revert)
        router.add("GET", "/api/v1/imports/{id:int}/rejects", rejects)
    }

    private static func respond(_ job: ImportJob, status: Int = 200) throws -> Response {
        try .resource(job, version: job.version, location: "/api/v1/imports/\(job.id)", status: status)
    }

    func create(_ request: Request) throws -> Response {
        let tableID = try request.parameters.int("id")
        let mediaType = request.header("content-type")?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        let key = try IdempotencyKeys.validatedKey(request)
        // First: who, which table, and whether this is a retry — before a byte is stored.
        let (caller, existing) = try authenticator.withIdentity(request, minimum: .user, target: VisibleTarget.table(tableID, databases: databases)) {
            caller, connection -> (Identity, ImportJob?) in
            let imports = operations(caller, connection)
            let table = try TableOperations(caller: caller, connection: connection, databases: databases).find(tableID).table
            if let key, let job = try imports.earlierJob(idempotencyKey: key, table: tableID) { return (caller, job) }
            try ImportOperations.requireImportable(table)
            return (caller, nil)
        }
        if let existing { return try Self.respond(existing, status: 202) }
        guard let mediaType, Self.uploadTypes.contains(mediaType) else {
            throw HTTPError.unsupportedMediaType("Send the file as text/csv, application/x-ndjson or multipart/form-data.")
        }
        // Then the file, with no pooled connection held while it streams.
        let uploads = ImportUpload(files: files)
        let (options, path, bytes) = mediaType == "multipart/form-data"
            ? try uploads.multipart(request, tenant: caller.tenantID).upload
            : try uploads.raw(request, mediaType: mediaType, tenant: caller.tenantID)
        do {
            return try authenticator.withCaller(request, minimum: .user, replaysIdempotencyKeys: false) { caller, connection in
                let started = try operations(caller, connection).start(table: tableID, options: options, filePath: path, bytes: bytes, idempotencyKey: key)
                // A concurrent retry with the same key won the insert: its job is the answer.
                if !started.isNew { files.remove(path) }
                return try Self.respond(started.job, status: 202)
            }
        } catch {
            files.remove(path)
            throw error
        }
    }

    private func operations(_ caller: Identity, _ connection: MariaDBConnection) -> ImportOperations {
        ImportOperations(caller: caller, connection: connection, databases: databases)
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

    /// For 403 against 404: a job of the caller's tenant.
    private func lookup(_ id: Int64) -> RequestAuthenticator.TargetLookup {
        { caller, connection in try operations(caller, connection).isVisible(id) }
    }

    func cancel(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: lookup(id), replaysIdempotencyKeys: false) { caller, connection in
            try Self.respond(try operations(caller, connection).cancel(id))
        }
    }

    /// Undoes a completed import (admins, as restores are); answers the job with `reverted_at`.
    func revert(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .admin, target: lookup(id)) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            return try Self.respond(try operations(caller, connection).revert(id, expectedVersion: expected))
        }
    }

    /// The rejected rows: JSON pages, or all of them as CSV with `Accept: text/csv`.
    func rejects(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let wantsCSV = request.header("accept")?.lowercased().contains("text/csv") == true
        let page = wantsCSV ? Page(limit: ImportRejectLimits.storedPerJob) : try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let rejects = try operations(caller, connection).rejects(ofJob: id, page)
            guard wantsCSV else { return try .json(ListPage(fetched: rejects, page: page, id: \.id)) }
            return ImportRejectsCSV.response(Array(rejects.prefix(page.limit)), job: id)
        }
    }
}

/// How many rejects a job keeps (the count in `rows_rejected` goes on beyond it).
enum ImportRejectLimits {
    static let storedPerJob = 10_000
}

/// RFC 4180 output: a field is quoted when it holds the delimiter, a quote or a line break.
enum CSVText {
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
