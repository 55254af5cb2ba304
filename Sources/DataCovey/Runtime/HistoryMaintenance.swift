import Foundation
import MariaDB

/// `datacovey-admin history purge|verify`: operators' care of the trigger-written history
/// tables, on the operators' account (which may read and delete history but not forge it:
/// only the triggers insert).
public struct HistoryMaintenance {
    /// Base table and its history table, every tracked pair (job kinds from the registry).
    static let tracked: [(table: String, history: String)] = [
        ("tenants", "tenant_history"), ("users", "user_history"), ("projects", "project_history"),
        ("datasets", "dataset_history"), ("dataset_tables", "table_history"), ("table_columns", "table_column_history"),
        ("queries", "query_history"),
    ] + JobKinds.all.map { ($0.table, $0.historyTable) }

    let connection: MariaDBConnection

    public init(connection: MariaDBConnection) {
        self.connection = connection
    }

    /// Deletes versions older than `days`, except each object's newest version, so every row
    /// still has its current version and `verify` still holds. Answers rows deleted per table.
    public func purge(olderThanDays days: Int) throws -> [(history: String, deleted: UInt64)] {
        try Self.tracked.map { pair in
            let deleted = try connection.execute("""
                DELETE FROM datacovey.\(unsafeRaw: pair.history)
                 WHERE changed_at < UTC_TIMESTAMP(6) - INTERVAL \(days) DAY
                   AND version < (SELECT MAX(newest.version) FROM datacovey.\(unsafeRaw: pair.history) newest
                                   WHERE newest.entity_id = \(unsafeRaw: pair.history).entity_id)
                """).affectedRows
            return (pair.history, deleted)
        }
    }

    /// One tracked row whose versions are not a contiguous run ending at its current version.
    public struct Gap: CustomStringConvertible, Sendable {
        public let table: String
        public let id: Int64
        public let current: Int64
        public let oldest: Int64?
        public let newest: Int64?
        public let count: Int64

        public var description: String {
            guard let oldest, let newest else { return "\(table) \(id): version \(current) has no history" }
            return "\(table) \(id): version \(current), history has \(count) versions from \(oldest) to \(newest)"
        }
    }

    /// Every tracked row whose history is missing, has a hole, or does not end at its version.
    public func verify() throws -> [Gap] {
        try Self.tracked.flatMap { pair in
            try connection.query("""
                SELECT t.id, t.version, MIN(h.version), MAX(h.version), COUNT(h.version)
                  FROM datacovey.\(unsafeRaw: pair.table) t
                  LEFT JOIN datacovey.\(unsafeRaw: pair.history) h ON h.entity_id = t.id
                 GROUP BY t.id, t.version
                HAVING MAX(h.version) IS NULL OR MAX(h.version) <> t.version
                    OR MAX(h.version) - MIN(h.version) + 1 <> COUNT(h.version)
                 ORDER BY t.id
                """).map { row in
                let (id, current, oldest, newest, count) = try row.decode((Int64, Int64, Int64?, Int64?, Int64).self)
                return Gap(table: pair.table, id: id, current: current, oldest: oldest, newest: newest, count: count)
            }
        }
    }
}
