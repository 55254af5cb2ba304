import MariaDB

/// The run history of queries (every run is recorded, refused ones and dry runs too), for the
/// API and the project and query pages.
struct QueryRunHistory {
    let caller: Identity
    let connection: MariaDBConnection

    private var runStore: QueryRunStore { QueryRunStore(connection: connection, tenantID: caller.tenantID) }

    /// A project's runs, newest first; not found when the project is not the caller's.
    func runs(inProject project: Int64, _ filter: QueryRunStore.Filter, _ page: Page) throws -> [QueryRun] {
        _ = try self.project(project)
        return try runStore.list(project: project, filter: filter, page)
    }

    /// The runs of one saved query.
    func runs(ofQuery id: Int64, _ filter: QueryRunStore.Filter, _ page: Page) throws -> [QueryRun] {
        let query = try SavedQueryOperations(caller: caller, connection: connection).query(id)
        var filter = filter
        filter.query = id
        return try runStore.list(project: query.projectID, filter: filter, page)
    }

    /// The newest runs of a project with who ran each (their e-mail; nil once they are gone).
    func recent(inProject project: Int64, limit: Int) throws -> [(run: QueryRun, by: String?)] {
        try described(Array(try runs(inProject: project, .init(), Page(limit: limit)).prefix(limit)))
    }

    /// Runs with who ran each (their e-mail; nil once they are gone), each user looked up once.
    func described(_ runs: [QueryRun]) throws -> [(run: QueryRun, by: String?)] {
        let users = UserStore(connection: connection, tenantID: caller.tenantID)
        var emails: [Int64: String?] = [:]
        return try runs.map { run in
            guard let user = run.userID else { return (run, nil) }
            if emails[user] == nil { emails[user] = .some(try users.find(user)?.email) }
            return (run, emails[user] ?? nil)
        }
    }

    /// The project the runs are of; not found when it is not the caller's.
    func project(_ id: Int64) throws -> Project {
        try ProjectStore(connection: connection, tenantID: caller.tenantID).existing(id)
    }

    func run(_ id: Int64) throws -> QueryRun {
        guard let run = try runStore.find(id) else { throw DomainError.notFound() }
        return run
    }

    /// The run history's `status`, `user` and `q` (text the SQL contains); `given` gives a
    /// parameter's text, nil when absent.
    static func filter(_ given: (String) -> String?) throws -> QueryRunStore.Filter {
        var filter = QueryRunStore.Filter()
        if let status = given("status") {
            guard ["pending", "running", "completed", "failed"].contains(status) else {
                throw DomainError.invalid("status must be pending, running, completed or failed.",
                                          errors: [.init(field: "status", message: "is not a run status")])
            }
            filter.status = status
        }
        if let user = given("user") {
            guard let id = Int64(user), id > 0 else {
                throw DomainError.invalid("user must be a user id.", errors: [.init(field: "user", message: "is not a user id")])
            }
            filter.user = id
        }
        if let text = given("q"), !text.isEmpty {
            guard text.count <= 200 else {
                throw DomainError.invalid("q must be at most 200 characters.", errors: [.init(field: "q", message: "is too long")])
            }
            filter.text = text
        }
        return filter
    }
}
