import ArgumentParser
import DataCovey

/// `KIND ID`: one job, as `jobs cancel` and `jobs retry` name it.
struct JobReference: ParsableArguments {
    @Argument(help: "The job's kind: \(OperatorJobs.kindNames.joined(separator: ", ")).") var kind: String
    @Argument(help: "The job's id.") var id: Int64
}

extension DataCoveyAdmin {
    struct JobsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jobs", abstract: "List, cancel and retry the jobs of every tenant; list the workers.",
            subcommands: [List.self, Cancel.self, Retry.self, Workers.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")
            @Option(help: "Only this kind: \(OperatorJobs.kindNames.joined(separator: ", ")).") var kind: String?
            @Option(help: "Only this tenant.") var tenant: String?
            @Option(help: "Only this status: pending, running, completed or failed.") var status: String?
            @Option(help: "At most this many (1-10000).") var limit = 100
            @OptionGroup var output: JSONOutput

            func validate() throws {
                if let status, JobStatus(rawValue: status) == nil {
                    throw ValidationError("--status must be pending, running, completed or failed")
                }
                guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
            }

            func run() throws {
                let jobs = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withJobs {
                    try $0.list(kind: kind, tenant: tenant, status: status.flatMap(JobStatus.init(rawValue:)), limit: limit)
                }
                try output.print(jobs) { job in
                    "\(job.kind)\t\(job.id)\t\(job.tenant)\t\(job.status)\t\(job.createdAt)\t\(job.error ?? "")"
                }
            }
        }

        struct Cancel: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Cancel a pending or running job (it fails with error 'cancelled').")
            @OptionGroup var job: JobReference

            func run() throws {
                try OperatorTasks(configuration: try Configuration.fromEnvironment()).withJobs { try $0.cancel(job.kind, job.id) }
                print("cancelled \(job.kind) job \(job.id)")
            }
        }

        struct Retry: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Queue a failed job again, from the start.")
            @OptionGroup var job: JobReference

            func run() throws {
                try OperatorTasks(configuration: try Configuration.fromEnvironment()).withJobs { try $0.retry(job.kind, job.id) }
                print("queued \(job.kind) job \(job.id) again")
            }
        }

        struct Workers: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The job workers that reported in the last day, and whether they are alive.")
            @OptionGroup var output: JSONOutput

            func run() throws {
                let workers = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withJobs { try $0.workers() }
                try output.print(workers) { worker in
                    "\(worker.alive ? "alive" : "gone")\t\(worker.owner)\t\(worker.version)\trunning \(worker.running) of \(worker.slots)\tseen \(worker.seenAt)"
                }
            }
        }
    }
}
