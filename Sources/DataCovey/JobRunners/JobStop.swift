/// Why a job's run ends before the job does.
enum JobStopReason: Equatable, Sendable, CustomStringConvertible {
    /// The worker is shutting down: the job goes back to the queue and runs again from the start.
    case shuttingDown
    /// The job is no longer this worker's: cancelled, or its lease expired and another took it.
    case notThisWorkers

    var description: String {
        switch self {
        case .shuttingDown: "the worker is stopping"
        case .notThisWorkers: "the job is no longer this worker's (cancelled or taken over)"
        }
    }
}

/// Thrown to end a job's run early; the job's row is left to whoever now owns it.
struct JobStopped: Error {
    let reason: JobStopReason
}

/// A problem that fails the whole job (an import's unreadable file, an export whose table is
/// gone); the description is the job's `error`, shown to its user, so it says what and where.
struct JobFailure: Error, CustomStringConvertible {
    let description: String
}

/// Where a job is: pending → running → completed | failed. Imports and exports share it.
public enum JobStatus: String, Encodable, CaseIterable, Sendable { case pending, running, completed, failed }
