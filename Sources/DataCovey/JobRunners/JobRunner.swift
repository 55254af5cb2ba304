/// The worker's runner of one kind of job (made by its `JobKind`): its queue, and how a
/// claimed row becomes a run.
protocol JobRunner: Sendable {
    var queue: JobQueue { get }
    /// The run of a claimed job, or nil when its row cannot be read (the job is then failed).
    func prepare(_ claim: JobQueue.Claim) -> PreparedJob?
}

/// A claimed job ready to run on its own thread, with the progress its heartbeat reports.
struct PreparedJob: Sendable {
    let progress: JobProgress
    let run: @Sendable () -> Void
}
