import ArgumentParser
import DataCovey

extension DataCoveyAdmin {
    struct SeedDemo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-demo",
            abstract: "Create tenant 'demo' with admin@, user@ and viewer@demo.test unless they exist.")

        func run() throws {
            let created = try OperatorTasks(configuration: try Configuration.fromEnvironment()).seedDemo()
            print(created.isEmpty ? "demo tenant already seeded" : "created: \(created.joined(separator: ", "))")
        }
    }
}
