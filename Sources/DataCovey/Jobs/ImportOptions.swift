import Foundation

/// How to read an uploaded file, from the query string of `POST /api/v1/tables/{id}/imports`
/// (or the text fields of a multipart upload). Stored with the job as JSON, so the worker reads
/// the file exactly as the request asked.
struct ImportOptions: Codable, Equatable, Sendable {
    enum Format: String, Codable, Sendable, FixedChoice { case csv, ndjson }
    enum Mode: String, Codable, Sendable, FixedChoice { case append, replace }

    var format: Format
    var mode: Mode = .append
    /// CSV: the first record names the columns (matched by name, in any order).
    var header = true
    var delimiter: String = ","
    var quote: String = "\""
    /// CSV: an unquoted field equal to this is NULL (default: the empty field).
    var nullMarker: String = ""
    var maxBadRecords = 0
    var dryRun = false

    enum CodingKeys: String, CodingKey {
        case format, mode, header, delimiter, quote
        case nullMarker = "null_marker", maxBadRecords = "max_bad_records", dryRun = "dry_run"
    }

    static let parameterNames: Set<String> = ["format", "mode", "header", "delimiter", "quote", "null_marker",
                                              "max_bad_records", "dry_run"]

    /// Reads the options from `value(name)`; the media type decides the format unless `format`
    /// says otherwise. Every bad value is a 400 naming the parameter.
    init(mediaType: String?, _ value: (String) -> String?) throws {
        func bad(_ name: String, _ message: String) -> DomainError {
            .invalid("\(name) \(message).", errors: [.init(field: name, message: message)])
        }
        func flag(_ name: String, default fallback: Bool) throws -> Bool {
            guard let text = value(name) else { return fallback }
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw bad(name, "must be true or false")
            }
        }
        func singleByte(_ name: String, default fallback: String) throws -> String {
            guard let text = value(name) else { return fallback }
            let decoded = text == "\\t" ? "\t" : text
            guard decoded.utf8.count == 1, let byte = decoded.utf8.first, byte != 0x0A, byte != 0x0D else {
                throw bad(name, "must be one ASCII character (\\t for a tab)")
            }
            return decoded
        }
        if let text = value("format") {
            guard let format = Format(rawValue: text.lowercased()) else { throw bad("format", "must be csv or ndjson") }
            self.format = format
        } else {
            switch mediaType {
            case "application/x-ndjson", "application/ndjson", "application/jsonl": self.format = .ndjson
            default: self.format = .csv
            }
        }
        if let text = value("mode") {
            guard let mode = Mode(rawValue: text.lowercased()) else { throw bad("mode", "must be append or replace") }
            self.mode = mode
        }
        header = try flag("header", default: true)
        dryRun = try flag("dry_run", default: false)
        delimiter = try singleByte("delimiter", default: ",")
        quote = try singleByte("quote", default: "\"")
        guard delimiter != quote else { throw bad("quote", "must differ from the delimiter") }
        if let text = value("null_marker") {
            guard text.utf8.count <= 64 else { throw bad("null_marker", "must be at most 64 bytes") }
            nullMarker = text
        }
        if let text = value("max_bad_records") {
            guard let number = Int(text), (0...1_000_000_000).contains(number) else {
                throw bad("max_bad_records", "must be an integer from 0")
            }
            maxBadRecords = number
        }
    }

    init(format: Format) { self.format = format }
}
