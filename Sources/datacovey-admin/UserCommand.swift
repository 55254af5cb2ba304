import ArgumentParser
import DataCovey

extension DataCoveyAdmin {
    struct UserCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "user", abstract: "Add, list, re-role and disable users.",
            subcommands: [Add.self, List.self, SetRole.self, Disable.self, Enable.self])

        struct Add: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Add a user to a tenant.")
            @Option(help: "The tenant's name.") var tenant: String
            @Option(help: "E-mail address.") var email: String
            @Option(help: "Display name.") var name: String
            @Option(help: "admin, user or viewer.") var role: String
            @Option(help: "The Auth0 subject (default: local|<email> for the development issuer).") var sub: String?

            func validate() throws {
                guard Role(rawValue: role) != nil else {
                    throw ValidationError("--role must be admin, user or viewer")
                }
            }

            func run() throws {
                let user = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withDirectory {
                    try $0.addUser(tenant: tenant, email: email, name: name, role: Role(rawValue: role)!, subject: sub)
                }
                print("added \(user.email) to \(user.tenant) as \(user.role.rawValue) (id \(user.id), sub \(user.subject))")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List users.")
            @Option(help: "Only this tenant.") var tenant: String?
            @OptionGroup var output: JSONOutput
            func run() throws {
                let users = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withDirectory { try $0.users(tenant: tenant) }
                try output.print(users) { user in
                    "\(user.id)\t\(user.tenant)\t\(user.email)\t\(user.role.rawValue)\t\(user.isDisabled ? "disabled" : "enabled")"
                }
            }
        }
    }}
