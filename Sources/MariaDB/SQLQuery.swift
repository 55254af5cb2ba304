/// SQL text and its bound values, built by string interpolation: every interpolated value becomes
/// a `?` placeholder and a bind, so a value can never change the statement's text.
///
///     let query: SQLQuery = "SELECT id FROM projects WHERE name = \(name) AND tenant_id = \(tenantID)"
///
/// Text that must be part of the statement (an identifier checked elsewhere) needs the explicit
/// `\(unsafeRaw: …)` interpolation, so it stands out in review.
public struct SQLQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var sql: String
    public private(set) var binds: [MariaDBValue]

    /// A statement made only of trusted text, with no values.
    public init(unsafeSQL sql: String, binds: [MariaDBValue] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.sql = value
        self.binds = []
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.binds = stringInterpolation.binds
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [MariaDBValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value: becomes `?` and a bind.
        public mutating func appendInterpolation(_ value: some MariaDBEncodable) {
            sql += "?"
            binds.append(value.mariaDBValue)
        }

        /// An optional value: `NULL` when nil. (Spelled out so call sites passing optionals
        /// are not mistaken for string formatting of an optional.)
        public mutating func appendInterpolation<Value: MariaDBEncodable>(_ value: Value?) {
            sql += "?"
            binds.append(value?.mariaDBValue ?? .null)
        }

        /// Trusted SQL text, spliced as is. Never pass user input here.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            sql += text
        }

        /// Another query, its text and binds appended in order.
        public mutating func appendInterpolation(_ query: SQLQuery) {
            sql += query.sql
            binds += query.binds
        }
    }

    /// Appends another query's text and binds.
    public mutating func append(_ other: SQLQuery) {
        sql += other.sql
        binds += other.binds
    }

    /// The SQL text only; binds are not printed, so logging a query never logs its values.
    public var description: String { sql }
}

extension Sequence where Element == SQLQuery {
    /// The queries one after another with `separator` between them (a trusted SQL piece such
    /// as ", " or " OR "), their binds in the same order.
    public func joined(separator: String) -> SQLQuery {
        var query = SQLQuery(unsafeSQL: "")
        for (index, part) in enumerated() {
            if index > 0 { query.append(SQLQuery(unsafeSQL: separator)) }
            query.append(part)
        }
        return query
    }
}
