import ArgumentParser
import DataCovey

extension DataCoveyAdmin {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending sql/ migrations (as DATACOVEY_MIGRATE_DB_USER) and set service account passwords.")

        @Option(help: "The directory of numbered migration files.")
        var sqlDir: String = "sql"

        func run() throws {
            let report = try OperatorTasks(configuration: try Configuration.fromEnvironment()).migrate(sqlDirectory: sqlDir)
            for name in report.applied { print("applied \(name)") }
            print("\(report.applied.count) applied, \(report.alreadyApplied.count) already applied, accounts unlocked: \(report.accountsUnlocked.joined(separator: ", "))")
        }
    }
}
