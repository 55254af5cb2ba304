/// `GET /api/v1/{projects|datasets|tables|imports|exports|queries}/{id}/history`: every
/// version of an object, newest first, readable by anyone of its tenant, also after a delete.
struct HistoryController: Sendable {
    let authenticator: RequestAuthenticator

    func register(in router: inout Router) {
        for kind in HistoryKind.allCases {
            router.add("GET", "/api/v1/\(kind.rawValue)/{id:int}/history") { request in
                try list(kind, request)
            }
        }
    }

    func list(_ kind: HistoryKind, _ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { _, connection in
            let entries = try HistoryOperations(connection: connection).versions(kind, id, page)
            return try .json(ListPage(fetched: entries, page: page, id: \.version))
        }
    }
}
