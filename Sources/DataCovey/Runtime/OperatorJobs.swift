import Foundation
import MariaDB

/// `datacovey-admin jobs`: the jobs of every kind and every tenant, for operators, on the
/// operators' account (its writes are recorded in the jobs' history as dc_ops). Kinds come
/// from the registry (`JobKinds`), named by their collection (`imports`, `exports`).
/// Cancelling is the API's cancel; retrying puts a failed job back in the queue, from the start.
public struct OperatorJobs {
    let connection: MariaDBConnection
    let files: JobFiles

    /// The collections that name kinds: `imports`, `exports`.
    public static var kindNames: [String] { JobKinds.all.map(\.collection) }

    /// One job as `jobs list` shows it.
    public struct Listed: Encodable, Sendable {
        public let kind: String
        public let id: Int64
        public let tenant: String
        public let status: String
        public let error: String?
        public let attempts: Int
        public let createdAt: String
        public let finishedAt: String?

        enum CodingKeys: String, CodingKey {
            case kind, id, tenant, status, error, attempts
            case createdAt = "created_at", finishedAt = "finished_at"
        }
    }

    /// One worker as `datacovey-admin workers` shows it (0021).
    public struct Worker: Encodable, Sendable {
        public let owner: String
        public let version: String
        public let slots: Int
        public let running: Int
        public let startedAt: String
        public let seenAt: String
        /// Its last heartbeat is within its lease; false: it stopped reporting (killed, or its
        /// host is gone) and is shown until a day has passed.
        public let alive: Bool

        enum CodingKeys: String, CodingKey {
            case owner, version, slots, running, alive
            case startedAt = "started_at", seenAt = "seen_at"
        }
    }

    /// The workers that reported in the last day, alive ones first.
    public func workers() throws -> [Worker] {
        try connection.query("""
            SELECT owner, version, slots, running, started_at, seen_at, expires_at > UTC_TIMESTAMP(6)
              FROM worker_heartbeats ORDER BY 7 DESC, seen_at DESC
            """).map { row in
            let (owner, version, slots, running, started, seen, alive) = try row.decode((String, String, Int, Int, Date, Date, Bool).self)
            return Worker(owner: owner, version: version, slots: slots, running: running,
                          startedAt: Timestamp.format(started), seenAt: Timestamp.format(seen), alive: alive)
        }
    }

    public enum Failure: Error, CustomStringConvertible {
        case noSuchKind(String)
        case noSuchJob(String, Int64)
        case notRetryable(String, Int64, String)
        case notCancellable(String, Int64, String)
        case fileGone(String, Int64)

        public var description: String {
            switch self {
            case .noSuchKind(let name): "no job kind '\(name)'; kinds: \(OperatorJobs.kindNames.joined(separator: ", "))"
            case .noSuchJob(let kind, let id): "no \(kind) job \(id)"
            case .notRetryable(let kind, let id, let status): "\(kind) job \(id) is \(status); only a failed job can be retried"
            case .notCancellable(let kind, let id, let status): "\(kind) job \(id) has already \(status); it cannot be cancelled"
            case .fileGone(let kind, let id):
                "\(kind) job \(id): its input file is gone (removed when it failed, or by retention); the user must upload it again"
            }
        }
    }

    static func kind(_ name: String) throws -> JobKind {
        guard let kind = JobKinds.all.first(where: { $0.collection == name }) else { throw Failure.noSuchKind(name) }
        return kind
    }

    /// Newest first, at most `limit`; `kind`, `status` and `tenant` narrow it.
    public func list(kind: String? = nil, tenant: String? = nil, status: JobStatus? = nil, limit: Int = 100) throws -> [Listed] {
        let kinds = try kind.map { [try Self.kind($0)] } ?? JobKinds.all
        var listed: [Listed] = []
        for kind in kinds {
            var query: SQLQuery = """
                SELECT j.id, t.name, j.status, j.error, j.attempts, j.created_at, j.finished_at
                  FROM \(unsafeRaw: kind.table) j JOIN tenants t ON t.id = j.tenant_id WHERE 1 = 1
                """
            if let tenant { query.append(" AND t.name = \(tenant)") }
            if let status { query.append(" AND j.status = \(status.rawValue)") }
            query.append(" ORDER BY j.created_at DESC, j.id DESC LIMIT \(limit)")
            for row in try connection.query(query) {
                let (id, tenantName, state, error, attempts, created, finished) = try row.decode((Int64, String, String, String?, Int, Date, Date?).self)
                listed.append(Listed(kind: kind.collection, id: id, tenant: tenantName, status: state, error: error, attempts: attempts,
                                     createdAt: Timestamp.format(created), finishedAt: finished.map(Timestamp.format)))
            }
        }
        return Array(listed.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.prefix(limit))
    }

    /// Cancels a pending or running job, as the API's cancel does.
    public func cancel(_ kindName: String, _ id: Int64) throws {
        let kind = try Self.kind(kindName)
        guard try !JobCancellation.cancel(id, kind: kind, connection: connection) else { return }
        throw Failure.notCancellable(kindName, id, try status(kind, id))
    }

    /// Puts a failed job back in the queue: pending, no attempts, its counters and dependent
    /// rows (an import's rejects) cleared. A job loads all or nothing, so a failed one changed
    /// no data. A kind whose jobs read an input file needs it still there.
    public func retry(_ kindName: String, _ id: Int64) throws {
        let kind = try Self.kind(kindName)
        let current = try status(kind, id)
        guard current == JobStatus.failed.rawValue else { throw Failure.notRetryable(kindName, id, current) }
        if kind.files?.role == .input {
            let path = try connection.query("SELECT file_path FROM \(unsafeRaw: kind.table) WHERE id = \(id)").first?.decode(String?.self, at: 0)
            guard let path, FileManager.default.fileExists(atPath: files.absolute(path)) else { throw Failure.fileGone(kindName, id) }
        }
        let counters = kind.progress.names.map { "\($0) = 0" }.joined(separator: ", ")
        try connection.withTransaction { connection in
            for table in kind.dependentTables { try connection.execute("DELETE FROM \(unsafeRaw: table) WHERE job_id = \(id)") }
            let changed = try connection.execute("""
                UPDATE \(unsafeRaw: kind.table) SET status = 'pending', error = NULL, attempts = 0, \(unsafeRaw: counters),
                       lease_owner = NULL, lease_expires_at = NULL, started_at = NULL, finished_at = NULL
                 WHERE id = \(id) AND status = 'failed'
                """).affectedRows
            guard changed == 1 else { throw Failure.notRetryable(kindName, id, try status(kind, id)) }
        }
    }

    private func status(_ kind: JobKind, _ id: Int64) throws -> String {
        guard let row = try connection.query("SELECT status FROM \(unsafeRaw: kind.table) WHERE id = \(id)").first else {
            throw Failure.noSuchJob(kind.collection, id)
        }
        return try row.decode(String.self, at: 0)
    }
}
