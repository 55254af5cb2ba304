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

        init(_ qualifier: String?, _ name: String) {
            self.qualifier = qualifier
            self.name = name
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
        let body = statement.tokens
        return Accepted(
            tables: tables,
            positionalParameters: body.lazy.filter { $0.kind == .positionalParameter }.count,
            namedParameters: body.filter { $0.kind == .namedParameter }.map(\.text)
        )
    }
}
