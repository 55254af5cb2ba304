/// Names of projects, datasets, tables and columns: they become MariaDB identifiers, so they are
/// kept to letters, digits and `_`, at most 64 characters, and never a reserved word.
enum NameRules {
    static let maximumLength = 64

    /// Words MariaDB reserves (and a few of ours) that would need quoting everywhere.
    static let reserved: Set<String> = [
        "add", "all", "alter", "and", "as", "asc", "between", "by", "case", "check", "column", "constraint",
        "create", "cross", "current_date", "current_time", "current_timestamp", "current_user", "database",
        "databases", "default", "delete", "desc", "distinct", "drop", "else", "exists", "false", "for", "foreign",
        "from", "grant", "group", "having", "if", "in", "index", "inner", "insert", "interval", "into", "is",
        "join", "key", "keys", "left", "like", "limit", "lock", "match", "not", "null", "on", "option", "or",
        "order", "outer", "primary", "procedure", "references", "rename", "replace", "revoke", "right", "rows",
        "schema", "select", "set", "show", "table", "then", "to", "trigger", "true", "union", "unique", "update",
        "use", "user", "using", "values", "when", "where", "with",
    ]

    /// Names our metadata uses for its own columns; resources may not take them, table columns may.
    static let reservedForResources: Set<String> = ["id", "tenant_id", "version"]

    /// The problem with `name`, or nil when it is acceptable. Table columns may be called
    /// `id` or `version` (`isColumn`); projects, datasets and tables may not.
    static func problem(with name: String, isColumn: Bool = false) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count > maximumLength { return "must be at most \(maximumLength) characters" }
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else {
            return "must start with a letter or _"
        }
        guard name.utf8.allSatisfy({ isLetter($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") }) else {
            return "may contain only letters, digits and _"
        }
        if reserved.contains(name.lowercased()) || (!isColumn && reservedForResources.contains(name.lowercased())) {
            return "is a reserved word"
        }
        return nil
    }

    /// Throws a 400 naming `field` when `name` breaks the rules.
    static func validate(_ name: String, field: String = "name", isColumn: Bool = false) throws {
        if let problem = problem(with: name, isColumn: isColumn) {
            throw DomainError.invalid("Field \(field) \(problem).", errors: [.init(field: field, message: problem)])
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// The longest description a project, dataset, table or query may have, in characters.
    static let descriptionLimit = 2000

    static func validate(description: String?) throws {
        if let description, description.count > descriptionLimit {
            throw DomainError.invalid("Field description must be at most \(descriptionLimit) characters.",
                                      errors: [.init(field: "description", message: "is too long")])
        }
    }
}
