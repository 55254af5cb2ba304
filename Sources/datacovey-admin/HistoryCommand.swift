import ArgumentParser
import DataCovey

extension DataCoveyAdmin {
    struct HistoryCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "Purge old versions and verify the version history.",
            subcommands: [Purge.self, Verify.self])

        struct Purge: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Delete versions older than a number of days (each object's newest version stays).")
            @Option(help: "Age in days; versions changed before then go.") var olderThan: Int

            func validate() throws {
                guard olderThan >= 0 else { throw ValidationError("--older-than must be 0 or more days.") }
            }

            func run() throws {
                let purged = try OperatorTasks(configuration: try Configuration.fromEnvironment())
                    .withHistory { try $0.purge(olderThanDays: olderThan) }
                for (history, deleted) in purged { print("\(history)\t\(deleted)") }
                print("purged \(purged.reduce(0) { $0 + $1.deleted }) versions older than \(olderThan) days")
            }
        }

        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check that every tracked row has contiguous versions ending at its current version; exit 1 if not.")

            func run() throws {
                let gaps = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withHistory { try $0.verify() }
                for gap in gaps { print(gap) }
                guard gaps.isEmpty else {
                    print("history verify: \(gaps.count) rows with broken history")
                    throw ExitCode(1)
                }
                print("history verify: every tracked row has contiguous versions ending at its current version")
            }
        }
    }

    struct TrashCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trash", abstract: "Empty the trash for good.", subcommands: [Purge.self])

        struct Purge: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Remove what is past its retention (DATACOVEY_TRASH_RETENTION_DAYS), data databases and tables included.")
            @Flag(help: "Remove everything in the trash, whatever its age.") var all = false

            func run() throws {
                let report = try OperatorTasks(configuration: try Configuration.fromEnvironment()).purgeTrash(all: all)
                print(report)
            }
        }
    }
}
