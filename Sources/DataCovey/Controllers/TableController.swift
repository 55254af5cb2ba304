import MariaDB

/// `/api/v1/datasets/{id}/tables` and `/api/v1/tables/{id}`.
struct TableController: Sendable {
    let authenticator: RequestAuthenticator
    let databases: DataDatabases

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/datasets/{id:int}/tables", list)
        router.add("POST", "/api/v1/datasets/{id:int}/tables", create)
        router.add("GET", "/api/v1/tables/{id:int}", show)
        router.add("PATCH", "/api/v1/tables/{id:int}", update)
    }

    /// A merge patch: rename, re-describe, rename columns and append nullable columns.
    struct TablePatch: Decodable {
        static let fields: Set<String> = ["name", "description", "add_columns", "rename_columns"]
        let name: String?
        let description: String??
        let addColumns: [TableDefinition.ColumnInput]?
        /// Old column name → new name.
        let renameColumns: [String: String]?

        enum CodingKeys: String, CodingKey { case name, description, addColumns, renameColumns }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            description = container.contains(.description)
                ? .some(try container.decodeIfPresent(String.self, forKey: .description)) : .none
            addColumns = try container.decodeIfPresent([TableDefinition.ColumnInput].self, forKey: .addColumns)
            renameColumns = try container.decodeIfPresent([String: String].self, forKey: .renameColumns)
        }
    }

    func update(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection in
            // After authentication: a caller without credentials hears 401, not about the header.
            let expected = try Preconditions.expectedVersion(request)
            let patch = try request.decodeJSON(TablePatch.self, allowedFields: TablePatch.fields)
            let change = TableOperations.Change(name: patch.name, description: patch.description,
                                                addColumns: patch.addColumns ?? [], renameColumns: patch.renameColumns ?? [:])
            return try Self.respond(try operations(caller, connection).change(id, change, expectedVersion: expected))
        }
    }

    private static func respond(_ table: DataTable, status: Int = 200) throws -> Response {
        try .resource(table, version: table.version, location: "/api/v1/tables/\(table.id)", status: status)
    }

    private func operations(_ caller: Identity, _ connection: MariaDBConnection) -> TableOperations {
        TableOperations(caller: caller, connection: connection, databases: databases)
    }

    func list(_ request: Request) throws -> Response {
        let datasetID = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let fetched = try operations(caller, connection).list(inDataset: datasetID, page)
            return try .json(ListPage(fetched: fetched, page: page, id: \.id))
        }
    }

    func show(_ request: Request) throws -> Response {
        let id = try request.parameters.int("id")
        let exact: Bool
        switch request.query("count") {
        case nil, "estimated": exact = false
        case "exact": exact = true
        default:
            throw HTTPError.badRequest("count must be exact or estimated.", errors: [.init(field: "count", message: "must be exact or estimated")])
        }
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            try Self.respond(try operations(caller, connection).find(id, exactCount: exact).table)
        }
    }

    func create(_ request: Request) throws -> Response {
        let datasetID = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.dataset(datasetID)) { caller, connection in
            let definition = try TableDefinition(try request.decodeJSON(TableDefinition.Input.self, allowedFields: TableDefinition.Input.fields))
            return try Self.respond(try operations(caller, connection).create(definition, inDataset: datasetID), status: 201)
        }
    }
}
