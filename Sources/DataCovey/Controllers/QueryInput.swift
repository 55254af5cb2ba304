/// The body of an ad hoc query or a run of a saved one.
struct QueryRunInput: Decodable {
    static let adHocFields: Set<String> = ["sql", "params", "limit", "dry_run", "escape_formulas"]
    static let runFields: Set<String> = ["params", "limit", "dry_run", "escape_formulas"]
    static let sqlLimit = 100_000

    let sql: String?
    let params: JSONValue?
    let limit: Int?
    let dryRun: Bool?
    /// For `Accept: text/csv`: prefix text cells that start like a formula with `'`. Off by
    /// default here, since a program asked; the pages' CSV downloads, meant for spreadsheets,
    /// turn it on.
    var escapeFormulas: Bool? = nil

    // JSON.decode maps `dry_run` to `dryRun` itself.
    enum CodingKeys: String, CodingKey { case sql, params, limit, dryRun, escapeFormulas }

    static let empty = QueryRunInput(sql: nil, params: nil, limit: nil, dryRun: nil)

    func validate(rowCap: Int) throws {
        if let limit, !(1...rowCap).contains(limit) {
            throw HTTPError.badRequest("limit must be an integer from 1 to \(rowCap).",
                                       errors: [.init(field: "limit", message: "must be 1–\(rowCap)")])
        }
    }

    static func validate(sql: String) throws {
        guard !sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw HTTPError.badRequest("Field sql must not be empty.", errors: [.init(field: "sql", message: "is empty")])
        }
        guard sql.utf8.count <= sqlLimit else {
            throw HTTPError.badRequest("Field sql must be at most \(sqlLimit) bytes.", errors: [.init(field: "sql", message: "is too long")])
        }
    }
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

/// What a saved query must satisfy: SQL the guard accepts, and parameter declarations with
/// unique names, known types, defaults that fit, each used by the SQL.
enum SavedQueryRules {
    static func validate(sql: String, parameters: [QueryParameter]) throws {
        try QueryRunInput.validate(sql: sql)
        let accepted = try QueryPlan.check(sql)
        var seen: Set<String> = []
        let used = Set(accepted.namedParameters)
        for parameter in parameters {
            func refuse(_ message: String) -> HTTPError {
                .badRequest("Parameter \(parameter.name) \(message).", errors: [.init(field: "parameters", message: message)])
            }
            guard seen.insert(parameter.name).inserted else { throw refuse("is declared twice") }
            guard used.contains(parameter.name) else { throw refuse("is not used in the SQL as :\(parameter.name)") }
            guard let type = ColumnType(parameter.type) else { throw refuse("has an unknown type \(parameter.type)") }
            if let value = parameter.default, case .failure(let problem) = RowValueCodec.bind(value, for: type) {
                throw refuse("has a default that \(problem.message)")
            }
        }
        // A :name the declarations leave out would fail every run: refuse it now.
        let declared = Set(parameters.map(\.name))
        if let missing = accepted.namedParameters.first(where: { !declared.contains($0) }) {
            throw HTTPError.badRequest("The SQL uses :\(missing), which is not declared; add it to parameters with a type.",
                                       errors: [.init(field: "parameters", message: ":\(missing) is used but not declared")])
        }
    }
}

import Foundation
