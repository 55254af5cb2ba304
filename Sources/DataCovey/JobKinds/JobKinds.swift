/// Every kind of job there is. The worker runs a queue for each, in this order; cancellation,
/// file retention, the trash, its purge, history, audit and history maintenance read this list
/// rather than naming kinds. A new kind is a file declaring its `JobKind` and a line here;
/// `JobKindRegistryTests` then says what else (schema, grants, triggers, API document) it lacks.
enum JobKinds {
    static let all: [JobKind] = [
        .imports,
        .exports,
    ]

    /// The kind whose table (or tenant view) is `table`.
    static func kind(table: String) -> JobKind? { all.first { $0.table == table } }

    /// "an import or export": any job, in a message that must name them all.
    static var anyJob: String {
        let nouns = all.map(\.noun)
        guard let first = nouns.first else { return "a job" }
        let article = "aeiou".contains(first.prefix(1)) ? "an" : "a"
        let listed = nouns.count > 1 ? nouns.dropLast().joined(separator: ", ") + " or " + nouns[nouns.count - 1] : first
        return "\(article) \(listed)"
    }
}

/// Every kind of source an export reads, in the order a claimed export's columns are read. A
/// new source is a file declaring its `ExportSourceKind` and a line here.
enum ExportSources {
    static let all: [ExportSourceKind] = [
        .table,
        .query,
    ]
}
