import Foundation
import MariaDB

/// `datacovey-admin trash purge`: removes for good what the trash holds past its retention (or
/// everything, with `all`), data included: trashed tables in `dcd_0`, the data databases of
/// trashed datasets, the job files, the metadata rows (their history keeps a final 'delete'
/// version) and a purged project's query account. Also drops the tables replace imports
/// displaced once they are older than the retention, and tables in `dcd_0` nothing refers to
/// (left by a crash between a rename and its commit).
public struct TrashPurge {
    /// What one purge removed.
    public struct Report: Sendable, CustomStringConvertible {
        public var entries = 0
        public var tables = 0
        public var databases = 0
        public var keptReplacedTables = 0
        public var orphanTables = 0

        public var description: String {
            "purged \(entries) trash entries: \(tables) tables, \(databases) data databases; "
                + "\(keptReplacedTables) tables kept for import reverts; \(orphanTables) unreferenced tables"
        }
    }

    let connection: MariaDBConnection
    let databases: DataDatabases
    let files: JobFiles
    let retentionDays: Int

    public init(connection: MariaDBConnection, databases: DataDatabases, dataDirectory: String, retentionDays: Int) {
        self.connection = connection
        self.databases = databases
        self.files = JobFiles(dataDirectory: dataDirectory)
        self.retentionDays = retentionDays
    }

    public func purge(all: Bool) throws -> Report {
        var report = Report()
        var due: SQLQuery = "SELECT id, kind, entity_id FROM datacovey.trash"
        if !all { due.append(" WHERE expires_at <= UTC_TIMESTAMP(6)") }
        due.append(" ORDER BY id")
        let entries = try connection.query(due).map { try $0.decode((Int64, String, Int64).self) }
        for (trashID, kind, entityID) in entries {
            // An entry inside an earlier one went with it.
            guard try !connection.query("SELECT 1 FROM datacovey.trash WHERE id = \(trashID)").isEmpty else { continue }
            try purge(trashID, report: &report)
            if kind == TrashKind.project.rawValue {
                // The project row is gone now, so its account may go (the procedure checks).
                try connection.execute("CALL datacovey_app.drop_query_account(\(entityID))")
            }
            report.entries += 1
        }
        try dropKeptReplacedTables(all: all, report: &report)
        try dropOrphans(report: &report)
        return report
    }

