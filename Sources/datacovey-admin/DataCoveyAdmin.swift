import ArgumentParser
import DataCovey

/// `datacovey-admin`: the operators' command line.
@main
struct DataCoveyAdmin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datacovey-admin",
        abstract: "Operate DataCovey: migrations, tenants, users, development and API tokens, history and trash, backups.",
        subcommands: [Migrate.self, SeedDemo.self, TenantCommand.self, UserCommand.self, TokenCommand.self, APITokenCommand.self,
                      HistoryCommand.self, TrashCommand.self, BackupCommand.self, RestoreCommand.self])
}
