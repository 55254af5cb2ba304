@testable import DataCovey
import Foundation
import TestSupport
import XCTest

/// Development sign-in (pick any local user) never goes live on a public site by accident
/// (issue 14): without Auth0, the responder starts only on a loopback public URL, unless
/// `DATACOVEY_DEVELOPMENT_SIGNIN=1` says so.
final class DevelopmentSignInTests: XCTestCase {
    private func decide(_ environment: [String: String]) throws -> DevelopmentSignIn {
        try DevelopmentSignIn.decide(try Configuration.fromEnvironment(environment))
    }

    func testLoopbackURLsServeItAndPublicOnesNeedTheSwitch() throws {
        for url in ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.1.2.3"] {
            XCTAssertEqual(try decide(["DATACOVEY_PUBLIC_URL": url]), .local, url)
        }
        for url in ["https://data.example.com", "http://127.0.0.1.example.com", "http://10.0.0.5:8080", "http://0.0.0.0:8080"] {
            XCTAssertThrowsError(try decide(["DATACOVEY_PUBLIC_URL": url]), url) { error in
                XCTAssertTrue("\(error)".hasPrefix("DATACOVEY_PUBLIC_URL=\(url) is not a loopback address"), "\(error)")
            }
            XCTAssertEqual(try decide(["DATACOVEY_PUBLIC_URL": url, "DATACOVEY_DEVELOPMENT_SIGNIN": "1"]), .allowedPublicly, url)
        }
        XCTAssertEqual(try decide(["DATACOVEY_PUBLIC_URL": "https://data.example.com", "DATACOVEY_AUTH0_DOMAIN": "acme.eu.auth0.com"]), .off)
        XCTAssertThrowsError(try decide(["DATACOVEY_DEVELOPMENT_SIGNIN": "yes"])) {
            XCTAssertEqual("\($0)", "DATACOVEY_DEVELOPMENT_SIGNIN=yes is invalid: expected 1 or 0")
        }
    }

    /// The real executable, as an operator who followed the production README without Auth0
    /// would start it: it refuses, names the setting, and never listens.
    func testTheResponderRefusesToStartOnAPublicURLWithoutAuth0() throws {
        let binDirectory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent().path
        let runDirectory = NSTemporaryDirectory() + "dc-devsignin-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: runDirectory) }
        let socket = runDirectory + "/fcgi.sock"
        let started = try ChildProcess.run(["\(binDirectory)/datacovey-fcgi"], environment: [
            "DATACOVEY_RUN_DIR": runDirectory, "DATACOVEY_FCGI_SOCKET": socket,
            "DATACOVEY_PUBLIC_URL": "https://data.example.com", "DATACOVEY_SESSION_SECRET": "0123456789abcdef0123456789abcdef",
        ])
        XCTAssertEqual(started.status, 1, started.output)
        XCTAssertTrue(started.output.contains("DATACOVEY_PUBLIC_URL=https://data.example.com is not a loopback address and no Auth0 is configured"),
                      started.output)
        XCTAssertTrue(started.output.contains("DATACOVEY_DEVELOPMENT_SIGNIN=1"), started.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket), "it never listened")
    }
}
