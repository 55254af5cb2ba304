import ArgumentParser
import DataCovey

extension DataCoveyAdmin {
    struct TenantCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tenant", abstract: "Create, list, disable and enable tenants.",
            subcommands: [Create.self, List.self, Disable.self, Enable.self])

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a tenant.")
            @Argument(help: "Lower-case name: letters, digits, '-', '_'.") var name: String
            @Option(help: "A display name.") var displayName: String?

            func run() throws {
                let tenant = try OperatorTasks(configuration: try Configuration.fromEnvironment())
                    .withDirectory { try $0.createTenant(name: name, displayName: displayName) }
                print("created tenant \(tenant.name) (id \(tenant.id))")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List tenants.")
            @OptionGroup var output: JSONOutput
            func run() throws {
                let tenants = try OperatorTasks(configuration: try Configuration.fromEnvironment()).withDirectory { try $0.tenants() }
                try output.print(tenants) { "\($0.id)\t\($0.name)\t\($0.isDisabled ? "disabled" : "enabled")" }
            }
        }

        struct Disable: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Disable a tenant.")
            @Argument var name: String
            func run() throws {
                try OperatorTasks(configuration: try Configuration.fromEnvironment()).withDirectory { try $0.setTenantDisabled(name, true) }
                print("disabled tenant \(name)")
            }
        }

        struct Enable: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Enable a disabled tenant: its people can sign in again.")
            @Argument var name: String
            func run() throws {
                try OperatorTasks(configuration: try Configuration.fromEnvironment()).withDirectory { try $0.setTenantDisabled(name, false) }
                print("enabled tenant \(name)")
            }
        }
    }
}
