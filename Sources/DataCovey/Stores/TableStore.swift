import Foundation
import MariaDB

/// A dataset's table as the API shows it: metadata, columns and an approximate row count.
public struct DataTable: JSONResource, Sendable {
    public struct Column: JSONResource, Sendable, Equatable {
        let position: Int
        let name: String
        /// The header the column was made of, when it could not be its name (autodetect).
        let label: String?
        let type: String
        let nullable: Bool
        let `default`: String?
        let primaryKey: Bool
        /// What the column holds, as whoever defined it wrote (0019).
        var description: String? = nil

        /// The JSON fields, in name order (see JSONResource).
        public static let jsonFields: [JSONField<Column>] = [
            .field("default", \.default), .field("description", \.description), .field("label", \.label), .field("name", \.name),
            .field("nullable", \.nullable), .field("position", \.position), .field("primary_key", \.primaryKey), .field("type", \.type),
        ]
    }

    let id: Int64
    let datasetID: Int64
    let name: String
    let description: String?
    let autodetect: Bool
    var columns: [Column]
    /// InnoDB's estimate (it can be off by percents); nil while an autodetect table has no
    /// physical table yet.
    var rowCountEstimate: Int64?
    /// The exact count, only when asked for (`?count=exact`): it reads the whole table.
    var rowCount: Int64? = nil
    let createdBy: Int64?
    let version: Int64
    let createdAt: Date
    let updatedAt: Date
    let physicalName: String?

    /// The JSON fields, in name order (see JSONResource).
    public static let jsonFields: [JSONField<DataTable>] = [
        .field("autodetect", \.autodetect), .field("columns", \.columns), .field("created_at", \.createdAt),
        .field("created_by", \.createdBy), .field("dataset_id", \.datasetID), .field("description", \.description),
        .field("id", \.id), .field("name", \.name), .field("row_count", \.rowCount),
        .field("row_count_estimate", \.rowCountEstimate), .field("updated_at", \.updatedAt), .field("version", \.version),
    ]
}

/// Tables of the caller's tenant, through the `dataset_tables` and `table_columns` views; the
/// physical tables live in the dataset's data database, reached through the data account.
struct TableStore {
    let connection: MariaDBConnection
    let tenantID: Int64
    let databases: DataDatabases

    private static let columns = "id, dataset_id, name, description, autodetect, created_by, version, created_at, updated_at, physical_name"

    private static func table(_ row: MariaDBRow) throws -> DataTable {
        let (id, datasetID, name, description, autodetect, createdBy, version, createdAt, updatedAt, physical) =
            try row.decode((Int64, Int64, String, String?, Bool, Int64?, Int64, Date, Date, String?).self)
        return DataTable(id: id, datasetID: datasetID, name: name, description: description, autodetect: autodetect,
                         columns: [], rowCountEstimate: nil, createdBy: createdBy, version: version, createdAt: createdAt,
                         updatedAt: updatedAt, physicalName: physical)
    }

    func list(dataset: Dataset, _ page: Page) throws -> [DataTable] {
        let tables = try connection.query("""
            SELECT \(unsafeRaw: Self.columns) FROM dataset_tables
            WHERE dataset_id = \(dataset.id) AND id > \(page.afterID ?? 0) ORDER BY id LIMIT \(page.limit + 1)
            """).map(Self.table)
        return try complete(tables, database: dataset.dataDatabase)
    }

    func find(_ id: Int64, in dataset: Dataset) throws -> DataTable? {
        try connection.query("SELECT \(unsafeRaw: Self.columns) FROM dataset_tables WHERE id = \(id)").first
            .map(Self.table).map { try complete([$0], database: dataset.dataDatabase)[0] }
    }

    /// The dataset a table id belongs to, when it is the caller's.
    func dataset(ofTable id: Int64) throws -> Dataset? {
        guard let datasetID = try connection.query("SELECT dataset_id FROM dataset_tables WHERE id = \(id)").first
            .map({ try $0.decode(Int64.self, at: 0) }) else { return nil }
        return try DatasetStore(connection: connection, tenantID: tenantID).find(datasetID)
    }

    /// Adds columns (one query for all tables) and row estimates (one query per dataset).
    private func complete(_ tables: [DataTable], database: String?) throws -> [DataTable] {
        guard !tables.isEmpty else { return [] }
        var query: SQLQuery = """
            SELECT table_id, position, name, label, type, nullable, default_value, is_primary_key, description FROM table_columns WHERE table_id IN (
            """
        for (index, table) in tables.enumerated() { query.append(index == 0 ? "\(table.id)" : ", \(table.id)") }
        query.append(") ORDER BY table_id, position")
        var columnsByTable: [Int64: [DataTable.Column]] = [:]
        for row in try connection.query(query) {
            let (tableID, position, name, label, type, nullable, defaultValue, primaryKey) =
                try row.decode((Int64, Int, String, String?, String, Bool, String?, Bool).self)
            let description = try row.decode(String?.self, at: 8)
            columnsByTable[tableID, default: []].append(.init(position: position, name: name, label: label, type: type, nullable: nullable,
                                                                default: defaultValue, primaryKey: primaryKey, description: description))
        }
        let counts = try database.map { try databases.approximateRowCounts(database: $0) } ?? [:]
        return tables.map { table in
            var table = table
            table.columns = columnsByTable[table.id] ?? []
            table.rowCountEstimate = table.physicalName.flatMap { counts[$0] }
            return table
        }
    }

