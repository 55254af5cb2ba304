import ArgumentParser
import DataCovey

/// `datacovey-fcgi`: the FastCGI responder nginx talks to.
@main
struct DataCoveyFCGI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datacovey-fcgi",
        abstract: "Serve DataCovey over FastCGI (configuration from DATACOVEY_* environment variables).",
        version: BuildInfo.version)

    @Option(help: "A unix socket path to create, or fd:N for an inherited listening socket (default: DATACOVEY_FCGI_SOCKET).")
    var listen: String?

    @Option(help: "Request threads (default: DATACOVEY_FCGI_THREADS).")
    var threads: Int?

    func validate() throws {
        if let threads, !(1...1024).contains(threads) {
            throw ValidationError("--threads must be between 1 and 1024")
        }
    }

    func run() throws {
        LogBootstrap.jsonLines()
        let registry = MetricsBootstrap.bootstrap()
        try Responder.run(configuration: try Configuration.fromEnvironment(), listen: listen, threads: threads,
                          registry: registry)
    }
}
