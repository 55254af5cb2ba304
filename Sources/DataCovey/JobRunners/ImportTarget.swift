import MariaDB

/// The table an import loads into, read by the worker for the job's own tenant only: the job
/// row names the tenant, and every lookup is filtered by it as well as by id.
struct ImportTarget {
    struct Column {
        let name: String
        let type: ColumnType
        let nullable: Bool
        let hasDefault: Bool
    }

    let database: String
    let table: String
    let columns: [Column]

    var qualifiedName: String { "`\(database)`.`\(table)`" }

    static func load(tenant: Int64, table id: Int64, connection: MariaDBConnection) throws -> ImportTarget? {
        guard let row = try connection.query("""
            SELECT t.physical_name, d.data_database FROM dataset_tables t
            JOIN datasets d ON d.tenant_id = t.tenant_id AND d.id = t.dataset_id
            WHERE t.tenant_id = \(tenant) AND t.id = \(id) AND t.trash_id = 0 AND d.trash_id = 0
            """).first else { return nil }
        let (physical, database) = try row.decode((String?, String?).self)
        guard let physical, let database else { return nil }
        let columns = try connection.query("""
            SELECT name, type, nullable, default_value IS NOT NULL FROM table_columns
            WHERE tenant_id = \(tenant) AND table_id = \(id) ORDER BY position
            """).compactMap { row -> Column? in
            let (name, type, nullable, hasDefault) = try row.decode((String, String, Bool, Bool).self)
            return ColumnType(type).map { Column(name: name, type: $0, nullable: nullable, hasDefault: hasDefault) }
        }
        return ImportTarget(database: database, table: physical, columns: columns)
    }
}
