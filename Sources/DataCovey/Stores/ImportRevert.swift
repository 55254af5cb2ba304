import Foundation
import MariaDB

/// `POST /api/v1/imports/{id}/revert`: undoes exactly what one completed import did. An append's
/// rows are the runs of row ids it recorded (ImportRowRuns; its ids need not be consecutive),
/// or for a job from before them the block of ids it took (`first_row_id`, `rows_loaded`). A replace changed the
/// table in place at one instant (its transaction's, just before its `finished_at`,
/// ImportRunner): the table comes back as it was just before, from its history, as a new
/// change (sql/0023). A replace from before time
/// travel put the table it displaced in the trash database (`previous_table`), which comes
/// back. Each revert of rows is in the table's row-change audit; the job records who reverted
/// it and when, as a new version.
struct ImportRevert {
    let connection: MariaDBConnection
    let tenantID: Int64
    let databases: DataDatabases

    private struct Job {
        let status: String
        let tableID: Int64
        let options: ImportOptions
        let rowsLoaded: Int64
        let firstRowID: Int64?
        let previousTable: String?
        let columnSignature: String?
        let reverted: Bool
        let finishedAt: MariaDBDateTime?
    }

    func revert(_ id: Int64, by user: Int64, expectedVersion: Int64?) throws {
        try connection.withTransaction { connection in
            guard let row = try connection.query("""
                SELECT status, table_id, options, rows_loaded, first_row_id, previous_table, column_signature,
                       reverted_at IS NOT NULL, finished_at, version
                  FROM import_jobs WHERE id = \(id) FOR UPDATE
                """).first else { throw DomainError.notFound() }
            let (status, tableID, optionsText, rowsLoaded, firstRowID, previousTable, signature, reverted, finishedAt, version) =
                try row.decode((String, Int64, String, Int64, Int64?, String?, String?, Bool, MariaDBDateTime?, Int64).self)
            try VersionCheck.require(expectedVersion, current: version)
            guard let options = try? StoredJSON.decode(ImportOptions.self, from: optionsText) else {
                throw DomainError.bug("import job \(id) has unreadable options")
            }
            let job = Job(status: status, tableID: tableID, options: options, rowsLoaded: rowsLoaded, firstRowID: firstRowID,
                          previousTable: previousTable, columnSignature: signature, reverted: reverted, finishedAt: finishedAt)
            let physical = try check(job, id: id)
            switch job.options.mode {
            case .append:
                // Its rows as the worker recorded them (ImportRowRuns); a job from before that
                // ran on one server with innodb_autoinc_lock_mode 1: one block from first_row_id.
                var runs = try ImportRowRuns.load(job: id, on: connection)
                if runs.isEmpty, let first = job.firstRowID, job.rowsLoaded > 0 {
                    runs = [ImportRowRuns.Run(first: first, last: first + job.rowsLoaded - 1, step: 1)]
                }
                if !runs.isEmpty {
                    try databases.withConnection { data in
                        try data.withTransaction { data in
                            let deleted = try ImportRowRuns.delete(runs, from: physical.qualified, on: data)
                            try audit(job, by: user).record(.delete, rows: Int64(deleted), details: [("import", String(id))], on: data)
                        }
                    }
                }
            case .replace:
                if let previous = job.previousTable {
                    try requireUnchangedSince(job, physical: physical)
                    try swapBack(physical: physical, previous: previous)
                } else {
                    try revertInPlace(job, id: id, by: user, physical: physical)
                }
            }
            try connection.execute("""
                UPDATE import_jobs SET reverted_at = UTC_TIMESTAMP(6), reverted_by = \(user), previous_table = NULL WHERE id = \(id)
                """)
        }
    }

    private func audit(_ job: Job, by user: Int64) -> RowChangeAudit {
        RowChangeAudit(tenantID: tenantID, tableID: job.tableID, actor: user)
    }

    /// A replace made in place: refused when the table changed after it (any version began or
    /// ended since its instant, by any path), else the table as it was just before the
    /// replace's instant comes back, as a `restore` change with ("as_of", "import").
    private func revertInPlace(_ job: Job, id: Int64, by user: Int64, physical: PhysicalTable) throws {
        guard let finished = job.finishedAt else { throw DomainError.bug("completed import \(id) has no finished_at") }
        // The rows it replaced are the versions that ended at its instant: kept while that is
        // inside the tenant's time-travel window (after time travel began, within the retention).
        let window = try TimeTravelWindow.load(on: connection, defaultDays: databases.timeTravelDays)
        if (finished.date ?? .distantPast) <= window.earliest() {
            throw DomainError.conflict("The rows this import replaced are no longer kept; it cannot be reverted.")
        }
        guard let located = try TableStore(connection: connection, tenantID: tenantID, databases: databases).dataset(ofTable: job.tableID),
              let table = try TableStore(connection: connection, tenantID: tenantID, databases: databases).find(job.tableID, in: located) else {
            throw DomainError.notFound()
        }
        let store = RowStore(databases: databases, database: physical.database, table: physical.table,
                             columns: RowOperations.columns(of: table), audit: audit(job, by: user))
        let versions = RowVersions(store: store)
        // The replace's own instant: its transaction's pinned clock, the table's last version
        // boundary by its finish (ImportRunner). An empty table replaced by an empty file left none.
        guard let instant = try versions.lastChange(atOrBefore: AsOf(instant: finished)) else { return }
        guard try !versions.changed(since: instant) else {
            throw DomainError.conflict(
                "The table changed after this import (rows were written since by another import or the rows API). "
                + "Reverting would discard those changes, so it is refused.")
        }
        let before = instant.justBefore
        _ = try versions.restore(to: before, details: [("as_of", before.text), ("import", String(id))])
    }