    /// Creates the physical table, then writes the metadata; when the metadata is refused or
    /// surely did not commit, the table is dropped again, so no table exists without its
    /// columns or vice versa. The DDL comes first, outside the metadata's transaction, for the
    /// reasons `DatasetStore.create` gives (Galera's total order; a transaction that has only
    /// rows runs again after a conflict).
    func create(_ definition: TableDefinition, in dataset: Dataset, createdBy: Int64) throws -> DataTable {
        guard let database = dataset.dataDatabase else { throw DomainError.conflict("The dataset has no data database.") }
        let physical = definition.autodetect ? nil : DataDatabases.newTableName()
        if let physical { try databases.createTable(definition, database: database, table: physical) }
        let id: Int64
        do {
            id = try connection.withTransaction(conflictRetries: MariaDBPool.conflictRetries) { connection, _ in
                // From the live dataset (see SavedQueryStore.create): none under a trashed one.
                let inserted = try connection.execute("""
                    INSERT INTO dataset_tables (tenant_id, dataset_id, name, description, physical_name, autodetect, created_by)
                    SELECT \(tenantID), id, \(definition.name), \(definition.description), \(physical),
                           \(definition.autodetect), \(createdBy) FROM datasets WHERE id = \(dataset.id)
                    """)
                guard inserted.affectedRows == 1 else { throw DomainError.notFound() }
                let tableID = Int64(inserted.lastInsertID)
                for (position, column) in definition.columns.enumerated() {
                    try connection.execute("""
                        INSERT INTO table_columns (tenant_id, table_id, position, name, type, nullable, default_value, is_primary_key,
                                                   description)
                        VALUES (\(tenantID), \(tableID), \(position), \(column.name), \(column.type.name), \(column.isNullable),
                                \(column.defaultLiteral?.stored), \(column.isPrimaryKey), \(column.description))
                        """)
                }
                return tableID
            }
        } catch {
            // After a lost answer the metadata may have committed: then the table stays.
            if let physical, !((error as? MariaDBError)?.isConnectionFailure ?? false) {
                try? databases.dropTable(database: database, table: physical)
            }
            if let error = error as? MariaDBError, error.isDuplicateKey { throw rows.nameTaken(definition.name) }
            throw error
        }
        guard let table = try find(id, in: dataset) else { throw DomainError.bug("created table vanished") }
        return table
    }

    /// Renames or re-describes the table and appends nullable columns, metadata and ALTER TABLE
    /// in one transaction. Any change bumps the table's version, added columns included.
    func update(_ table: DataTable, in dataset: Dataset, name: String?, description: String??,
                addColumns: [TableDefinition.Column], renameColumns: [(from: String, to: String)] = [],
                expectedVersion: Int64?) throws -> DataTable {
        try VersionCheck.require(expectedVersion, current: table.version)
        if (!addColumns.isEmpty || !renameColumns.isEmpty) && table.physicalName == nil {
            throw DomainError.conflict("The columns of an autodetect table come from its first import.")
        }
        var assignments: [SQLQuery] = []
        if let name { assignments.append("name = \(name)") }
        if let description { assignments.append("description = \(description)") }
        if assignments.isEmpty && (!addColumns.isEmpty || !renameColumns.isEmpty) { assignments.append("description = description") }
        do {
            try connection.withTransaction { connection in
                try VersionedRows(connection: connection, view: "dataset_tables", noun: "table")
                    .update(table.id, assignments, expectedVersion: table.version, name: name)
                for rename in renameColumns {
                    try connection.execute("""
                        UPDATE table_columns SET name = \(rename.to) WHERE table_id = \(table.id) AND name = \(rename.from)
                        """)
                }
                for (offset, column) in addColumns.enumerated() {
                    try connection.execute("""
                        INSERT INTO table_columns (tenant_id, table_id, position, name, type, nullable, default_value, is_primary_key,
                                                   description)
                        VALUES (\(tenantID), \(table.id), \(table.columns.count + offset), \(column.name), \(column.type.name),
                                \(column.isNullable), \(column.defaultLiteral?.stored), \(false), \(column.description))
                        """)
                }
                if let physical = table.physicalName, let database = dataset.dataDatabase {
                    try databases.renameColumns(renameColumns, database: database, table: physical)
                    if !addColumns.isEmpty { try databases.addColumns(addColumns, database: database, table: physical) }
                }
            }
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw DomainError.conflict("A column of that name already exists.")
        }
        guard let updated = try find(table.id, in: dataset) else { throw DomainError.notFound() }
        return updated
    }

    private var rows: VersionedRows { VersionedRows(connection: connection, view: "dataset_tables", noun: "table") }
}
