/// `datacovey-admin maintenance`: the upkeep a site needs every day, in one command that the
/// platform schedules (the systemd timer of the package; a supervised loop in the local stack)
/// — the trash past its retention is purged, row versions past each tenant's time-travel
/// retention are purged (TimeTravelRetention), and, when `DATACOVEY_HISTORY_RETENTION_DAYS` is
/// set, history versions older than that (each object's newest stays). Export files and
/// leftover uploads are the worker's own (JobFileRetention, every ten minutes).
public struct Maintenance {
    let tasks: OperatorTasks

    public init(configuration: Configuration) {
        tasks = OperatorTasks(configuration: configuration)
    }

    /// What one run did, one line each.
    public func run() throws -> [String] {
        var done = ["trash: " + (try tasks.purgeTrash(all: false)).description]
        done.append("time travel: " + (try tasks.withTimeTravelRetention { try $0.purge() }).description)
        if let days = tasks.configuration.historyRetentionDays {
            let (purged, skipped) = try tasks.withHistory { try $0.purgeKeepingChains(olderThanDays: days) }
            done.append("history: purged \(purged.reduce(0) { $0 + $1.deleted }) versions older than \(days) days")
            for report in skipped {
                done.append("history: tenant \(report.tenantID) not purged, its chain is broken at \(report.firstBreak?.description ?? "?")")
            }
        } else {
            done.append("history: every version kept (DATACOVEY_HISTORY_RETENTION_DAYS is not set)")
        }
        return done
    }
}
