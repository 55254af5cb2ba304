import ArgumentParser
import DataCovey

extension DataCoveyAdmin {
    struct TokenCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token", abstract: "Development-issuer tokens.", subcommands: [Mint.self])

        struct Mint: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print a bearer token for a local user (development issuer only); the token is the last line.")
            @Option(help: "The user's e-mail.") var user: String
            @Option(help: "The user's tenant, when the e-mail exists in several.") var tenant: String?
            @Option(help: "Lifetime in seconds.") var ttl: Int = 3600

            func validate() throws {
                guard (60...(30 * 86_400)).contains(ttl) else { throw ValidationError("--ttl must be 60 s to 30 days") }
            }

            func run() throws {
                let token = try OperatorTasks(configuration: try Configuration.fromEnvironment())
                    .mintToken(email: user, tenant: tenant, lifetime: Double(ttl))
                print(token)
            }
        }
    }
}
