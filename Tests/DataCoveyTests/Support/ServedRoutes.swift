@testable import DataCovey
import Logging
import MariaDB

/// The routes the responder serves, from the same `Routes.make` and `Routes.addPages` that
/// `Responder.run` calls, built from objects that connect only when used: tests compare them
/// with what they cover.
enum ServedRoutes {
    /// The API's routes (`Routes.make`).
    static func list() throws -> [(method: String, pattern: String)] {
        let parts = try Parts()
        return Routes.make(database: parts.database, dataDatabases: parts.dataDatabases, verifier: parts.configuration.auth.makeVerifier(),
                           files: JobFiles(dataDirectory: parts.configuration.dataDirectory), queries: parts.queries).routeList
    }

    /// The browser's pages and sign-in (`Routes.addPages`), with the development provider's
    /// routes as the test stack has them (no Auth0 configured).
    static func pages() throws -> [(method: String, pattern: String)] {
        let parts = try Parts()
        var router = Router()
        Routes.addPages(to: &router, database: parts.database, dataDatabases: parts.dataDatabases, queries: parts.queries,
                        configuration: parts.configuration)
        return router.routeList
    }

    /// What both registrations take, from an empty environment: pools that connect only when used.
    private struct Parts {
        let configuration: Configuration
        let database: Database
        let dataDatabases: DataDatabases
        let queries: QueryService

        init() throws {
            configuration = try Configuration.fromEnvironment([:])
            database = Database(pool: MariaDBPool(configuration: configuration.appDatabase, maxConnections: 1))
            dataDatabases = DataDatabases(pool: MariaDBPool(configuration: configuration.dataDatabase, maxConnections: 1))
            queries = QueryService(configuration: configuration, logger: Logger(label: "routes"))
        }
    }
}
