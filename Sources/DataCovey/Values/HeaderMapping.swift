import Foundation

/// A header (CSV) or member name (NDJSON) an import matched to a column under another name,
/// because it could not be a column name as written (`On Street` → on_street, see
/// `ColumnNames`). The job lists them, so nobody has to guess where a header's values went.
struct HeaderMapping: Codable, Equatable, Sendable {
    let header: String
    let column: String

    /// At most this many are kept for one import; member names come from every NDJSON line.
    static let limit = 100

    /// The JSON array the job's `header_mapping` column holds; nil when there is none.
    static func json(_ mappings: [HeaderMapping]) -> String? {
        guard !mappings.isEmpty else { return nil }
        return try? StoredJSON.encode(mappings)
    }
}
