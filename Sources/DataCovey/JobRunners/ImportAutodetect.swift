import MariaDB

/// The first import of an autodetect table defines it: columns inferred from the file, the
/// metadata written (as the importing user, so history shows who), and the physical table
/// created in the dataset's data database. The metadata transaction commits only after the
/// CREATE TABLE has succeeded; a concurrent first import that defined it first wins, and this
/// one loads into what it defined.
///
/// A first import that then fails, is cancelled or is a dry run takes the definition back
/// (`undo`): columns inferred from a file the table never took would otherwise stay, and a
/// corrected file could not define the table again.
struct ImportAutodetect {
    let pool: MariaDBPool

    /// Where this job put the table it defined.
    struct Defined {
        let database: String
        let table: String
    }

    /// Defines the table from the upload when it is still pending; nil when it was defined
    /// already (by an earlier import, or a concurrent one just now).
    func defineIfPending(_ job: ClaimedImport, path: String) throws -> Defined? {
        let pending = try pool.withConnection { connection -> (name: String, database: String)? in
            guard let row = try connection.query("""
                SELECT t.name, d.data_database FROM dataset_tables t
                JOIN datasets d ON d.tenant_id = t.tenant_id AND d.id = t.dataset_id
                WHERE t.tenant_id = \(job.tenantID) AND t.id = \(job.tableID) AND t.autodetect AND t.physical_name IS NULL
                """).first else { return nil }
            let (name, database) = try row.decode((String, String?).self)
            return database.map { (name, $0) }
        }
        guard let pending else { return nil }
        let definition = try ImportColumnDetector.detect(path: path, options: job.options, tableName: pending.name)
        let physical = DataDatabases.newTableName()
        return try pool.withConnection { connection in
            try connection.execute("SET @dc_tenant = \(job.tenantID), @dc_user = \(job.createdBy)")
            // The CREATE TABLE commits on its own (DDL is never rolled back; on a Galera
            // cluster it runs in total order on every node at once): when the metadata's
            // COMMIT then fails (a certification failure, 1213, or a lost connection), the
            // table nobody points to is dropped again.
            var created = false
            do {
                return try defineTable(on: connection, job, definition, physical: physical, database: pending.database) { created = true }
            } catch {
                if created { try? DataDatabases(pool: pool).dropTable(database: pending.database, table: physical) }
                throw error
            }
        }
    }

    private func defineTable(on connection: MariaDBConnection, _ job: ClaimedImport, _ definition: TableDefinition,
                             physical: String, database: String, created: () -> Void) throws -> Defined? {
        try connection.withTransaction { connection in
            let claimed = try connection.execute("""
                UPDATE dataset_tables SET physical_name = \(physical)
                WHERE tenant_id = \(job.tenantID) AND id = \(job.tableID) AND physical_name IS NULL
                """).affectedRows
            guard claimed == 1 else { return nil }  // defined meanwhile by another import
            for (position, column) in definition.columns.enumerated() {
                try connection.execute("""
                    INSERT INTO table_columns (tenant_id, table_id, position, name, label, type, nullable, default_value, is_primary_key)
                    VALUES (\(job.tenantID), \(job.tableID), \(position), \(column.name), \(column.label), \(column.type.name), TRUE, NULL, FALSE)
                    """)
            }
            try DataDatabases(pool: pool).createTable(definition, database: database, table: physical)
            created()
            return Defined(database: database, table: physical)
        }
    }

    /// Makes the table pending again, unless rows reached it meanwhile (another import of the
    /// same table that completed): those keep the definition. The physical table is first
    /// renamed away, which waits for any load still writing into it and keeps new ones out;
    /// then it is checked for rows, and dropped only when it has none. On a Galera cluster
    /// the RENAME runs in total order: a load into the table on another node does not hold it
    /// up there but is aborted by it (1213, requeued by ImportRunner), so it never completes
    /// into a table that was put aside.
    func undo(_ job: ClaimedImport, _ defined: Defined) throws {
        let aside = "`\(TrashStore.trashDatabase)`.`\(DataDatabases.newTableName())`"
        let physical = "`\(defined.database)`.`\(defined.table)`"
        try pool.withConnection { connection in
            try connection.executeText("RENAME TABLE \(physical) TO \(aside)")
            let hasRows = try connection.query("SELECT EXISTS (SELECT 1 FROM \(unsafeRaw: aside))")[0].decode(Bool.self, at: 0)
            guard !hasRows else {
                try connection.executeText("RENAME TABLE \(aside) TO \(physical)")
                return
            }
            try connection.execute("SET @dc_tenant = \(job.tenantID), @dc_user = \(job.createdBy)")
            try connection.withTransaction { connection in
                try connection.execute("""
                    UPDATE dataset_tables SET physical_name = NULL
                    WHERE tenant_id = \(job.tenantID) AND id = \(job.tableID) AND physical_name = \(defined.table)
                    """)
                try connection.execute("DELETE FROM table_columns WHERE tenant_id = \(job.tenantID) AND table_id = \(job.tableID)")
            }
            try connection.executeText("DROP TABLE \(aside)")
        }
    }
}
