import MariaDB

/// A declared parameter of a saved query: its name (`:name` in the SQL), a column type its
/// values must fit, and an optional default. Stored in `queries.parameters` as the API shows it.
struct QueryParameter: Codable, Sendable, Equatable {
    let name: String
    let type: String
    let `default`: JSONValue?

    /// `default` is written as null when absent, so clients always see the field.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(`default` ?? .null, forKey: .default)
    }

    enum CodingKeys: String, CodingKey { case name, type, `default` }

    /// The stored column (`queries.parameters`, JSON or NULL) as declarations.
    static func list(stored text: String?) throws -> [QueryParameter] {
        try text.map { try StoredJSON.decode([QueryParameter].self, from: $0) } ?? []
    }

    func columnType() throws -> ColumnType {
        guard let type = ColumnType(type) else {
            throw DomainError.invalid("Parameter \(name) has an unknown type \(self.type).",
                                       errors: [.init(field: "parameters", message: "unknown type \(self.type)")])
        }
        return type
    }
}

/// Binds the values a request gives to the markers of an accepted query. Values always travel
/// as binds beside the SQL, never inside it.
enum QueryParameters {
    /// `given`: a JSON array for `?` markers, an object for `:name` markers (or absent when the
    /// query has none). `declared`: a saved query's typed parameters, which check and convert
    /// values and supply defaults; ad hoc values bind as their JSON type.
    static func binds(for accepted: SQLGuard.Accepted, given: JSONValue?, declared: [QueryParameter] = []) throws -> [MariaDBValue] {
        if accepted.positionalParameters > 0 && !accepted.namedParameters.isEmpty {
            throw problem("Use either ? or :name parameters in one query, not both.")
        }
        if accepted.positionalParameters > 0 {
            guard case .array(let values)? = given else {
                throw problem("The query has \(accepted.positionalParameters) ? parameter(s): give params as a JSON array.")
            }
            guard values.count == accepted.positionalParameters else {
                throw problem("The query has \(accepted.positionalParameters) ? parameter(s) but params has \(values.count) value(s).")
            }
            return try values.enumerated().map { index, value in try untyped(value, name: "params[\(index)]") }
        }
        var supplied: [String: JSONValue] = [:]
        switch given {
        case nil, .null?: break
        case .object(let members)?: supplied = members
        case .array(let values)? where values.isEmpty: break
        default: throw problem("params must be a JSON object of :name values.")
        }
        let used = Set(accepted.namedParameters)
        let unknown = supplied.keys.filter { !used.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw problem("The query has no parameter named \(unknown.map { ":" + $0 }.joined(separator: ", ")).")
        }
        let declarations = Dictionary(declared.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        return try accepted.namedParameters.map { name in
            let declaration = declarations[name]
            guard let value = supplied[name] ?? declaration?.default else {
                throw problem("Parameter :\(name) has no value.")
            }
            guard let declaration else { return try untyped(value, name: ":" + name) }
            switch RowValueCodec.bind(value, for: try declaration.columnType()) {
            case .success(let bind): return bind
            case .failure(let failure): throw problem("Parameter :\(name) \(failure.message).")
            }
        }
    }

    /// A JSON scalar as the bind of its own type.
    private static func untyped(_ value: JSONValue, name: String) throws -> MariaDBValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .integer(let number): return .int(number)
        case .number(let number): return .double(number)
        case .string(let text): return .text(text)
        case .array, .object: throw problem("Parameter \(name) must be a string, number, boolean or null.")
        }
    }

    private static func problem(_ detail: String) -> DomainError {
        DomainError.invalid(detail, errors: [.init(field: "params", message: detail)])
    }
}


import Foundation