    /// One entry: first the entries of objects inside it (a table deleted on its own before its
    /// dataset was), then data (a failure leaves the rows, so the purge can run again), then the
    /// rows from the leaves up, in one transaction.
    private func purge(_ trashID: Int64, report: inout Report) throws {
        let nested = try connection.query("""
            SELECT id FROM datacovey.trash
             WHERE (kind IN ('dataset', 'query') AND parent_id IN (SELECT id FROM datacovey.projects WHERE trash_id = \(trashID)))
                OR (kind = 'table' AND parent_id IN (SELECT id FROM datacovey.datasets WHERE trash_id = \(trashID)))
            """).map { try $0.decode(Int64.self, at: 0) }
        for entry in nested where entry != trashID {
            try purge(entry, report: &report)
            report.entries += 1
        }
        let tables = try connection.query("""
            SELECT physical_name FROM datacovey.dataset_tables WHERE trash_id = \(trashID) AND physical_name IS NOT NULL
            """).map { try $0.decode(String.self, at: 0) }
        for table in tables {
            try databases.dropTable(database: TrashStore.trashDatabase, table: table)
            report.tables += 1
        }
        let dataDatabases = try connection.query("""
            SELECT data_database FROM datacovey.datasets WHERE trash_id = \(trashID) AND data_database IS NOT NULL
            """).map { try $0.decode(String.self, at: 0) }
        for database in dataDatabases {
            try databases.drop(database)
            report.databases += 1
        }
        for kind in JobKinds.all where kind.files != nil {
            let jobFiles = try connection.query("""
                SELECT file_path FROM datacovey.\(unsafeRaw: kind.table) WHERE trash_id = \(trashID) AND file_path IS NOT NULL
                """).map { try $0.decode(String.self, at: 0) }
            for path in jobFiles { files.remove(path) }
        }
        let kept = try connection.query("""
            SELECT previous_table FROM datacovey.import_jobs WHERE trash_id = \(trashID) AND previous_table IS NOT NULL
            """).map { try $0.decode(String.self, at: 0) }
        for table in kept where DataDatabases.isValidTableName(table) {
            try databases.dropTable(database: TrashStore.trashDatabase, table: table)
        }
        // Each job kind's rows, after the rows that belong to its jobs.
        let jobs: [SQLQuery] = JobKinds.all.flatMap { kind in
            kind.dependentTables.map { dependent -> SQLQuery in
                """
                DELETE FROM datacovey.\(unsafeRaw: dependent)
                 WHERE job_id IN (SELECT id FROM datacovey.\(unsafeRaw: kind.table) WHERE trash_id = \(trashID))
                """
            } + ["DELETE FROM datacovey.\(unsafeRaw: kind.table) WHERE trash_id = \(trashID)"]
        }
        try connection.withTransaction { connection in
            for statement: SQLQuery in jobs + [
                // Runs of a purged saved query stay in their project's log, no longer pointing at it.
                """
                UPDATE datacovey.query_runs SET query_id = NULL
                 WHERE query_id IN (SELECT id FROM datacovey.queries WHERE trash_id = \(trashID))
                """,
                "DELETE FROM datacovey.query_runs WHERE trash_id = \(trashID)",
                """
                DELETE FROM datacovey.table_columns
                 WHERE table_id IN (SELECT id FROM datacovey.dataset_tables WHERE trash_id = \(trashID))
                """,
                "DELETE FROM datacovey.dataset_tables WHERE trash_id = \(trashID)",
                "DELETE FROM datacovey.queries WHERE trash_id = \(trashID)",
                "DELETE FROM datacovey.datasets WHERE trash_id = \(trashID)",
                "DELETE FROM datacovey.projects WHERE trash_id = \(trashID)",
                "DELETE FROM datacovey.trash WHERE id = \(trashID)",
            ] {
                try connection.execute(statement)
            }
        }
    }

    /// A replace import keeps the rows it replaced for the retention, so it can be reverted.
    private func dropKeptReplacedTables(all: Bool, report: inout Report) throws {
        var query: SQLQuery = "SELECT id, previous_table FROM datacovey.import_jobs WHERE previous_table IS NOT NULL"
        if !all { query.append(" AND finished_at <= UTC_TIMESTAMP(6) - INTERVAL \(retentionDays) DAY") }
        for row in try connection.query(query) {
            let (job, table) = try row.decode((Int64, String).self)
            guard DataDatabases.isValidTableName(table) else { continue }
            try databases.dropTable(database: TrashStore.trashDatabase, table: table)
            try connection.execute("UPDATE datacovey.import_jobs SET previous_table = NULL WHERE id = \(job)")
            report.keptReplacedTables += 1
        }
    }

    /// Tables in `dcd_0` that no trashed table and no import refers to. Skipped while an import
    /// runs: a replace renames into `dcd_0` just before it records the name.
    private func dropOrphans(report: inout Report) throws {
        guard try connection.query("SELECT 1 FROM datacovey.import_jobs WHERE status = 'running' LIMIT 1").isEmpty else { return }
        let referenced = Set(try connection.query("""
            SELECT physical_name FROM datacovey.dataset_tables WHERE trash_id <> 0 AND physical_name IS NOT NULL
            UNION SELECT previous_table FROM datacovey.import_jobs WHERE previous_table IS NOT NULL
            """).map { try $0.decode(String.self, at: 0) })
        let present = try databases.withConnection { data in
            try data.query("""
                SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(TrashStore.trashDatabase)
                """).map { try $0.decode(String.self, at: 0) }
        }
        for table in present where !referenced.contains(table) && DataDatabases.isValidTableName(table) {
            try databases.dropTable(database: TrashStore.trashDatabase, table: table)
            report.orphanTables += 1
        }
    }
}
