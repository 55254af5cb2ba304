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

    func update(_ request: Request, _ context: RequestContext) throws -> Response {
        let id = try request.parameters.int("id")
        let expected = try Preconditions.expectedVersion(request)
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.table(id, databases: databases)) { caller, connection in
            let patch = try request.decodeJSON(TablePatch.self, allowedFields: TablePatch.fields)
            if let name = patch.name { try NameRules.validate(name) }
            if let description = patch.description { try NamedResourceInput.validate(description: description) }
            let store = TableStore(connection: connection, tenantID: caller.tenantID, databases: databases)
            guard let dataset = try store.dataset(ofTable: id), let table = try store.find(id, in: dataset) else { throw HTTPError.notFound() }
            let added = try TableDefinition.columns(patch.addColumns ?? [], field: "add_columns",
                                                    existing: Set(table.columns.map { $0.name.lowercased() }))
            // Existing rows get NULL (or the default) in a new column, so it may not be required.
            if let index = added.firstIndex(where: { !$0.isNullable || $0.isPrimaryKey }) {
                throw TableDefinition.problem("add_columns.\(index).nullable", "must be true: existing rows have no value")
            }
            let renamed = try TableDefinition.renames(patch.renameColumns ?? [:], of: table.columns.map(\.name),
                                                      adding: added.map(\.name))
            let updated = try store.update(table, in: dataset, name: patch.name, description: patch.description,
                                           addColumns: added, renameColumns: renamed, expectedVersion: expected)
            return try Self.respond(updated)
        }
    }

    private static func respond(_ table: DataTable, status: Int = 200) throws -> Response {
        try .resource(table, version: table.version, location: "/api/v1/tables/\(table.id)", status: status)
    }

    private func dataset(_ id: Int64, _ caller: Identity, _ connection: MariaDBConnection) throws -> Dataset {
        guard let dataset = try DatasetStore(connection: connection, tenantID: caller.tenantID).find(id) else { throw HTTPError.notFound() }
        return dataset
    }

    func list(_ request: Request, _ context: RequestContext) throws -> Response {
        let datasetID = try request.parameters.int("id")
        let page = try Page(request)
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let dataset = try dataset(datasetID, caller, connection)
            let fetched = try TableStore(connection: connection, tenantID: caller.tenantID, databases: databases).list(dataset: dataset, page)
            return try .json(ListPage(fetched: fetched, page: page, id: \.id))
        }
    }

    func show(_ request: Request, _ context: RequestContext) throws -> Response {
        let id = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .viewer) { caller, connection in
            let store = TableStore(connection: connection, tenantID: caller.tenantID, databases: databases)
            guard let dataset = try store.dataset(ofTable: id), var table = try store.find(id, in: dataset) else { throw HTTPError.notFound() }
            switch request.query("count") {
            case nil, "estimated":
                break
            case "exact":
                // Counting reads the whole table, so only on request; the estimate is always there.
                if let physical = table.physicalName, let database = dataset.dataDatabase {
                    table.rowCount = try databases.withConnection { data in
                        try data.query(SQLQuery(unsafeSQL: "SELECT COUNT(*) FROM `\(database)`.`\(physical)`"))[0].decode(Int64.self, at: 0)
                    }
                }
            default:
                throw HTTPError.badRequest("count must be exact or estimated.", errors: [.init(field: "count", message: "must be exact or estimated")])
            }
            return try Self.respond(table)
        }
    }

    func create(_ request: Request, _ context: RequestContext) throws -> Response {
        let datasetID = try request.parameters.int("id")
        return try authenticator.withCaller(request, minimum: .user, target: VisibleTarget.dataset(datasetID)) { caller, connection in
            let dataset = try dataset(datasetID, caller, connection)
            let definition = try TableDefinition(try request.decodeJSON(TableDefinition.Input.self, allowedFields: TableDefinition.Input.fields))
            let table = try TableStore(connection: connection, tenantID: caller.tenantID, databases: databases)
                .create(definition, in: dataset, createdBy: caller.userID)
            return try Self.respond(table, status: 201)
        }
    }
}
