/// First line of defence for user-written queries (MariaDB 10.11 dialect).
///
/// The query later runs on a restricted per-project account inside a READ ONLY
/// transaction; this guard exists so that users get a clear reason up front, and so that
/// side effects the server would still allow under those restrictions (sleeping, locks,
/// sequences, session variables, file reads) never reach it. It accepts exactly one
/// `SELECT` (optionally `WITH … SELECT`, or parenthesized SELECT/UNION) and reports the
/// tables it reads so a later step can map logical names to physical ones.
enum SQLGuard {
    /// A table the query reads, as written: `dataset.table` or a bare `table`.
    struct TableReference: Equatable, Sendable {
        let qualifier: String?
        let name: String
        /// UTF-8 range of the whole reference (`ds . t` included) in the query.
        var source: Range<Int> = 0..<0
        /// Whether an alias follows (`t AS x`, `t x`); if not, a rewrite must keep `t` usable
        /// as a qualifier by adding one.
        var hasAlias = false
        /// UTF-8 range of the `FOR SYSTEM_TIME …` clause after the name, if any
        /// (SQLGuardSystemTime), and its token indices.
        var systemTime: Range<Int>?
        var systemTimeTokens: Range<Int>?
        /// Where an added alias goes: after the name, or after its `FOR SYSTEM_TIME` clause
        /// (MariaDB wants `t FOR SYSTEM_TIME … AS x`).
        var aliasPosition = 0

        init(_ qualifier: String?, _ name: String) {
            self.qualifier = qualifier
            self.name = name
        }

        /// Equal by name: where it was written does not change what it reads.
        static func == (lhs: TableReference, rhs: TableReference) -> Bool {
            lhs.qualifier == rhs.qualifier && lhs.name == rhs.name
        }
    }

    /// What an accepted query reads and which parameters it expects.
    struct Accepted: Equatable, Sendable {
        /// Table references in order of appearance (CTE names and derived tables excluded;
        /// a table read twice appears twice).
        let tables: [TableReference]
        /// Number of `?` markers.
        let positionalParameters: Int
        /// `:name` markers in order of appearance, repeats included, so they can be bound by position.
        let namedParameters: [String]
        /// UTF-8 range of each `:name` marker, in the order of `namedParameters`.
        var namedParameterSources: [Range<Int>] = []
        /// UTF-8 offset where the statement's last token ends (before any `;` or comment after it).
        var statementEnd = 0

        init(tables: [TableReference], positionalParameters: Int, namedParameters: [String],
             namedParameterSources: [Range<Int>] = []) {
            self.tables = tables
            self.positionalParameters = positionalParameters
            self.namedParameters = namedParameters
            self.namedParameterSources = namedParameterSources
        }

        static func == (lhs: Accepted, rhs: Accepted) -> Bool {
            lhs.tables == rhs.tables && lhs.positionalParameters == rhs.positionalParameters
                && lhs.namedParameters == rhs.namedParameters
        }
    }

    /// Checks one user query; throws a `Rejection` whose message can be shown to the user.
    static func check(_ sql: String) throws(Rejection) -> Accepted {
        let tokens: [SQLToken]
        do throws(SQLTokenizer.Failure) {
            tokens = try SQLTokenizer.tokenize(sql)
        } catch {
            throw Rejection(error)
        }
        let statement = try SQLGuardStatement(tokens: tokens)
        try SQLGuardTokenRules.check(statement)
        let tables = try SQLGuardTableCollector.collect(statement)
        let clauses = tables.compactMap(\.systemTimeTokens)
        try SQLGuardSystemTime.refuseStray(statement, read: Set(clauses.map(\.lowerBound)))
        // A "…" literal would be a name under ANSI_QUOTES: instants are written with single quotes.
        let bytes = Array(sql.utf8)
        for range in clauses {
            for token in statement.tokens[range] where token.kind == .string && bytes[token.offset] != UInt8(ascii: "'") {
                throw Rejection(.systemTime, "Write the instant in FOR SYSTEM_TIME in single quotes ('2026-12-01 10:00:00').")
            }
        }
        let body = statement.tokens
        var accepted = Accepted(
            tables: tables,
            positionalParameters: body.lazy.filter { $0.kind == .positionalParameter }.count,
            namedParameters: body.filter { $0.kind == .namedParameter }.map(\.text),
            namedParameterSources: body.filter { $0.kind == .namedParameter }.map(\.source)
        )
        accepted.statementEnd = body.last?.end ?? 0
        return accepted
    }
}
