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

    private func operations(_ caller: Identity, _ connection: MariaDBConnection) -> TrashOperations {
        TrashOperations(caller: caller, connection: connection, databases: databases)
    }

    /// Deleting needs the role that may edit the object (user); what it deletes can be restored
    /// by an admin until the retention ends.
    func delete(_ kind: TrashKind, _ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let live: RequestAuthenticator.TargetLookup = { caller, connection in try operations(caller, connection).isVisible(kind, id) }
        return try authenticator.withCaller(request, minimum: .user, target: live) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            try operations(caller, connection).delete(kind, id, expectedVersion: expected, retentionDays: retentionDays)
            return Response(status: 204)
        }
    }

    func list(_ request: Request) throws -> Response {
        let page = try Page(request)
        var kind: TrashKind?
        if let text = request.query("kind") {
            // The collection names, as the audit log and the URLs spell kinds.
            guard let parsed = TrashKind(collection: text) else {
                let names = TrashKind.allCases.map(\.collection).joined(separator: ", ")
                throw HTTPError.badRequest("kind must be one of \(names).", errors: [.init(field: "kind", message: "must be one of \(names)")])
            }
            kind = parsed
        }
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let entries = try operations(caller, connection).list(kind: kind, page)
            return try .json(ListPage(fetched: entries, page: page, id: \.trashID))
        }
    }

    /// Admins only. Answers the object as its own endpoint shows it, with its new version.
    func restore(_ kind: TrashKind, _ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let anyState: RequestAuthenticator.TargetLookup = { caller, connection in
            try operations(caller, connection).isVisible(kind, id, includingTrash: true)
        }
        return try authenticator.withCaller(request, minimum: .admin, target: anyState) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            let input = try Self.input(request)
            switch try operations(caller, connection).restore(kind, id, input, expectedVersion: expected) {
            case .project(let project): return try .resource(project, version: project.version, location: "/api/v1/projects/\(id)")
            case .dataset(let dataset): return try .resource(dataset, version: dataset.version, location: "/api/v1/datasets/\(id)")
            case .table(let table): return try .resource(table, version: table.version, location: "/api/v1/tables/\(id)")
            case .query(let query): return try .resource(query, version: query.version, location: "/api/v1/queries/\(id)")
            }
        }
    }

    /// The body is optional: an empty restore brings a trashed object back as it was.
    private static func input(_ request: Request) throws -> RestoreInput {
        if request.header("content-type") == nil, (request.raw.body?.declaredLength ?? 0) == 0 {
            return RestoreInput(version: nil, renameTo: nil, dropColumns: nil)
        }
        return try request.decodeJSON(RestoreInput.self, allowedFields: RestoreInput.fields)
    }
}
