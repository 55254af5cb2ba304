/// The body of an ad hoc query or a run of a saved one.
struct QueryRunInput: Decodable {
    static let adHocFields: Set<String> = ["sql", "params", "limit", "dry_run", "escape_formulas", "as_of"]
    static let runFields: Set<String> = ["params", "limit", "dry_run", "escape_formulas", "as_of"]

    let sql: String?
    let params: JSONValue?
    let limit: Int?
    let dryRun: Bool?
    /// For `Accept: text/csv`: prefix text cells that start like a formula with `'`. Off by
    /// default here, since a program asked; the pages' CSV downloads, meant for spreadsheets,
    /// turn it on.
    var escapeFormulas: Bool? = nil
    /// Read every table without a FOR SYSTEM_TIME clause of its own as it was at this instant
    /// (RFC 3339; QueryRewriter).
    var asOf: String? = nil

    // JSON.decode maps `dry_run` to `dryRun` itself.
    enum CodingKeys: String, CodingKey { case sql, params, limit, dryRun, escapeFormulas, asOf }

    static let empty = QueryRunInput(sql: nil, params: nil, limit: nil, dryRun: nil)

    /// What the run asks for besides its SQL.
    var options: QueryOperations.Options { .init(params: params, limit: limit, dryRun: dryRun ?? false, asOf: asOf) }
}

/// The body of creating a saved query.
struct SavedQueryInput: Decodable {
    static let fields: Set<String> = ["name", "description", "sql", "parameters"]

    let name: String
    let description: String?
    let sql: String
    let parameters: [QueryParameter]?
}

/// A merge patch of a saved query.
struct SavedQueryPatch: Decodable {
    let name: String?
    let description: String??
    let sql: String?
    let parameters: [QueryParameter]?

    enum CodingKeys: String, CodingKey { case name, description, sql, parameters }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        description = container.contains(.description)
            ? .some(try container.decodeIfPresent(String.self, forKey: .description)) : .none
        sql = try container.decodeIfPresent(String.self, forKey: .sql)
        parameters = try container.decodeIfPresent([QueryParameter].self, forKey: .parameters)
    }
}
