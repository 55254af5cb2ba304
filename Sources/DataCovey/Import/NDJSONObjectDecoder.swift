/// Decodes one NDJSON line into the members of its JSON object, the shape every imported row must
/// have. A line that is something else is a problem of that row, returned rather than thrown, so
/// the worker rejects the row and goes on.
///
/// Values decode as `JSONValue` does everywhere in DataCovey: numbers as `Int64` when they fit,
/// else `Double`. Parsed by `JSONLineParser` (JSONDecoder was the import's bottleneck).
struct NDJSONObjectDecoder {
    func decode(_ line: NDJSONLine) -> Result<[String: JSONValue], NDJSONLineProblem> {
        decodeObject(line.bytes)
    }

    func decodeObject(_ bytes: [UInt8]) -> Result<[String: JSONValue], NDJSONLineProblem> {
        switch JSONLineParser.parse(bytes) {
        case .object(let members)?: .success(members)
        case .some: .failure(.notAnObject)
        case nil: .failure(.invalidJSON)
        }
    }
}

/// Why an NDJSON line is not a row; the raw value is the reason shown in the import report.
enum NDJSONLineProblem: String, Error, Equatable, Sendable {
    case notAnObject = "line is not a JSON object"
    case invalidJSON = "line is not valid JSON"
}
