import Foundation
import MariaDB

/// One delete in the trash, as `GET /api/v1/trash` lists it.
struct TrashEntry: JSONResource, Sendable {
    let trashID: Int64
    let kind: TrashKind
    let id: Int64
    let name: String
    let parentID: Int64?
    let deletedBy: Int64?
    let deletedAt: Date
    let expiresAt: Date

    /// Where to POST to bring it back.
    var restorePath: String { "/api/v1/\(kind.collection)/\(id)/restore" }

    /// The JSON fields, in name order (see JSONResource).
    static let jsonFields: [JSONField<TrashEntry>] = [
        .field("deleted_at", \.deletedAt), .field("deleted_by", \.deletedBy), .field("expires_at", \.expiresAt),
        .field("id", \.id), .field("kind", \.kind.collection), .field("name", \.name), .field("parent_id", \.parentID),
        .field("restore", \.restorePath),
    ]
}

/// Deletes that can be undone (0014): a delete marks the object and everything under it with
/// the id of one `trash` entry, and moves the physical tables involved to `dcd_0`; a restore
/// clears the mark of exactly the rows that entry marked and moves the tables back.
struct TrashStore {
    let connection: MariaDBConnection
    let tenantID: Int64
    let databases: DataDatabases

    /// The database trashed tables (and tables a replace import displaced) wait in.
    static let trashDatabase = "dcd_0"

    /// Moves a live object to the trash, with what it contains; 404 when it is not the caller's
    /// (or already trashed), 412 on a stale `If-Match`, 409 while a job on it has not ended.
    func moveToTrash(_ kind: TrashKind, id: Int64, expectedVersion: Int64?, deletedBy: Int64, retentionDays: Int) throws {
        var moved: [DataDatabases.TableMove] = []
        do {
            try mark(kind, id: id, expectedVersion: expectedVersion, deletedBy: deletedBy, retentionDays: retentionDays,
                     moved: &moved)
        } catch {
            // The tables moved but the marks did not commit: put the tables back where the live rows expect them.
            if !moved.isEmpty { try? databases.move(moved.map(\.reversed)) }
            throw error
        }
    }

    private func mark(_ kind: TrashKind, id: Int64, expectedVersion: Int64?, deletedBy: Int64, retentionDays: Int,
                      moved: inout [DataDatabases.TableMove]) throws {
        try connection.withTransaction { connection in
            let parent = kind.parentColumn ?? "NULL"
            guard let row = try connection.query("""
                SELECT name, \(unsafeRaw: parent), version FROM \(unsafeRaw: kind.view) WHERE id = \(id) FOR UPDATE
                """).first else { throw DomainError.notFound() }
            let (name, parentID, version) = try row.decode((String, Int64?, Int64).self)
            try VersionCheck.require(expectedVersion, current: version)
            let trashID = Int64(try connection.execute("""
                INSERT INTO trash (tenant_id, kind, entity_id, name, parent_id, deleted_by, deleted_at, expires_at)
                VALUES (\(tenantID), \(kind.rawValue), \(id), \(name), \(parentID), \(deletedBy), UTC_TIMESTAMP(6),
                        UTC_TIMESTAMP(6) + INTERVAL \(retentionDays) DAY)
                """).lastInsertID)
            try connection.execute("UPDATE \(unsafeRaw: kind.viewWithTrash) SET trash_id = \(trashID) WHERE id = \(id)")
            for statement in Self.cascade(kind, trashID) { try connection.execute(statement) }
            var active: SQLQuery = "SELECT 0"
            for job in JobKinds.all {
                active.append("""
                     + (SELECT COUNT(*) FROM \(unsafeRaw: job.tableWithTrash) WHERE trash_id = \(trashID) AND status IN ('pending', 'running'))
                    """)
            }
            guard try connection.query(active)[0].decode(Int64.self, at: 0) == 0 else {
                throw DomainError.conflict("The \(kind.rawValue) has \(JobKinds.anyJob) that has not ended; cancel it or wait for it.")
            }
            let moves = try physicalTables(trashID)
            // Inside the transaction: should the move fail, the marks roll back with it.
            try databases.move(moves)
            moved = moves
        }
    }

