import Foundation
import MariaDB

/// One run of SQL, saved or ad hoc, as the run history shows it.
struct QueryRun: JSONResource, Sendable {
    let id: Int64
    let projectID: Int64
    let queryID: Int64?
    let userID: Int64?
    let sql: String
    let params: JSONValue?
    /// An `EXPLAIN` of the SQL (`dry_run: true`), recorded like a run.
    let dryRun: Bool
    let status: String
    let startedAt: Date?
    let finishedAt: Date?
    let durationMS: Int64?
    let rowCount: Int64?
    let error: String?
    let createdAt: Date

    /// The JSON fields, in name order (see JSONResource).
    static let jsonFields: [JSONField<QueryRun>] = [
        .field("created_at", \.createdAt), .field("dry_run", \.dryRun), .field("duration_ms", \.durationMS),
        .field("error", \.error), .field("finished_at", \.finishedAt), .field("id", \.id), .field("params", \.params),
        .field("project_id", \.projectID), .field("query_id", \.queryID), .field("row_count", \.rowCount),
        .field("sql", \.sql), .field("started_at", \.startedAt), .field("status", \.status), .field("user_id", \.userID),
    ]
}

/// The run log (`query_runs`, through its tenant view). A run is written `running` before the
/// SQL goes to the server and finished after, so a run that crashes the responder still shows.
struct QueryRunStore {
    let connection: MariaDBConnection
    let tenantID: Int64

    private static let columns = """
        id, project_id, query_id, user_id, sql_text, params, dry_run, status, started_at, finished_at, duration_ms, row_count,
        error, created_at
        """

    private static func run(_ row: MariaDBRow) throws -> QueryRun {
        let (id, projectID, queryID, userID, sql, params, dryRun, status, startedAt, finishedAt, duration, rowCount, error, createdAt) =
            try row.decode((Int64, Int64, Int64?, Int64?, String, String?, Bool, String, Date?, Date?, Int64?, Int64?, String?, Date).self)
        let decoded = params.flatMap { try? JSON.decode(JSONValue.self, from: Array($0.utf8)) }
        return QueryRun(id: id, projectID: projectID, queryID: queryID, userID: userID, sql: sql, params: decoded,
                        dryRun: dryRun, status: status, startedAt: startedAt, finishedAt: finishedAt, durationMS: duration,
                        rowCount: rowCount, error: error, createdAt: createdAt)
    }

    /// What a run records before it runs.
    struct NewRun {
        let project: Int64
        let query: Int64?
        let user: Int64
        let sql: String
        let params: JSONValue?
        var dryRun = false
    }

    func start(_ run: NewRun) throws -> Int64 {
        try insert(run, ended: nil)
    }

    /// A run that never reached the server (refused by the guard, unknown table, bad params):
    /// written failed in one statement.
    func refused(_ run: NewRun, error: String) throws -> Int64 {
        let id = try insert(run, ended: error)
        QueryRunMetrics.record("failed")
        return id
    }

    private func insert(_ run: NewRun, ended error: String?) throws -> Int64 {
        let paramsText = try run.params.map { String(decoding: try JSON.encode($0), as: UTF8.self) }
        let ended = error != nil
        let result = try connection.execute("""
            INSERT INTO query_runs (tenant_id, project_id, query_id, user_id, sql_text, params, dry_run, status, started_at,
                                    finished_at, duration_ms, error)
            VALUES (\(tenantID), \(run.project), \(run.query), \(run.user), \(run.sql), \(paramsText), \(run.dryRun),
                    \(ended ? "failed" : "running"), UTC_TIMESTAMP(6), IF(\(ended), UTC_TIMESTAMP(6), NULL), IF(\(ended), 0, NULL),
                    \(error))
            """)
        return Int64(result.lastInsertID)
    }

    func finish(_ id: Int64, rowCount: Int?, elapsedMS: Int64, error: String?) throws {
        try connection.execute("""
            UPDATE query_runs SET status = \(error == nil ? "completed" : "failed"), finished_at = UTC_TIMESTAMP(6),
                   duration_ms = \(elapsedMS), row_count = \(rowCount.map(Int64.init)), error = \(error)
             WHERE id = \(id)
            """)
        QueryRunMetrics.record(error == nil ? "completed" : "failed")
    }

    func find(_ id: Int64) throws -> QueryRun? {
        try connection.query("SELECT \(unsafeRaw: Self.columns) FROM query_runs WHERE id = \(id)").first.map(Self.run)
    }

    /// Filters of the run history.
    struct Filter {
        var query: Int64?
        var status: String?
        var user: Int64?
        /// Text the SQL contains (LIKE, with its wildcards escaped).
        var text: String?
    }

    /// Newest first; the cursor is the last id seen, and the next page holds older runs.
    func list(project: Int64, filter: Filter, _ page: Page) throws -> [QueryRun] {
        var conditions: [SQLQuery] = ["project_id = \(project)"]
        if let before = page.afterID { conditions.append("id < \(before)") }
        if let query = filter.query { conditions.append("query_id = \(query)") }
        if let status = filter.status { conditions.append("status = \(status)") }
        if let user = filter.user { conditions.append("user_id = \(user)") }
        if let text = filter.text {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            conditions.append("sql_text LIKE \("%" + escaped + "%")")
        }
        var whereClause = conditions[0]
        for condition in conditions.dropFirst() {
            whereClause.append(" AND ")
            whereClause.append(condition)
        }
        return try connection.query("""
            SELECT \(unsafeRaw: Self.columns) FROM query_runs WHERE \(whereClause) ORDER BY id DESC LIMIT \(page.limit + 1)
            """).map(Self.run)
    }
}
