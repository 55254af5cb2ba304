@testable import DataCovey
import Foundation
import Logging
import XCTest

/// The JSON line format of the responder's and the worker's logs; no stack needed.
final class JSONLogHandlerTests: XCTestCase {
    func testALineIsOneJSONObjectWithTypedMetadataInKeyOrder() throws {
        let bytes = JSONLogHandler.line(
            time: Date(timeIntervalSince1970: 1_780_000_000.25), level: .warning, label: "datacovey.fcgi",
            message: "say \"hi\"\nthere",
            metadata: ["status": .stringConvertible(404), "duration_ms": .stringConvertible(1.5), "route": "/api/v1/me",
                       "tags": ["a", "b"], "nested": ["k": "v"]])
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), #"""
            {"time":"2026-05-28T20:26:40.250Z","level":"warning","logger":"datacovey.fcgi","message":"say \"hi\"\nthere",\#
            "duration_ms":1.5,"nested":{"k":"v"},"route":"/api/v1/me","status":404,"tags":["a","b"]}
            """#)
        XCTAssertFalse(bytes.contains(0x0A), "one line")
    }
}
