import MariaDB

/// The use cases of saved queries, for the API, the query page and query exports: listing,
/// saving and editing (the SQL and its parameter declarations checked before anything is
/// stored). Running one is `QueryOperations.runSaved`.
struct SavedQueryOperations {
    let caller: Identity
    let connection: MariaDBConnection

    private var store: SavedQueryStore { SavedQueryStore(connection: connection, tenantID: caller.tenantID) }

    /// A project's saved queries; not found when the project is not the caller's.
    func list(inProject project: Int64, _ page: Page) throws -> [SavedQuery] {
        guard let queries = try store.list(project: project, page) else { throw DomainError.notFound() }
        return queries
    }

    func query(_ id: Int64) throws -> SavedQuery {
        guard let query = try store.find(id) else { throw DomainError.notFound() }
        return query
    }

    /// The saved query `id` when it belongs to `project` (the pages link queries by project).
    func query(_ id: Int64, inProject project: Int64) throws -> SavedQuery? {
        guard let query = try store.find(id), query.projectID == project else { return nil }
        return query
    }

    func create(inProject project: Int64, name: String, description: String?, sql: String,
                parameters: [QueryParameter]) throws -> SavedQuery {
        _ = try ProjectStore(connection: connection, tenantID: caller.tenantID).existing(project)
        try NameRules.validate(name)
        try NameRules.validate(description: description)
        try SavedQueryRules.validate(sql: sql, parameters: parameters)
        return try store.create(project: project, name: name, description: description, sql: sql,
                                parameters: parameters, createdBy: caller.userID)
    }

    /// A merge patch: nil leaves a field as it is; `.some(nil)` clears the description. The SQL
    /// and the declarations are checked together, whichever of the two changes.
    func update(_ id: Int64, name: String?, description: String??, sql: String?, parameters: [QueryParameter]?,
                expectedVersion: Int64?) throws -> SavedQuery {
        if let name { try NameRules.validate(name) }
        if let description { try NameRules.validate(description: description) }
        if sql != nil || parameters != nil {
            let current = try query(id)
            try SavedQueryRules.validate(sql: sql ?? current.sql, parameters: parameters ?? current.parameters)
        }
        return try store.update(id, name: name, description: description, sql: sql, parameters: parameters,
                                expectedVersion: expectedVersion)
    }
}

/// What a saved query must satisfy: SQL the guard accepts, and parameter declarations with
/// unique names, known types, defaults that fit, each used by the SQL.
enum SavedQueryRules {
    static func validate(sql: String, parameters: [QueryParameter]) throws {
        try QueryRules.validate(sql: sql)
        let accepted = try QueryPlan.check(sql)
        var seen: Set<String> = []
        let used = Set(accepted.namedParameters)
        for parameter in parameters {
            func refuse(_ message: String) -> DomainError {
                .invalid("Parameter \(parameter.name) \(message).", errors: [.init(field: "parameters", message: message)])
            }
            guard seen.insert(parameter.name).inserted else { throw refuse("is declared twice") }
            guard used.contains(parameter.name) else { throw refuse("is not used in the SQL as :\(parameter.name)") }
            guard let type = ColumnType(parameter.type) else { throw refuse("has an unknown type \(parameter.type)") }
            if let value = parameter.default, case .failure(let problem) = RowValueCodec.bind(value, for: type) {
                throw refuse("has a default that \(problem.message)")
            }
        }
        // A :name the declarations leave out would fail every run: refuse it now.
        let declared = Set(parameters.map(\.name))
        if let missing = accepted.namedParameters.first(where: { !declared.contains($0) }) {
            throw DomainError.invalid("The SQL uses :\(missing), which is not declared; add it to parameters with a type.",
                                      errors: [.init(field: "parameters", message: ":\(missing) is used but not declared")])
        }
    }
}
