import MariaDB

/// The physical databases that hold a dataset's tables (`dcd_<n>`), created and dropped on the
/// data account, which may act on `dcd_%` databases only.
///
/// Every statement here is DDL: it commits on its own, on its own pooled connection, never
/// inside a caller's transaction, and nothing relies on it being rolled back (a caller whose
/// metadata COMMIT fails after it undoes it, ImportAutodetect). On a Galera cluster DDL runs in
/// total order (TOI): on every node at the same point of the replication stream, waiting for
/// nothing on other nodes but aborting there the transactions that use the table (they get
/// 1213; an import is requeued). So an ALTER or RENAME of a table an import is loading on
/// another node aborts the import rather than waiting for it, as it would on one server.
public final class DataDatabases: Sendable {
    let pool: MariaDBPool
    /// The site's time-travel retention in days (`Configuration.timeTravelDays`): how far back
    /// a tenant without its own setting may read its tables (TimeTravelWindow).
    let timeTravelDays: Int

    public init(pool: MariaDBPool, timeTravelDays: Int = 30) {
        self.pool = pool
        self.timeTravelDays = timeTravelDays
    }

    /// A fresh name of the `dcd_<digits>` shape the data account's grant and the schema's CHECK
    /// allow. Random rather than the dataset's id, so the name is known before the row is
    /// inserted and a dataset is created as one version, not an insert and an update.
    static func newName() -> String {
        "dcd_\(UInt64.random(in: 100_000_000_000_000...999_999_999_999_999))"
    }

    /// Names are spliced into DDL (identifiers cannot be bound), so only our own shape passes.
    static func isValidName(_ name: String) -> Bool {
        name.hasPrefix("dcd_") && name.utf8.count <= 64 && name.utf8.count > 4
            && name.utf8.dropFirst(4).allSatisfy { (0x30...0x39).contains($0) }
    }

    public func create(_ name: String) throws {
        precondition(Self.isValidName(name), "not a data database name")
        try pool.withConnection { connection in
            try connection.executeText("CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        }
    }

    public func drop(_ name: String) throws {
        precondition(Self.isValidName(name), "not a data database name")
        try pool.withConnection { connection in
            try connection.executeText("DROP DATABASE IF EXISTS `\(name)`")
        }
    }

    /// A fresh physical table name (`tbl_<digits>`): user names stay metadata, so renaming a
    /// table never touches the physical one.
    static func newTableName() -> String {
        "tbl_\(UInt64.random(in: 100_000_000_000_000...999_999_999_999_999))"
    }

    static func isValidTableName(_ name: String) -> Bool {
        name.hasPrefix("tbl_") && name.utf8.count > 4 && name.utf8.count <= 64
            && name.utf8.dropFirst(4).allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Runs a `CREATE TABLE` built by `TableDefinition` (its pieces are validated there).
    func createTable(_ definition: TableDefinition, database: String, table: String) throws {
        precondition(Self.isValidName(database) && Self.isValidTableName(table), "not a data table name")
        try pool.withConnection { connection in
            try connection.executeText(definition.createStatement(database: database, table: table))
        }
    }

    /// `ALTER TABLE … ADD COLUMN …` for validated columns.
    func addColumns(_ columns: [TableDefinition.Column], database: String, table: String) throws {
        precondition(Self.isValidName(database) && Self.isValidTableName(table), "not a data table name")
        let additions = columns.map { "ADD COLUMN " + TableDefinition.columnDDL($0) }.joined(separator: ", ")
        try pool.withConnection { connection in
            try connection.executeText("ALTER TABLE `\(database)`.`\(table)` \(additions)")
        }
    }

    /// A physical table going from one data database to another (into or out of the trash).
    struct TableMove: Sendable, Equatable {
        let table: String
        let from: String
        let to: String

        var reversed: TableMove { TableMove(table: table, from: to, to: from) }
    }

    /// Moves tables in one atomic `RENAME TABLE`. A table no longer at its source is skipped, so
    /// a move repeated after a crash between the rename and the metadata commit completes.
    func move(_ moves: [TableMove]) throws {
        guard !moves.isEmpty else { return }
        for move in moves {
            precondition(Self.isValidName(move.from) && Self.isValidName(move.to) && Self.isValidTableName(move.table),
                         "not a data table name")
        }
        try pool.withConnection { connection in
            var present = Set<String>()
            var lookup: SQLQuery = """
                SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) FROM information_schema.TABLES
                 WHERE TABLE_SCHEMA LIKE 'dcd\\_%' AND TABLE_NAME IN (
                """
            for (index, move) in moves.enumerated() { lookup.append(index == 0 ? "\(move.table)" : ", \(move.table)") }
            lookup.append(")")
            for row in try connection.query(lookup) {
                present.insert(try row.decode(String.self, at: 0))
            }
            let renames = moves.filter { present.contains("\($0.from).\($0.table)") }
                .map { "`\($0.from)`.`\($0.table)` TO `\($0.to)`.`\($0.table)`" }
            guard !renames.isEmpty else { return }
            try connection.executeText("RENAME TABLE " + renames.joined(separator: ", "))
        }
    }

    /// `ALTER TABLE … RENAME COLUMN …` in one statement (names checked again: they are spliced).
    func renameColumns(_ renames: [(from: String, to: String)], database: String, table: String) throws {
        precondition(Self.isValidName(database) && Self.isValidTableName(table), "not a data table name")
        guard !renames.isEmpty else { return }
        precondition(renames.allSatisfy { Self.isColumnName($0.from) && Self.isColumnName($0.to) }, "not a column name")
        let clauses = renames.map { "RENAME COLUMN `\($0.from)` TO `\($0.to)`" }.joined(separator: ", ")
        try pool.withConnection { connection in
            try connection.executeText("ALTER TABLE `\(database)`.`\(table)` \(clauses)")
        }
    }

    /// Letters, digits and _ only (NameRules made them so; checked again where they are spliced).
    static func isColumnName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// `ALTER TABLE … DROP COLUMN …` (a restore to a version with fewer columns).
    func dropColumns(_ names: [String], database: String, table: String) throws {
        precondition(Self.isValidName(database) && Self.isValidTableName(table), "not a data table name")
        precondition(names.allSatisfy(Self.isColumnName), "not a column name")
        guard !names.isEmpty else { return }
        let drops = names.map { "DROP COLUMN `\($0)`" }.joined(separator: ", ")
        try pool.withConnection { connection in
            try connection.executeText("ALTER TABLE `\(database)`.`\(table)` \(drops)")
        }
    }

    func dropTable(database: String, table: String) throws {
        precondition(Self.isValidName(database) && Self.isValidTableName(table), "not a data table name")
        try pool.withConnection { connection in
            try connection.executeText("DROP TABLE IF EXISTS `\(database)`.`\(table)`")
        }
    }

    /// InnoDB's estimate of each table's rows in `database` (cheap; exact counts would scan).
    func approximateRowCounts(database: String) throws -> [String: Int64] {
        try pool.withConnection { connection in
            var counts: [String: Int64] = [:]
            for row in try connection.query("""
                SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(database)
                """) {
                let (name, rows) = try row.decode((String, Int64?).self)
                counts[name] = rows ?? 0
            }
            return counts
        }
    }

    /// Row reads and writes in the data databases run on this account too.
    func withConnection<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        try pool.withConnection(body)
    }

    public func shutDown() {
        pool.shutDown()
    }
}
