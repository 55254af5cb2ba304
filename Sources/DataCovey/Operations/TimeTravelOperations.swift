import Foundation
import MariaDB

/// Time travel for the API and the pages: `as_of` checked against the tenant's window, a row's
/// versions with who made them, and a row or a whole table restored to an instant as a new,
/// audited change. The caller's role is checked by the edge (history: viewers; a row's
/// restore: users; a table's: admins).
struct TimeTravelOperations {
    let caller: Identity
    let connection: MariaDBConnection
    let databases: DataDatabases

    /// The tenant's window (retention and start of versioning).
    func window() throws -> TimeTravelWindow {
        try TimeTravelWindow.load(on: connection, defaultDays: databases.timeTravelDays)
    }

    /// `as_of` as given, parsed and inside the window; nil when not given (or empty: a form's).
    func asOf(_ text: String?) throws -> AsOf? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let asOf = try AsOf.parse(text)
        try window().check(asOf)
        return asOf
    }

    /// A required `as_of` (a restore's).
    func requiredAsOf(_ text: String?) throws -> AsOf {
        guard let asOf = try asOf(text) else {
            throw DomainError.invalid("as_of is required: the instant to restore to.", errors: [.init(field: "as_of", message: "is required")])
        }
        return asOf
    }

    /// The table's rows read at `asOf` (as they are when nil).
    func store(ofTable id: Int64, asOf: AsOf?) throws -> RowStore {
        var store = try RowOperations(caller: caller, connection: connection, databases: databases).store(ofTable: id)
        store.asOf = asOf
        return store
    }

    /// Who made a version, as far as the audit entries and import jobs tell.
    struct Change: Sendable {
        /// `insert`, `update`, `delete`, `restore` (the audit entry's) or `import`.
        let operation: String
        let actorUserID: Int64?
        let importID: Int64?
        let changedAt: MariaDBDateTime
        /// An import's start (its versions begin between this and `changedAt`, its finish).
        var startedAt: MariaDBDateTime? = nil
    }

    struct History {
        let store: RowStore
        let key: RowKey
        let versions: [(version: RowVersions.Version, change: Change?)]
    }

    /// The versions of the row `keyText` names, newest first, each with the change that began it.
    func history(ofTable id: Int64, key keyText: String) throws -> History {
        let (table, _) = try TableOperations(caller: caller, connection: connection, databases: databases).find(id)
        let store = try store(ofTable: id, asOf: nil)
        let key = try RowKey(keyText, table: table)
        let versions = try RowVersions(store: store).versions(of: key)
        let changes = try self.changes(ofTable: id, around: versions.map(\.validFrom))
        return History(store: store, key: key, versions: versions.map { ($0, Self.match($0.validFrom, in: changes)) })
    }

    /// A change is matched to a version by time (row history's "who"): the audit entry is
    /// written in the change's transaction after its rows, so its instant is the version's start
    /// (restores and replace imports pin one clock: equal) or a little after it (other changes:
    /// their statements' own starts). The first entry of the table at or after the version's
    /// start and within one second of it is taken; an import is taken when its run (started…
    /// finished) covers the start. Two changes of one table within that second may be confused.
    static func match(_ start: MariaDBDateTime, in changes: [Change]) -> Change? {
        guard let from = start.date else { return nil }
        var best: (Change, TimeInterval)?
        for change in changes {
            guard let at = change.changedAt.date else { continue }
            let delay = at.timeIntervalSince(from)
            if change.operation == "import" {
                guard let started = change.startedAt?.date, started <= from, delay >= -0.000_000_5 else { continue }
                if best == nil || delay < best!.1 { best = (change, delay) }
            } else if delay >= -0.000_000_5 && delay <= 1, best == nil || delay < best!.1 {
                best = (change, delay)
            }
        }
        return best?.0
    }

    /// The audit entries and completed imports of the table around these instants.
    private func changes(ofTable id: Int64, around starts: [MariaDBDateTime]) throws -> [Change] {
        guard let first = starts.compactMap(\.date).min(), let last = starts.compactMap(\.date).max() else { return [] }
        var changes: [Change] = []
        for row in try connection.query("""
            SELECT operation, actor_user_id, changed_at FROM row_change_history
             WHERE entity_id = \(id) AND changed_at >= \(first.addingTimeInterval(-1)) AND changed_at <= \(last.addingTimeInterval(2))
            """) {
            let (operation, actor, at) = try row.decode((String, Int64?, MariaDBDateTime).self)
            changes.append(Change(operation: operation, actorUserID: actor, importID: nil, changedAt: at))
        }
        for row in try connection.query("""
            SELECT id, created_by, started_at, finished_at FROM import_jobs
             WHERE table_id = \(id) AND status = 'completed' AND finished_at >= \(first.addingTimeInterval(-1))
               AND started_at <= \(last.addingTimeInterval(1))
               AND COALESCE(JSON_VALUE(options, '$.dry_run'), 'false') <> 'true'
            """) {
            let (job, creator, started, finished) = try row.decode((Int64, Int64?, MariaDBDateTime, MariaDBDateTime).self)
            changes.append(Change(operation: "import", actorUserID: creator, importID: job, changedAt: finished, startedAt: started))
        }
        return changes
    }

    /// `POST …/rows/{key}/restore`: the row as it was at `as_of` (absent then: deleted now).
    func restoreRow(ofTable id: Int64, key keyText: String, asOf text: String?) throws -> (AsOf, RowVersions.Restored) {
        let asOf = try requiredAsOf(text)
        let (table, _) = try TableOperations(caller: caller, connection: connection, databases: databases).find(id)
        let key = try RowKey(keyText, table: table)
        let store = try store(ofTable: id, asOf: nil)
        let restored = try restoring { try RowVersions(store: store).restore(to: asOf, key: key, details: [("as_of", asOf.text), ("key", key.text)]) }
        return (asOf, restored)
    }

    /// `POST …/restore`: the whole table as it was at `as_of`, one change.
    func restoreTable(_ id: Int64, asOf text: String?) throws -> (AsOf, RowVersions.Restored) {
        let asOf = try requiredAsOf(text)
        let store = try store(ofTable: id, asOf: nil)
        let restored = try restoring { try RowVersions(store: store).restore(to: asOf, details: [("as_of", asOf.text)]) }
        return (asOf, restored)
    }

    private func restoring(_ body: () throws -> RowVersions.Restored) throws -> RowVersions.Restored {
        do {
            return try body()
        } catch let error as MariaDBError where error.isDuplicateKey {
            // Another writer put a row with the key back in between; nothing was restored.
            throw DomainError.conflict("A row with the same primary key was written meanwhile; nothing was restored. Try again.")
        }
    }
}
