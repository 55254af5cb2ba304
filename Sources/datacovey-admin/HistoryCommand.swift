import ArgumentParser
import DataCovey
import Foundation

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
                let (purged, skipped) = try OperatorTasks(configuration: try Configuration.fromEnvironment())
                    .withHistory { try $0.purgeKeepingChains(olderThanDays: olderThan) }
                for (history, deleted) in purged { print("\(history)\t\(deleted)") }
                for report in skipped {
                    print("tenant \(report.tenantID): not purged, its history chain is broken at \(report.firstBreak?.description ?? "?")")
                }
                print("purged \(purged.reduce(0) { $0 + $1.deleted }) versions older than \(olderThan) days")
            }
        }

        struct Verify: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check every tenant's history hash chain, and that every tracked row has contiguous versions ending at its current version; exit 1 naming the first broken link if not.")
            @Option(help: "Check only this tenant's chain (by name).") var tenant: String?
            @Flag(help: "Print one JSON object per tenant chain (an array) instead of lines.") var json = false

            /// One tenant's chains as `--json` prints them.
            struct ChainLine: Encodable {
                let tenantID: Int64
                let tenant: String?
                let valid: Bool
                let head: String
                let heads: [ChainHead]
                let entries: Int
                let firstBroken: HistoryChain.Break?

                enum CodingKeys: String, CodingKey {
                    case tenantID = "tenant_id", tenant, valid, head, heads, entries, firstBroken = "first_broken"
                }
            }

            /// One chain's head (one per writer node on a cluster, sql/0026).
            struct ChainHead: Encodable {
                let chain: String
                let seq: UInt64
                let hash: String
            }

            /// "head <hash>" for one chain; with a chain per writer node, each chain's head by name.
            static func heads(_ report: HistoryChain.Report) -> String {
                guard report.heads.count > 1 else { return "head \(report.head.isEmpty ? "(no history)" : report.head)" }
                return "\(report.heads.count) chains, heads " + report.heads
                    .map { "\($0.chain.isEmpty ? "(single server)" : $0.chain) \($0.seq) \($0.hash)" }.joined(separator: ", ")
            }

            func run() throws {
                let (chains, gaps) = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withHistory {
                    history in (try history.verifyChains(tenant: tenant), try history.verify(tenant: tenant))
                }
                let broken = chains.filter { !$0.report.isValid }
                if json {
                    let lines = chains.map { tenant, report in
                        ChainLine(tenantID: report.tenantID, tenant: tenant, valid: report.isValid, head: report.head,
                                  heads: report.heads.map { ChainHead(chain: $0.chain, seq: $0.seq, hash: $0.hash) },
                                  entries: report.entries, firstBroken: report.firstBreak)
                    }
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    print(String(decoding: try encoder.encode(lines), as: UTF8.self))
                } else {
                    for (name, report) in chains {
                        let who = "tenant \(name ?? "(gone)") (\(report.tenantID))"
                        if let broken = report.firstBreak {
                            print("\(who): chain BROKEN at \(broken)")
                        } else {
                            print("\(who): chain holds, \(report.entries) links, \(Self.heads(report))")
                        }
                    }
                }
                for gap in gaps {
                    if json { FileHandle.standardError.write(Data("\(gap)\n".utf8)) } else { print(gap) }
                }
                guard broken.isEmpty, gaps.isEmpty else {
                    if !json {
                        print("history verify: \(broken.count) broken chains, \(gaps.count) rows with broken history")
                    }
                    throw ExitCode(1)
                }
                if !json {
                    print("history verify: every tenant's chain holds; every tracked row has contiguous versions ending at its current version")
                }
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
