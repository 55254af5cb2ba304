import ArgumentParser
import DataCovey

/// `datacovey-admin`: the operators' command line.
@main
struct DataCoveyAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datacovey-admin",
        abstract: "Operate DataCovey: migrations, tenants, users, jobs, development and API tokens, history and trash, backups.",
        version: BuildInfo.version,
        subcommands: [Migrate.self, SeedDemo.self, TenantCommand.self, UserCommand.self, JobsCommand.self, TokenCommand.self,
                      APITokenCommand.self, HistoryCommand.self, TrashCommand.self, MaintenanceCommand.self,
                      BackupCommand.self, RestoreCommand.self])
}