    private struct PhysicalTable {
        let database: String
        let table: String
        var qualified: String { "`\(database)`.`\(table)`" }
    }

    /// Why a revert cannot happen, as a 409 with the reason; else the table to change.
    private func check(_ job: Job, id: Int64) throws -> PhysicalTable {
        guard job.status == "completed" else {
            throw DomainError.conflict("Only a completed import can be reverted; this one is \(job.status).")
        }
        guard !job.reverted else { throw DomainError.conflict("The import has already been reverted.") }
        guard !job.options.dryRun else { throw DomainError.conflict("A dry run loaded nothing; there is nothing to revert.") }
        guard let recorded = job.columnSignature else {
            throw DomainError.conflict("The import completed before reverts were recorded; it cannot be reverted.")
        }
        guard let row = try connection.query("""
            SELECT d.data_database, t.physical_name, \(ImportJob.columnSignature(table: job.tableID, columns: "table_columns"))
              FROM dataset_tables t JOIN datasets d ON d.id = t.dataset_id WHERE t.id = \(job.tableID)
            """).first else { throw DomainError.notFound() }
        let (database, table, current) = try row.decode((String?, String?, String?).self)
        guard let database, let table else { throw DomainError.conflict("The table has no data to revert.") }
        guard current == recorded else {
            throw DomainError.conflict("The table's columns changed since the import (then: \(recorded); now: \(current ?? "none")); it cannot be reverted.")
        }
        let active = try connection.query("""
            SELECT id FROM import_jobs WHERE table_id = \(job.tableID) AND status IN ('pending', 'running') ORDER BY id LIMIT 1
            """).first.map { try $0.decode(Int64.self, at: 0) }
        if let active { throw DomainError.conflict("Import \(active) of this table has not ended; wait for it or cancel it first.") }
        // A later replace took away what an append added; a later import of any kind came on
        // top of what a replace brought. Either must be reverted first.
        var later: SQLQuery = """
            SELECT id FROM import_jobs WHERE table_id = \(job.tableID) AND status = 'completed' AND reverted_at IS NULL
               AND id <> \(id) AND finished_at > \(job.finishedAt ?? MariaDBDateTime(Date(timeIntervalSince1970: 0)))
               AND COALESCE(JSON_VALUE(options, '$.dry_run'), 'false') <> 'true'
            """
        if job.options.mode == .append { later.append(" AND mode = 'replace'") }
        later.append(" ORDER BY finished_at DESC LIMIT 1")
        if let blocking = try connection.query(later).first.map({ try $0.decode(Int64.self, at: 0) }) {
            throw DomainError.conflict("Import \(blocking) changed the table after this one; revert it first.")
        }
        return PhysicalTable(database: database, table: table)
    }

    /// A replace of before time travel left the table holding exactly its rows, ids 1…rows_loaded (its staging table
    /// was new). Rows written since by any path (the rows API too) would be dropped with the
    /// import's, so the revert is refused while the table holds anything else.
    private func requireUnchangedSince(_ job: Job, physical: PhysicalTable) throws {
        let (count, lowest, highest) = try databases.withConnection { data in
            try data.query("""
                SELECT COUNT(*), COALESCE(MIN(`_dc_row_id`), 0), COALESCE(MAX(`_dc_row_id`), 0) FROM \(unsafeRaw: physical.qualified)
                """)[0].decode((Int64, Int64, Int64).self)
        }
        let asLoaded = count == job.rowsLoaded && (count == 0 || (lowest == 1 && highest == job.rowsLoaded))
        guard asLoaded else {
            throw DomainError.conflict(
                "The table changed after this import (it loaded \(job.rowsLoaded) rows; the table now holds \(count), written since by "
                + "another import or the rows API). Reverting would discard those rows, so it is refused.")
        }
        // An update through the rows API or the table page keeps the count and the row ids; the
        // audit log of row changes sees it.
        let changedSince = try connection.query("""
            SELECT 1 FROM row_change_history WHERE entity_id = \(job.tableID) AND operation IN ('update', 'delete', 'restore')
               AND changed_at >= \(job.finishedAt ?? MariaDBDateTime(Date(timeIntervalSince1970: 0))) LIMIT 1
            """)
        guard changedSince.isEmpty else {
            throw DomainError.conflict("Rows of the table were changed after this import (see the audit log); reverting would discard "
                                       + "those changes, so it is refused.")
        }
    }

    /// The replaced table comes back; what the import loaded is dropped.
    private func swapBack(physical: PhysicalTable, previous: String) throws {
        guard DataDatabases.isValidTableName(previous) else { throw DomainError.bug("bad previous table \(previous)") }
        let kept = PhysicalTable(database: TrashStore.trashDatabase, table: previous)
        let discarded = PhysicalTable(database: TrashStore.trashDatabase, table: DataDatabases.newTableName())
        try databases.withConnection { data in
            guard try !data.query("""
                SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(kept.database) AND TABLE_NAME = \(kept.table)
                """).isEmpty else {
                throw DomainError.conflict("The rows this import replaced are no longer kept; it cannot be reverted.")
            }
            try data.executeText("RENAME TABLE \(physical.qualified) TO \(discarded.qualified), \(kept.qualified) TO \(physical.qualified)")
            try data.executeText("DROP TABLE \(discarded.qualified)")
        }
    }
}
