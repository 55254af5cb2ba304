import ArgumentParser
import DataCovey

/// `datacovey-worker`: runs import and export jobs.
@main
struct DataCoveyWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datacovey-worker",
        abstract: "Run DataCovey's job worker (configuration from DATACOVEY_* environment variables).",
        version: BuildInfo.version)

    @Option(help: "Seconds between looks for new jobs.")
    var poll: Double = 0.1

    func run() throws {
        LogBootstrap.jsonLines()
        let registry = MetricsBootstrap.bootstrap()
        try Worker.run(configuration: try Configuration.fromEnvironment(), pollSeconds: poll, registry: registry)
    }
}
