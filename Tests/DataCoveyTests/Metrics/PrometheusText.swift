import Foundation
import XCTest

/// A scraped Prometheus text page, read the way a test needs it: sample values by their exact
/// series (`name{labels}` as the registry renders it) and the declared family types.
struct PrometheusText {
    let text: String

    /// The sample of `series`, or 0 when it is absent (a counter not yet incremented).
    func value(_ series: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? .nan
        }
        return 0
    }

    /// The type each family declares in its `# TYPE` line.
    var types: [String: String] {
        var types: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
        }
        return types
    }

    /// Lines that are neither a comment nor `name{labels} value` with a number.
    var malformedLines: [String] {
        let sample = try! NSRegularExpression(pattern: #"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? ([-+0-9.eE]+|[+-]Inf|NaN)$"#)
        return text.split(separator: "\n").map(String.init).filter { line in
            if line.hasPrefix("# ") { return false }
            return sample.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) == nil
        }
    }
}
