import MariaDB

/// Undoable deletes (issue 6): `DELETE /api/v1/{projects|datasets|tables|queries}/{id}` moves the
/// object and what it contains to the trash, `GET /api/v1/trash` lists the trash, and
/// `POST /api/v1/{…}/{id}/restore` brings an object back from the trash, to a version, or both.
struct TrashController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases
    /// Days a deleted object stays restorable (`DATACOVEY_TRASH_RETENTION_DAYS`).
    let retentionDays: Int

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/trash", list)
        for kind in TrashKind.allCases {
            router.add("DELETE", "/api/v1/\(kind.collection)/{id:int}") { request in
                try delete(kind, request)
            }
            router.add("POST", "/api/v1/\(kind.collection)/{id:int}/restore") { request in
                try restore(kind, request)
            }
        }
    }

    /// Deleting needs the role that may edit the object (user); what it deletes can be restored
    /// by an admin until the retention ends.
    func delete(_ kind: TrashKind, _ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .user, target: Self.live(kind, id)) { caller, connection in
            try TrashStore(connection: connection, tenantID: caller.tenantID, databases: databases)
                .moveToTrash(kind, id: id, expectedVersion: expected, deletedBy: caller.userID, retentionDays: retentionDays)
            return Response(status: 204)
        }
    }

    func list(_ request: Request) throws -> Response {
        let page = try Page(request)
        var kind: TrashKind?
        if let text = request.query("kind") {
            guard let parsed = TrashKind(rawValue: text) else {
                throw HTTPError.badRequest("kind must be one of project, dataset, table, query.",
                                           errors: [.init(field: "kind", message: "is not a kind of the trash")])
            }
            kind = parsed
        }
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let entries = try TrashStore(connection: connection, tenantID: caller.tenantID, databases: databases).list(kind: kind, page)
            return try .json(ListPage(fetched: entries, page: page, id: \.trashID))
        }
    }

    /// Admins only. Answers the object as its own endpoint shows it, with its new version.
    func restore(_ kind: TrashKind, _ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .admin, target: Self.anyState(kind, id)) { caller, connection in
            let input = try Self.input(request)
            try RestoreStore(connection: connection, tenantID: caller.tenantID, databases: databases)
                .restore(kind, id: id, input, expectedVersion: expected)
            return try restored(kind, id: id, tenantID: caller.tenantID, connection: connection)
        }
    }

    /// The body is optional: an empty restore brings a trashed object back as it was.
    private static func input(_ request: Request) throws -> RestoreInput {
        if request.header("content-type") == nil, (request.raw.body?.declaredLength ?? 0) == 0 {
            return RestoreInput(version: nil, renameTo: nil, dropColumns: nil)
        }
        let input = try request.decodeJSON(RestoreInput.self, allowedFields: RestoreInput.fields)
        if let version = input.version, version < 1 {
            throw HTTPError.badRequest("version must be a positive integer.", errors: [.init(field: "version", message: "must be ≥ 1")])
        }
        return input
    }

    private func restored(_ kind: TrashKind, id: Int64, tenantID: Int64, connection: MariaDBConnection) throws -> Response {
        switch kind {
        case .project:
            guard let project = try ProjectStore(connection: connection, tenantID: tenantID).find(id) else { throw HTTPError.notFound() }
            return try .resource(project, version: project.version, location: "/api/v1/projects/\(id)")
        case .dataset:
            guard let dataset = try DatasetStore(connection: connection, tenantID: tenantID).find(id) else { throw HTTPError.notFound() }
            return try .resource(dataset, version: dataset.version, location: "/api/v1/datasets/\(id)")
        case .table:
            let tables = TableStore(connection: connection, tenantID: tenantID, databases: databases)
            guard let dataset = try tables.dataset(ofTable: id), let table = try tables.find(id, in: dataset) else {
                throw HTTPError.notFound()
            }
            return try .resource(table, version: table.version, location: "/api/v1/tables/\(id)")
        case .query:
            guard let query = try SavedQueryStore(connection: connection, tenantID: tenantID).find(id) else { throw HTTPError.notFound() }
            return try .resource(query, version: query.version, location: "/api/v1/queries/\(id)")
        }
    }

    /// For 403 against 404: a live object of the caller's tenant.
    private static func live(_ kind: TrashKind, _ id: Int64) -> RequestAuthenticator.TargetLookup {
        { _, connection in !(try connection.query("SELECT 1 FROM \(unsafeRaw: kind.view) WHERE id = \(id)").isEmpty) }
    }

    /// For 403 against 404: an object of the caller's tenant, trashed or not.
    private static func anyState(_ kind: TrashKind, _ id: Int64) -> RequestAuthenticator.TargetLookup {
        { _, connection in !(try connection.query("SELECT 1 FROM \(unsafeRaw: kind.viewWithTrash) WHERE id = \(id)").isEmpty) }
    }
}
