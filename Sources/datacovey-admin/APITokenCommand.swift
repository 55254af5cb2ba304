import ArgumentParser
import DataCovey
import Foundation

extension DataCoveyAdmin {
    /// A tenant's API tokens (issue 18), for operators: tenant admins manage their own on the
    /// tokens page and `/api/v1/tokens`. Secrets are never shown: the database has only hashes.
    struct APITokenCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "api-token", abstract: "List and revoke a tenant's API tokens.", subcommands: [List.self, Revoke.self])

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List a tenant's API tokens: id, name, prefix, role, state, expiry, last use (tab-separated).")
            @Argument(help: "The tenant's name.") var tenant: String

            func run() throws {
                let tokens = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withAPITokens { directory, tokens in
                    try tokens.list(tenant: try directory.tenant(named: tenant))
                }
                for token in tokens {
                    print([String(token.id), token.name, token.prefix, token.role, token.state, Timestamp.format(token.expiresAt),
                           token.lastUsedAt.map(Timestamp.format) ?? "never"].joined(separator: "\t"))
                }
            }
        }

        struct Revoke: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke one of a tenant's API tokens.")
            @Argument(help: "The tenant's name.") var tenant: String
            @Argument(help: "The token's id.") var id: Int64

            func run() throws {
                let revoked = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withAPITokens { directory, tokens in
                    try tokens.revoke(tenant: try directory.tenant(named: tenant), id: id)
                }
                print(revoked ? "revoked API token \(id) of tenant \(tenant)" : "API token \(id) of tenant \(tenant) was already revoked")
            }
        }
    }
}
