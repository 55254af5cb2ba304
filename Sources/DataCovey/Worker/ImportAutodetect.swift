import MariaDB

/// The first import of an autodetect table defines it: columns inferred from the file, the
/// metadata written (as the importing user, so history shows who), and the physical table
/// created in the dataset's data database. The metadata transaction commits only after the
/// CREATE TABLE has succeeded; a concurrent first import that defined it first wins, and this
/// one loads into what it defined.
struct ImportAutodetect {
    let pool: MariaDBPool

    func defineIfPending(_ job: ClaimedImport, path: String) throws {
        let pending = try pool.withConnection { connection -> (name: String, database: String)? in
            guard let row = try connection.query("""
                SELECT t.name, d.data_database FROM dataset_tables t
                JOIN datasets d ON d.tenant_id = t.tenant_id AND d.id = t.dataset_id
                WHERE t.tenant_id = \(job.tenantID) AND t.id = \(job.tableID) AND t.autodetect AND t.physical_name IS NULL
                """).first else { return nil }
            let (name, database) = try row.decode((String, String?).self)
            return database.map { (name, $0) }
        }
        guard let pending else { return }
        let definition = try ImportColumnDetector.detect(path: path, options: job.options, tableName: pending.name)
        let physical = DataDatabases.newTableName()
        try pool.withConnection { connection in
            try connection.execute("SET @dc_tenant = \(job.tenantID), @dc_user = \(job.createdBy)")
            try connection.withTransaction { connection in
                let claimed = try connection.execute("""
                    UPDATE dataset_tables SET physical_name = \(physical)
                    WHERE tenant_id = \(job.tenantID) AND id = \(job.tableID) AND physical_name IS NULL
                    """).affectedRows
                guard claimed == 1 else { return }  // defined meanwhile by another import
                for (position, column) in definition.columns.enumerated() {
                    try connection.execute("""
                        INSERT INTO table_columns (tenant_id, table_id, position, name, type, nullable, default_value, is_primary_key)
                        VALUES (\(job.tenantID), \(job.tableID), \(position), \(column.name), \(column.type.name), TRUE, NULL, FALSE)
                        """)
                }
                try DataDatabases(pool: pool).createTable(definition, database: pending.database, table: physical)
            }
        }
    }
}
