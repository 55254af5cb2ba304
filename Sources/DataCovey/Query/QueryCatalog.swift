import MariaDB

/// The tables of one project as user SQL names them (`dataset.table`, or `table` when no other
/// dataset of the project has one of that name), with their physical names.
struct QueryCatalog: Sendable {
    struct Table: Sendable, Equatable {
        let dataset: String
        let name: String
        /// `dcd_…` and `tbl_…`; nil `table` for an autodetect table before its first import.
        let database: String
        let physicalTable: String?
    }

    let tables: [Table]

    init(tables: [Table]) {
        self.tables = tables
    }

    /// Reads the catalog through the tenant views, so only the caller's tenant is visible.
    static func load(project: Int64, connection: MariaDBConnection) throws -> QueryCatalog {
        let rows = try connection.query("""
            SELECT d.name, t.name, d.data_database, t.physical_name
              FROM datasets d JOIN dataset_tables t ON t.dataset_id = d.id
             WHERE d.project_id = \(project) AND d.data_database IS NOT NULL
            """)
        return try QueryCatalog(rows)
    }

    /// The same from the base tables, for the worker (whose account sees every tenant, so the
    /// tenant is named explicitly, and trashed rows, so they are left out here as the views do).
    static func load(project: Int64, tenant: Int64, baseTablesOn connection: MariaDBConnection) throws -> QueryCatalog {
        let rows = try connection.query("""
            SELECT d.name, t.name, d.data_database, t.physical_name
              FROM datacovey.datasets d JOIN datacovey.dataset_tables t ON t.dataset_id = d.id AND t.tenant_id = d.tenant_id
             WHERE d.project_id = \(project) AND d.tenant_id = \(tenant) AND d.data_database IS NOT NULL
               AND d.trash_id = 0 AND t.trash_id = 0
            """)
        return try QueryCatalog(rows)
    }

    /// Rows of (dataset name, table name, data database, physical table).
    private init(_ rows: [MariaDBRow]) throws {
        tables = try rows.map { row in
            let (dataset, name, database, physical) = try row.decode((String, String, String, String?).self)
            return Table(dataset: dataset, name: name, database: database, physicalTable: physical)
        }
    }

    /// Names compare as MariaDB compares the metadata columns: case-insensitively.
    private static func same(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: [.caseInsensitive]) == .orderedSame
    }

    /// The table a reference names, or a 400 that says why there is none.
    func resolve(_ reference: SQLGuard.TableReference) throws -> Table {
        let matches = tables.filter { table in
            Self.same(table.name, reference.name) && (reference.qualifier.map { Self.same(table.dataset, $0) } ?? true)
        }
        let written = reference.qualifier.map { "\($0).\(reference.name)" } ?? reference.name
        guard let table = matches.first else {
            throw DomainError.invalid("Unknown table \(written): no dataset of this project has it.",
                                       errors: [.init(field: "sql", message: "unknown table \(written)")])
        }
        guard matches.count == 1 else {
            let datasets = matches.map(\.dataset).sorted().joined(separator: ", ")
            throw DomainError.invalid(
                "Table name \(written) is ambiguous: the datasets \(datasets) all have one. Write dataset.table.",
                errors: [.init(field: "sql", message: "ambiguous table \(written)")])
        }
        guard table.physicalTable != nil else {
            throw DomainError.invalid("Table \(table.dataset).\(table.name) has no columns yet: it is defined by its first import.",
                                       errors: [.init(field: "sql", message: "table \(written) is empty")])
        }
        return table
    }
}

import Foundation
