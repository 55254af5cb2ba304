import MariaDB

/// The use cases of projects and their datasets, for the API and the pages alike. Creating
/// either also brings the project's query account up to date (its grants follow the datasets),
/// which both edges used to do on their own.
struct ProjectOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let databases: DataDatabases
    let accounts: QueryAccounts

    private var projects: ProjectStore { ProjectStore(connection: connection, tenantID: caller.tenantID) }
    private var datasets: DatasetStore { DatasetStore(connection: connection, tenantID: caller.tenantID) }

    func list(_ page: Page) throws -> [Project] { try projects.list(page) }

    func project(_ id: Int64) throws -> Project { try projects.existing(id) }

    func create(name: String, description: String?) throws -> Project {
        try NameRules.validate(name)
        try NameRules.validate(description: description)
        let project = try projects.create(name: name, description: description, createdBy: caller.userID)
        // The row is committed; should this fail, the first query repairs the account.
        try? accounts.sync(project: project.id, on: connection)
        return project
    }

    /// `.some(nil)` clears the description.
    func update(_ id: Int64, name: String?, description: String??, expectedVersion: Int64?) throws -> Project {
        if let name { try NameRules.validate(name) }
        if let description { try NameRules.validate(description: description) }
        return try projects.update(id, name: name, description: description, expectedVersion: expectedVersion)
    }

    /// A project's datasets; not found when the project is not the caller's (an empty list
    /// would not tell the two apart).
    func datasets(inProject id: Int64, _ page: Page) throws -> [Dataset] {
        guard let fetched = try datasets.list(project: id, page) else { throw DomainError.notFound() }
        return fetched
    }

    func dataset(_ id: Int64) throws -> Dataset {
        guard let dataset = try datasets.find(id) else { throw DomainError.notFound() }
        return dataset
    }

    /// A dataset and its own data database; the project's query account is granted it.
    func createDataset(inProject id: Int64, name: String, description: String?) throws -> Dataset {
        _ = try project(id)
        try NameRules.validate(name)
        try NameRules.validate(description: description)
        let dataset = try datasets.create(project: id, name: name, description: description, createdBy: caller.userID,
                                          databases: databases)
        // After the commit (account statements commit implicitly); a failure here is repaired
        // by the first query, whose login the missing grant does not stop.
        try? accounts.grant(dataset: dataset.id, project: id, on: connection)
        return dataset
    }

    func updateDataset(_ id: Int64, name: String?, description: String??, expectedVersion: Int64?) throws -> Dataset {
        if let name { try NameRules.validate(name) }
        if let description { try NameRules.validate(description: description) }
        return try datasets.update(id, name: name, description: description, expectedVersion: expectedVersion)
    }
}
