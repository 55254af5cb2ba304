import Foundation
import MariaDB

/// The time-travel retention of every tenant, for operators: each tenant's days (its own
/// setting in `datacovey.time_travel_retention`, sql/0023, else `DATACOVEY_TIME_TRAVEL_DAYS`),
/// and the purge `datacovey-admin maintenance` runs: `DELETE HISTORY … BEFORE SYSTEM_TIME` on
/// every data table, so versions that ended before the tenant's retention are gone.
public struct TimeTravelRetention {
    /// Operators' account: the tenants, their settings, which tables are whose.
    let connection: MariaDBConnection
    /// Data account (it holds DELETE HISTORY on the data databases).
    let databases: DataDatabases
    let defaultDays: Int

    /// Sets a tenant's own retention in days, or with nil goes back to the site's.
    public func set(tenant name: String, days: Int?) throws {
        let tenant = try TenantDirectory(connection: connection).tenant(named: name)
        if let days {
            guard (1...36_500).contains(days) else { throw DomainError.invalid("days must be 1 to 36500.") }
            try connection.execute("""
                INSERT INTO time_travel_retention (tenant_id, days) VALUES (\(tenant.id), \(Int64(days)))
                ON DUPLICATE KEY UPDATE days = VALUES(days)
                """)
        } else {
            try connection.execute("DELETE FROM time_travel_retention WHERE tenant_id = \(tenant.id)")
        }
    }

    /// The tenant's retention in days (its own, else the site's).
    public func days(tenant name: String) throws -> Int {
        let tenant = try TenantDirectory(connection: connection).tenant(named: name)
        return try connection.query("SELECT days FROM time_travel_retention WHERE tenant_id = \(tenant.id)").first
            .map { Int(try $0.decode(Int64.self, at: 0)) } ?? defaultDays
    }

    public struct Report: Sendable, CustomStringConvertible {
        public var tables = 0
        public var versions: Int64 = 0
        public var description: String { "purged \(versions) row versions older than the retention from \(tables) tables" }
    }

    /// Purges, for every table of every tenant (a deleted one in the trash too), the versions
    /// that ended before the tenant's retention. A table gone meanwhile is skipped. Each table
    /// is its own statement: a purge stopped halfway is simply run again.
    public func purge(now: Date = Date()) throws -> Report {
        var report = Report()
        // Live tables by their dataset's database; tables in the trash by the trash rows.
        var tables: [(database: String, table: String, days: Int)] = []
        for row in try connection.query("""
            SELECT d.data_database, t.physical_name, r.days
              FROM dataset_tables t JOIN datasets d ON d.id = t.dataset_id
              LEFT JOIN time_travel_retention r ON r.tenant_id = t.tenant_id
             WHERE d.data_database IS NOT NULL AND t.physical_name IS NOT NULL
            """) {
            let (database, table, days) = try row.decode((String, String, Int64?).self)
            tables.append((database, table, days.map(Int.init) ?? defaultDays))
        }
        // Whatever else is in the data databases (the trash, a table a crash left) keeps the
        // site's retention.
        let known = Set(tables.map { "\($0.database).\($0.table)" })
        let all = try databases.withConnection { data in
            try data.query("""
                SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES
                 WHERE TABLE_SCHEMA LIKE 'dcd\\_%' AND TABLE_TYPE = 'SYSTEM VERSIONED'
                """).map { try $0.decode((String, String).self) }
        }
        let present = Set(all.map { "\($0.0).\($0.1)" })
        tables = tables.filter { present.contains("\($0.database).\($0.table)") }
        for (database, table) in all where !known.contains("\(database).\(table)") {
            tables.append((database, table, defaultDays))
        }
        for (database, table, days) in tables {
            guard DataDatabases.isValidName(database), DataDatabases.isValidTableName(table) else { continue }
            let before = AsOf(now.addingTimeInterval(-Double(days) * 86_400))
            do {
                let deleted = try databases.withConnection { data in
                    try data.execute(SQLQuery(unsafeSQL: "DELETE HISTORY FROM `\(database)`.`\(table)` BEFORE SYSTEM_TIME \(before.sqlLiteral)")).affectedRows
                }
                report.tables += 1
                report.versions += Int64(deleted)
            } catch let error as MariaDBError where error.isTableMissing {
                continue
            }
        }
        return report
    }
}

extension OperatorTasks {
    /// Runs `body` with the time-travel retention: tenants on the operators' account, the
    /// purge on the data account.
    public func withTimeTravelRetention<T>(_ body: (TimeTravelRetention) throws -> T) throws -> T {
        let connection = try MariaDBConnection.connect(configuration.opsDatabase)
        defer { connection.close() }
        let databases = DataDatabases(pool: MariaDBPool(configuration: configuration.dataDatabase, maxConnections: 1))
        defer { databases.shutDown() }
        return try body(TimeTravelRetention(connection: connection, databases: databases, defaultDays: configuration.timeTravelDays))
    }
}
