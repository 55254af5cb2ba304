import Logging
import MariaDB

/// One kind of job (imports, exports, …) as the shared machinery sees it: the worker's queue
/// and leases, cancellation, file retention, trash and purge, history, audit and history
/// maintenance all read a kind's description here instead of naming the kind. A kind is one
/// file that declares its `JobKind` (see ImportJobKind.swift) plus one line in `JobKinds.all`;
/// `JobKindRegistryTests` checks every registered kind against the database and the OpenAPI
/// document, so a kind the schema or the document does not know cannot pass unnoticed.
///
/// What stays the kind's own (its store's SQL, its runner, its controller and pages) is code
/// written for it anyway; what is here is what code shared by all kinds must know.
struct JobKind: Sendable {
    /// The base table of its jobs in `datacovey`; the tenant view (`datacovey_app`) has the
    /// same name, the view that shows trashed rows too adds `_with_trash` (0014).
    let table: String
    /// One job in messages: "The import has already completed".
    let noun: String
    /// Its URL collection (`/api/v1/imports/{id}`), which is also its kind in the audit log and
    /// the history endpoint.
    let collection: String
    /// Its trigger-written history table in `datacovey`, and the tenant view over it.
    let historyTable: String
    /// The counters a heartbeat writes (not versioned: see 0003).
    let progress: ProgressColumns
    /// The kind's columns `JobQueue.claim` selects after `id, tenant_id, attempts`; its runner
    /// reads them from the claimed row in this order.
    let claimColumns: String
    /// The files its jobs keep under the data directory (`file_path`), or nil for none.
    let files: Files?
    /// The objects whose delete takes its jobs to the trash with them, each by the column that
    /// points at it; a job that belongs to a trashed object is purged with it.
    let owners: [Owner]
    /// Tables whose rows (by `job_id`) belong to one of its jobs and go when the job is purged.
    let dependentTables: [String]
    /// The worker's runner of the kind, on the kind's queue.
    let makeRunner: @Sendable (JobQueue, JobRunnerContext) -> any JobRunner

    /// The counters of a kind: bytes and rows, and rejected rows for kinds that reject.
    struct ProgressColumns: Sendable {
        let bytes: String
        let rows: String
        let rejected: String?

        var names: [String] { [bytes, rows] + (rejected.map { [$0] } ?? []) + ["percent"] }
    }

    /// Where a kind's job files live and for how long.
    struct Files: Sendable {
        /// Their directory under the data directory (`JobFiles.Kind`).
        let directory: JobFiles.Kind
        /// An input (an upload) is kept while its job is pending or running, whatever its age;
        /// an output (an export's file) goes when it is older than the retention.
        let role: Role

        enum Role: Sendable { case input, output }
    }

    /// An object whose delete takes the kind's jobs along.
    struct Owner: Sendable {
        let kind: TrashKind
        let column: String
    }

    /// The tenant view that shows trashed jobs too; only trash code reads it.
    var tableWithTrash: String { table + "_with_trash" }

    /// What the audit log and the history endpoint call it.
    var historyKind: HistoryKind { HistoryKind(rawValue: collection, view: historyTable) }

    /// The heartbeat's assignments of `snapshot` to the progress columns.
    func progressAssignments(_ snapshot: JobProgress.Snapshot) -> SQLQuery {
        var assignments: SQLQuery = "\(unsafeRaw: progress.bytes) = \(snapshot.bytes), \(unsafeRaw: progress.rows) = \(snapshot.rows), "
        if let rejected = progress.rejected { assignments.append("\(unsafeRaw: rejected) = \(snapshot.rejected), ") }
        assignments.append("percent = \(snapshot.percent)")
        return assignments
    }

    /// The progress columns back to zero, for a job claimed again or handed back.
    var resetProgress: String { progress.names.map { "\($0) = 0" }.joined(separator: ", ") }
}

/// What a kind's runner is made with: the worker's pool, files, logger and configuration.
struct JobRunnerContext: Sendable {
    let pool: MariaDBPool
    let files: JobFiles
    let logger: Logger
    let configuration: Configuration
}
