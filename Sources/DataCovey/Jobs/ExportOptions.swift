import Foundation

/// What an export writes: the body of `POST /api/v1/tables/{id}/exports`, kept with the job.
struct ExportOptions: Codable, Equatable, Sendable {
    enum Format: String, Codable, Sendable, FixedChoice { case csv, ndjson }
    enum Compression: String, Codable, Sendable, FixedChoice { case none, gzip }

    var format: Format = .csv
    var compression: Compression = .none
    /// The columns to write, in this order; nil for all, in table order.
    var columns: [String]?
    /// Row filters as the rows list takes them: column → `eq.value`, `lt.…`, `gt.…`, `like.…`, `is.null`.
    var filter: [String: String]?
    /// For an export of a saved query: its parameter values (declared defaults fill the rest).
    var params: JSONValue?
    /// CSV only: prefix text cells that start like a spreadsheet formula with `'` (nil: yes).
    var escapeFormulas: Bool?
    /// A table's export only: the rows as they were at this instant (RFC 3339; stored as
    /// `AsOf.text`, UTC), checked against the tenant's time-travel window when the job starts.
    var asOf: String?

    static let fields: Set<String> = ["format", "compression", "columns", "filter", "escape_formulas", "as_of"]
    /// A query's export takes its rows from the query, so no columns or filter.
    static let queryFields: Set<String> = ["format", "compression", "params", "escape_formulas"]

    enum CodingKeys: String, CodingKey { case format, compression, columns, filter, params, escapeFormulas, asOf }

    /// Whether text cells are written formula-safe: on by default for CSV, the format people
    /// open in spreadsheets (OWASP's CSV injection advice); NDJSON is for programs and never is.
    var escapesFormulas: Bool { format == .csv && (escapeFormulas ?? true) }

    init() {}

    /// Absent fields take their defaults (a client may send `{}`).
    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decodeIfPresent(Format.self, forKey: .format) ?? .csv
        compression = try container.decodeIfPresent(Compression.self, forKey: .compression) ?? .none
        columns = try container.decodeIfPresent([String].self, forKey: .columns)
        filter = try container.decodeIfPresent([String: String].self, forKey: .filter)
        params = try container.decodeIfPresent(JSONValue.self, forKey: .params)
        escapeFormulas = try container.decodeIfPresent(Bool.self, forKey: .escapeFormulas)
        asOf = try container.decodeIfPresent(String.self, forKey: .asOf)
        if escapeFormulas == true && format == .ndjson {
            throw DomainError.invalid("escape_formulas applies to CSV exports only.",
                                       errors: [.init(field: "escape_formulas", message: "is for CSV only")])
        }
    }

    /// Every field, null when unset.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(compression, forKey: .compression)
        try container.encode(columns, forKey: .columns)
        try container.encode(filter, forKey: .filter)
        try container.encode(params, forKey: .params)
        try container.encode(escapeFormulas, forKey: .escapeFormulas)
        try container.encode(asOf, forKey: .asOf)
    }

    /// The file's suffix and media type.
    var suffix: String { format.rawValue + (compression == .gzip ? ".gz" : "") }
    var mediaType: String {
        compression == .gzip ? "application/gzip" : (format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson")
    }

    /// The filter as (column, expression) pairs, in a stable order.
    var filterPairs: [(String, String)] { (filter ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// The columns to export from `all`, or a 400 naming the first unknown one.
    func selectedColumns(of all: [RowStore.Column]) throws -> [RowStore.Column] {
        guard let columns else { return all }
        guard !columns.isEmpty else {
            throw DomainError.invalid("columns must name at least one column.", errors: [.init(field: "columns", message: "is empty")])
        }
        return try columns.enumerated().map { index, name in
            guard let column = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw DomainError.invalid("There is no column \(name.prefix(64)) to export.",
                                           errors: [.init(field: "columns.\(index)", message: "is not a column")])
            }
            return column
        }
    }
}
