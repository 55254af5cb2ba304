import Foundation
import MariaDB
import TestSupport
import XCTest

/// A database of its own on the test stack's MariaDB, reached as the superuser over the unix
/// socket; the MariaDB module's tests know nothing of DataCovey's schema.
struct ScratchDatabase {
    let stack: TestStack
    let name: String

    static func require() throws -> ScratchDatabase {
        let stack = try TestStack.require()
        let scratch = ScratchDatabase(stack: stack, name: "dc_mariadb_tests")
        let admin = try MariaDBConnection.connect(scratch.configuration(database: nil))
        defer { admin.close() }
        try admin.executeText("CREATE DATABASE IF NOT EXISTS \(scratch.name)")
        return scratch
    }

    var superuser: String {
        stack.environment["DATACOVEY_MIGRATE_DB_USER"] ?? stack.environment["DATACOVEY_DB_SUPERUSER"] ?? "root"
    }

    func configuration(database: String? = "dc_mariadb_tests", sessionSetup: [String] = ["SET time_zone = '+00:00'"]) -> MariaDBConfiguration {
        MariaDBConfiguration(endpoint: .unixSocket(path: stack.databaseSocket), user: superuser, database: database,
                             readTimeout: 20, writeTimeout: 20, sessionSetup: sessionSetup)
    }

    func connect() throws -> MariaDBConnection {
        try MariaDBConnection.connect(configuration())
    }

    /// A table name unique to one test.
    func uniqueTable(_ prefix: String) -> String {
        "\(prefix)_\(String(UInt32.random(in: 0..<UInt32.max), radix: 36))"
    }
}
