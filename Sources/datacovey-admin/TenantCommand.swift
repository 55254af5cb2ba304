import ArgumentParser
import DataCovey

extension DataCoveyAdmin {
    struct TenantCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tenant", abstract: "Create, list, disable and enable tenants.",
            subcommands: [Create.self, List.self, Disable.self, Enable.self, TimeTravel.self])

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

        struct TimeTravel: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "time-travel",
                abstract: "Show or set how many days a tenant's row versions are kept (as_of, row history, restore).")
            @Argument var name: String
            @Option(help: "Keep versions this many days (1-36500).") var days: Int?
            @Flag(help: "Go back to the site's DATACOVEY_TIME_TRAVEL_DAYS.") var siteDefault = false

            func run() throws {
                try OperatorTasks(configuration: try Configuration.fromEnvironment()).withTimeTravelRetention { retention in
                    if siteDefault {
                        try retention.set(tenant: name, days: nil)
                    } else if let days {
                        try retention.set(tenant: name, days: days)
                    }
                    print("tenant \(name) keeps row versions \(try retention.days(tenant: name)) days")
                }
            }
        }
    }
}
