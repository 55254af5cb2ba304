import ArgumentParser
import DataCovey

extension DataCoveyAdmin {
    struct MaintenanceCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maintenance",
            abstract: "Daily upkeep: purge the trash past its retention and, if DATACOVEY_HISTORY_RETENTION_DAYS is set, old history.")

        func run() throws {
            for line in try Maintenance(configuration: try Configuration.fromEnvironment()).run() { print(line) }
        }
    }
}
