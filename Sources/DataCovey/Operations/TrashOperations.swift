import MariaDB

/// Undoable deletes, for the API and the pages: moving an object (and what it holds) to the
/// trash, listing the trash, and restoring — out of the trash, to an earlier version, or both.
struct TrashOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let databases: DataDatabases

    /// An object as its own endpoint shows it, after a restore.
    enum Restored {
        case project(Project)
        case dataset(Dataset)
        case table(DataTable)
        case query(SavedQuery)
    }

    private var trash: TrashStore { TrashStore(connection: connection, tenantID: caller.tenantID, databases: databases) }

    /// Whether the caller's tenant has the object live (`includingTrash`: or in the trash);
    /// for 403 against 404.
    func isVisible(_ kind: TrashKind, _ id: Int64, includingTrash: Bool = false) throws -> Bool {
        let view = includingTrash ? kind.viewWithTrash : kind.view
        return !(try connection.query("SELECT 1 FROM \(unsafeRaw: view) WHERE id = \(id)").isEmpty)
    }

    /// The object's name and whether it is in the trash; nil when the tenant has no such object.
    func state(_ kind: TrashKind, _ id: Int64) throws -> (name: String, inTrash: Bool)? {
        try connection.query("SELECT name, trash_id <> 0 FROM \(unsafeRaw: kind.viewWithTrash) WHERE id = \(id)").first.map { row in
            let (name, inTrash) = try row.decode((String, Bool).self)
            return (name, inTrash)
        }
    }

    /// Deleting needs the role that may edit the object; it stays restorable for
    /// `retentionDays`.
    func delete(_ kind: TrashKind, _ id: Int64, expectedVersion: Int64?, retentionDays: Int) throws {
        try trash.moveToTrash(kind, id: id, expectedVersion: expectedVersion, deletedBy: caller.userID, retentionDays: retentionDays)
    }

    func list(kind: TrashKind?, _ page: Page) throws -> [TrashEntry] { try trash.list(kind: kind, page) }

    /// A trash entry with what a person needs to recognise it: where it was and who deleted it.
    struct Described {
        let entry: TrashEntry
        /// "project sales", "dataset raw"; nil for a project, which has no parent.
        let parent: (kind: TrashKind, id: Int64, name: String)?
        /// The deleting user's e-mail; nil once that user is gone.
        let deletedBy: String?
    }

    /// The entries with their parents' names (a parent may be in the trash itself) and the
    /// deleting users' e-mails, each looked up once.
    func describe(_ entries: [TrashEntry]) throws -> [Described] {
        var names: [String: String] = [:]
        var emails: [Int64: String?] = [:]
        let users = UserStore(connection: connection, tenantID: caller.tenantID)
        return try entries.map { entry in
            var parent: (kind: TrashKind, id: Int64, name: String)?
            if let parentID = entry.parentID, let kind = Self.parentKind(entry.kind) {
                let key = "\(kind.rawValue)/\(parentID)"
                if names[key] == nil {
                    names[key] = try connection.query("SELECT name FROM \(unsafeRaw: kind.viewWithTrash) WHERE id = \(parentID)")
                        .first.map { try $0.decode(String.self, at: 0) } ?? "#\(parentID)"
                }
                parent = (kind, parentID, names[key] ?? "")
            }
            var email: String?
            if let user = entry.deletedBy {
                if emails[user] == nil { emails[user] = .some(try users.find(user)?.email) }
                email = emails[user] ?? nil
            }
            return Described(entry: entry, parent: parent, deletedBy: email)
        }
    }

    /// What holds an object of `kind`: datasets and saved queries are a project's, tables a
    /// dataset's.
    static func parentKind(_ kind: TrashKind) -> TrashKind? {
        switch kind {
        case .project: nil
        case .dataset, .query: .project
        case .table: .dataset
        }
    }

    /// Restores and answers the object with its new version.
    func restore(_ kind: TrashKind, _ id: Int64, _ input: RestoreInput, expectedVersion: Int64?) throws -> Restored {
        if let version = input.version, version < 1 {
            throw DomainError.invalid("version must be a positive integer.", errors: [.init(field: "version", message: "must be ≥ 1")])
        }
        try RestoreStore(connection: connection, tenantID: caller.tenantID, databases: databases)
            .restore(kind, id: id, input, expectedVersion: expectedVersion)
        switch kind {
        case .project:
            return .project(try ProjectStore(connection: connection, tenantID: caller.tenantID).existing(id))
        case .dataset:
            return .dataset(try TableOperations(caller: caller, connection: connection, databases: databases).dataset(id))
        case .table:
            return .table(try TableOperations(caller: caller, connection: connection, databases: databases).find(id).table)
        case .query:
            return .query(try SavedQueryOperations(caller: caller, connection: connection).query(id))
        }
    }
}
