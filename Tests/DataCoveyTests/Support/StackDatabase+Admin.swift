import Foundation
import TestSupport
import XCTest

extension StackDatabase {
    /// Runs `datacovey-admin` as operators do: the real executable, which sits next to the test
    /// bundle in the build folder, against the test stack.
    func admin(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let binDirectory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().path
        let executable = "\(binDirectory)/datacovey-admin"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw XCTSkip("datacovey-admin is not built next to the tests (\(executable))")
        }
        var environment = stack.environment
        environment["DATACOVEY_LOG_LEVEL"] = "error"
        environment.merge(extra) { $1 }
        return try ChildProcess.run([executable] + arguments, environment: environment)
    }
}
