import ArgumentParser
import DataCovey

extension DataCoveyAdmin.UserCommand {
    /// Options naming one user: e-mails are unique per tenant, so a tenant may be needed.
    struct UserSelector: ParsableArguments {
        @Option(help: "The user's e-mail.") var email: String
        @Option(help: "The user's tenant, when the e-mail exists in several.") var tenant: String?
    }

    struct SetRole: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Change a user's role.")
        @OptionGroup var user: UserSelector
        @Option(help: "admin, user or viewer.") var role: String

        func validate() throws {
            guard Role(rawValue: role) != nil else { throw ValidationError("--role must be admin, user or viewer") }
        }

        func run() throws {
            try OperatorTasks(configuration: try Configuration.fromEnvironment()).withDirectory {
                try $0.setRole(email: user.email, tenant: user.tenant, role: Role(rawValue: role)!)
            }
            print("\(user.email) is now \(role)")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: their tokens stop working at once.")
        @OptionGroup var user: UserSelector

        func run() throws {
            try OperatorTasks(configuration: try Configuration.fromEnvironment()).withDirectory {
                try $0.setUserDisabled(email: user.email, tenant: user.tenant, true)
            }
            print("disabled \(user.email)")
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user again.")
        @OptionGroup var user: UserSelector

        func run() throws {
            try OperatorTasks(configuration: try Configuration.fromEnvironment()).withDirectory {
                try $0.setUserDisabled(email: user.email, tenant: user.tenant, false)
            }
            print("enabled \(user.email)")
        }
    }
}
