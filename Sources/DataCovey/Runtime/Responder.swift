import FastCGI
import Foundation
import Logging
import MariaDB
import Prometheus

/// `datacovey-fcgi`: the FastCGI responder process.
public enum Responder {
    /// Serves until SIGTERM/SIGINT, then lets requests in flight finish and returns. With a
    /// `registry` (from `MetricsBootstrap`), `/metrics` serves it to nginx's metrics server.
    public static func run(configuration: Configuration, listen: String? = nil, threads: Int? = nil,
                           registry: PrometheusCollectorRegistry? = nil) throws {
        let logger = configuration.logger(label: "datacovey.fcgi")
        if try DevelopmentSignIn.decide(configuration) == .allowedPublicly {
            logger.warning("development sign-in is served on a public URL (DATACOVEY_DEVELOPMENT_SIGNIN=1): anyone can sign in as any local user",
                           metadata: ["public_url": .string(configuration.web.publicURL)])
        }
        let database = Database(pool: Database.responderPool(configuration))
        // Rows are read and written on the data account (dc_app has no rights in dcd_*).
        let dataDatabases = DataDatabases(pool: MariaDBPool(
            configuration: configuration.dataDatabase, maxConnections: configuration.poolSize,
            leaseTimeout: .milliseconds(configuration.leaseTimeoutMilliseconds)), timeTravelDays: configuration.timeTravelDays)
        if configuration.auth.usesDevelopmentIssuer {
            // Creates the development key and JWKS on first start; Auth0 needs nothing local.
            _ = try DevelopmentIssuer(directory: configuration.auth.developmentDirectory).signer()
        }
        let queries = QueryService(configuration: configuration, logger: logger)
        var router = Routes.make(database: database, dataDatabases: dataDatabases, verifier: configuration.auth.makeVerifier(),
                                 files: JobFiles(dataDirectory: configuration.dataDirectory), queries: queries,
                                 trashRetentionDays: configuration.trashRetentionDays)
        Routes.addPages(to: &router, database: database, dataDatabases: dataDatabases, queries: queries,
                        configuration: configuration)
        if let registry {
            let pools = PoolMetrics([(name: "app", pool: database.pool), (name: "data", pool: dataDatabases.pool)])
            MetricsEndpoint(registry: registry, pools: pools).register(on: &router)
        }
        let application = Application(router: router, configuration: configuration, logger: logger)
        let server = try FastCGIServer(
            configuration: .init(
                address: ListenAddress(parsing: listen ?? configuration.fastCGIListen),
                threadCount: threads ?? configuration.fastCGIThreads,
                maxBodyBytes: configuration.maxBodyBytes),
            handler: { request, writer in application.handle(request, writer: writer) })
        let trap = SignalTrap { signal in
            logger.info("signal received, finishing requests in flight", metadata: ["signal": .stringConvertible(signal)])
            server.stop()
        }
        logger.info("responder listening", metadata: [
            "listen": .string(listen ?? configuration.fastCGIListen),
            "threads": .stringConvertible(server.configuration.threadCount),
        ])
        withExtendedLifetime(trap) { server.run() }
        database.shutDown()
        dataDatabases.shutDown()
        queries.shutDown()
        logger.info("responder stopped")
    }
}