    /// Everything under a newly trashed object, marked with the same entry: each statement
    /// follows the marks the previous ones made, so one list serves every kind.
    private static func cascade(_ kind: TrashKind, _ trashID: Int64) -> [SQLQuery] {
        let datasets: SQLQuery = """
            UPDATE datasets_with_trash SET trash_id = \(trashID) WHERE trash_id = 0
               AND project_id IN (SELECT id FROM projects_with_trash WHERE trash_id = \(trashID))
            """
        let tables: SQLQuery = """
            UPDATE dataset_tables_with_trash SET trash_id = \(trashID) WHERE trash_id = 0
               AND dataset_id IN (SELECT id FROM datasets_with_trash WHERE trash_id = \(trashID))
            """
        let queries: SQLQuery = """
            UPDATE queries_with_trash SET trash_id = \(trashID) WHERE trash_id = 0
               AND project_id IN (SELECT id FROM projects_with_trash WHERE trash_id = \(trashID))
            """
        // Runs are the project's log of what ran: they go with their project only, and stay
        // listed when a saved query is deleted (as they did before the trash).
        let runs: SQLQuery = """
            UPDATE query_runs_with_trash SET trash_id = \(trashID) WHERE trash_id = 0
               AND project_id IN (SELECT id FROM projects_with_trash WHERE trash_id = \(trashID))
            """
        let jobs = JobKinds.all.compactMap { jobsMarked($0, under: kind, trashID) }
        switch kind {
        case .project: return [datasets, tables, queries] + jobs + [runs]
        case .dataset: return [tables] + jobs
        case .table, .query: return jobs
        }
    }

    /// The statement that marks a job kind's jobs whose owner the entry marked, or nil when no
    /// owner of the kind lies inside a trashed `kind` (a query's delete takes no import).
    private static func jobsMarked(_ job: JobKind, under kind: TrashKind, _ trashID: Int64) -> SQLQuery? {
        let owners = job.owners.filter { owner in
            sequence(first: owner.kind, next: \.parentKind).contains(kind)
        }
        guard !owners.isEmpty else { return nil }
        var statement: SQLQuery = "UPDATE \(unsafeRaw: job.tableWithTrash) SET trash_id = \(trashID) WHERE trash_id = 0 AND ("
        for (index, owner) in owners.enumerated() {
            if index > 0 { statement.append(" OR ") }
            statement.append("\(unsafeRaw: owner.column) IN (SELECT id FROM \(unsafeRaw: owner.kind.viewWithTrash) WHERE trash_id = \(trashID))")
        }
        statement.append(")")
        return statement
    }

    /// Physical tables of the rows an entry marked, with their dataset's database.
    func physicalTables(_ trashID: Int64) throws -> [DataDatabases.TableMove] {
        try connection.query("""
            SELECT d.data_database, t.physical_name FROM dataset_tables_with_trash t
              JOIN datasets_with_trash d ON d.id = t.dataset_id
             WHERE t.trash_id = \(trashID) AND t.physical_name IS NOT NULL AND d.data_database IS NOT NULL
            """).map { row in
            let (database, table) = try row.decode((String, String).self)
            return DataDatabases.TableMove(table: table, from: database, to: Self.trashDatabase)
        }
    }

    /// Clears an entry's marks and moves its tables back, in the caller's transaction. The
    /// object itself is unmarked by `restoring`, which also writes its restored fields, so the
    /// restore is one version; it runs first, so a taken name stops the restore before any move.
    func clear(_ trashID: Int64, restoring: SQLQuery, on connection: MariaDBConnection) throws {
        let moves = try physicalTables(trashID).map(\.reversed)
        try connection.execute(restoring)
        for view in ["projects", "datasets", "dataset_tables", "queries"] + JobKinds.all.map(\.table) + ["query_runs"] {
            try connection.execute("UPDATE \(unsafeRaw: view)_with_trash SET trash_id = 0 WHERE trash_id = \(trashID)")
        }
        try connection.execute("DELETE FROM trash WHERE id = \(trashID)")
        try databases.move(moves)
    }

    /// The entry that trashed an object (its own delete, or its parent's that took it along).
    func entry(_ trashID: Int64) throws -> TrashEntry? {
        try connection.query("""
            SELECT \(unsafeRaw: Self.columns) FROM trash WHERE id = \(trashID)
            """).first.map(Self.entry)
    }

    /// A page of the tenant's trash, oldest delete first, optionally of one kind.
    func list(kind: TrashKind?, _ page: Page) throws -> [TrashEntry] {
        var query: SQLQuery = "SELECT \(unsafeRaw: Self.columns) FROM trash WHERE id > \(page.afterID ?? 0)"
        if let kind { query.append(" AND kind = \(kind.rawValue)") }
        query.append(" ORDER BY id LIMIT \(page.limit + 1)")
        return try connection.query(query).map(Self.entry)
    }

    private static let columns = "id, kind, entity_id, name, parent_id, deleted_by, deleted_at, expires_at"

    private static func entry(_ row: MariaDBRow) throws -> TrashEntry {
        let (trashID, kind, id, name, parentID, deletedBy, deletedAt, expiresAt) =
            try row.decode((Int64, String, Int64, String, Int64?, Int64?, Date, Date).self)
        guard let kind = TrashKind(rawValue: kind) else { throw DomainError.bug("unknown trash kind \(kind)") }
        return TrashEntry(trashID: trashID, kind: kind, id: id, name: name, parentID: parentID, deletedBy: deletedBy,
                          deletedAt: deletedAt, expiresAt: expiresAt)
    }
}
