@testable import DataCovey
import Logging
import MariaDB

/// The routes the responder serves, from the same `Routes.make`, built from objects that connect
/// only when used: tests compare it with what they cover.
enum ServedRoutes {
    static func list() throws -> [(method: String, pattern: String)] {
        let configuration = try Configuration.fromEnvironment([:])
        return Routes.make(
            database: Database(pool: MariaDBPool(configuration: configuration.appDatabase, maxConnections: 1)),
            dataDatabases: DataDatabases(pool: MariaDBPool(configuration: configuration.dataDatabase, maxConnections: 1)),
            verifier: configuration.auth.makeVerifier(),
            files: JobFiles(dataDirectory: configuration.dataDirectory),
            queries: QueryService(configuration: configuration, logger: Logger(label: "routes"))).routeList
    }
}
