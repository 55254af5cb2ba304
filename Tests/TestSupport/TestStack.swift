import Foundation
import XCTest

/// The running stack that `scripts/test` started (MariaDB, responder, worker, nginx), described by
/// environment variables. Outside `scripts/test` the integration tests skip; under it
/// (`DATACOVEY_TEST_STACK=1`) a missing piece is a failure, so CI can never skip them silently.
public struct TestStack {
    public let environment: [String: String]
    public let runDirectory: String
    public let repositoryDirectory: String
    public let port: Int
    /// nginx's local metrics server (`/metrics`, `/metrics/worker`).
    public let metricsPort: Int
    public let fastCGISocket: String
    public let databaseSocket: String
    public let controlScript: String

    public static func require(file: StaticString = #filePath, line: UInt = #line) throws -> TestStack {
        let environment = ProcessInfo.processInfo.environment
        guard environment["DATACOVEY_TEST_STACK"] == "1" else {
            throw XCTSkip("needs the stack started by scripts/test (DATACOVEY_TEST_STACK=1)")
        }
        func value(_ name: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                XCTFail("scripts/test did not set \(name)", file: file, line: line)
                throw XCTSkip("missing \(name)")
            }
            return value
        }
        return TestStack(
            environment: environment,
            runDirectory: try value("DATACOVEY_RUN_DIR"),
            repositoryDirectory: try value("DATACOVEY_REPO_DIR"),
            port: Int(try value("DATACOVEY_PORT")) ?? 0,
            metricsPort: Int(try value("DATACOVEY_METRICS_PORT")) ?? 0,
            fastCGISocket: try value("DATACOVEY_FCGI_SOCKET"),
            databaseSocket: try value("DATACOVEY_DB_SOCKET"),
            controlScript: try value("DATACOVEY_TEST_STACKCTL"))
    }

    /// Runs `scripts/stackctl <arguments>` (db-stop, db-start, responder-pid) and returns its output.
    @discardableResult
    public func control(_ arguments: String...) throws -> String {
        let (status, output) = try ChildProcess.run(["/bin/bash", controlScript] + arguments, environment: environment)
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0 else {
            throw NSError(domain: "stackctl", code: Int(status),
                          userInfo: [NSLocalizedDescriptionKey: "stackctl \(arguments) failed: \(text)"])
        }
        return text
    }

    /// GET/POST through nginx.
    public func http(_ method: String = "GET", _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPTestClient.Response {
        try HTTPTestClient.request(port: port, method: method, path: path, headers: headers, body: body)
    }

    /// GET from nginx's metrics server.
    public func metrics(_ path: String, headers: [(String, String)] = []) throws -> HTTPTestClient.Response {
        try HTTPTestClient.request(port: metricsPort, method: "GET", path: path, headers: headers)
    }

    /// Polls `condition` every 100 ms until it holds or `seconds` pass; returns whether it held.
    public static func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }
}
