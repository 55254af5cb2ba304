/// A validated table definition from `POST /datasets/{id}/tables`.
struct TableDefinition {
    struct Column: Equatable {
        let name: String
        let type: ColumnType
        let isNullable: Bool
        /// The DDL literal (hex or canonical number) and the text kept in the metadata.
        let defaultLiteral: (sql: String, stored: String)?
        let isPrimaryKey: Bool
        /// The header or member an autodetect import made this column of, when the column could
        /// not carry it as its name (`On Street` → on_street).
        var label: String? = nil
        /// What the column holds, in the words of whoever defined it.
        var description: String? = nil

        static func == (lhs: Column, rhs: Column) -> Bool {
            lhs.name == rhs.name && lhs.type == rhs.type && lhs.isNullable == rhs.isNullable
                && lhs.defaultLiteral?.sql == rhs.defaultLiteral?.sql && lhs.isPrimaryKey == rhs.isPrimaryKey
        }
    }

    static let maximumColumns = 1000
    /// The hidden row id of every physical table; user columns may not start with `_dc_`.
    static let rowIDColumn = "_dc_row_id"

    let name: String
    let description: String?
    let columns: [Column]
    /// Columns come from the first import (types inferred), so none are given now.
    let autodetect: Bool

    /// The request body.
    struct Input: Decodable {
        static let fields: Set<String> = ["name", "description", "columns", "autodetect"]
        let name: String
        let description: String?
        let columns: [ColumnInput]?
        let autodetect: Bool?
    }

    struct ColumnInput: Decodable {
        static let fields: Set<String> = ["name", "type", "nullable", "default", "primary_key", "description"]
        let name: String
        let type: String
        let nullable: Bool?
        let `default`: JSONScalar?
        let primaryKey: Bool?
        let description: String?

        /// A column a page's form describes (the API decodes its own).
        init(name: String, type: String, nullable: Bool? = true, default: JSONScalar? = nil, primaryKey: Bool? = nil,
             description: String? = nil) {
            self.name = name
            self.type = type
            self.nullable = nullable
            self.default = `default`
            self.primaryKey = primaryKey
            self.description = description
        }

        private struct AnyKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        enum CodingKeys: String, CodingKey { case name, type, nullable, `default`, primaryKey, description }

        init(from decoder: Decoder) throws {
            // Unknown keys inside a column are as wrong as unknown top-level fields.
            let raw = try decoder.container(keyedBy: AnyKey.self)
            if let unknown = raw.allKeys.first(where: { !Self.fields.contains($0.stringValue.snakeCased) }) {
                throw DecodingError.dataCorruptedError(forKey: unknown, in: raw, debugDescription: "unknown field")
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            type = try container.decode(String.self, forKey: .type)
            nullable = try container.decodeIfPresent(Bool.self, forKey: .nullable)
            `default` = try container.decodeIfPresent(JSONScalar.self, forKey: .default)
            primaryKey = try container.decodeIfPresent(Bool.self, forKey: .primaryKey)
            description = try container.decodeIfPresent(String.self, forKey: .description)
        }
    }

    static func problem(_ field: String, _ message: String) -> DomainError {
        .invalid("Field \(field) \(message).", errors: [.init(field: field, message: message)])
    }

    /// Validates the body; every problem names its field (`columns.2.type`).
    /// A definition built by the server itself (already valid), such as autodetected columns.
    init(name: String, description: String?, columns: [Column], autodetect: Bool) {
        self.name = name
        self.description = description
        self.columns = columns
        self.autodetect = autodetect
    }

    init(_ input: Input) throws {
        try NameRules.validate(input.name)
        try NameRules.validate(description: input.description)
        let autodetect = input.autodetect ?? false
        let given = input.columns ?? []
        if autodetect && !given.isEmpty {
            throw Self.problem("columns", "must be empty when autodetect is true: the first import defines them")
        }
        if !autodetect && given.isEmpty { throw Self.problem("columns", "must list at least one column (or set autodetect)") }
        if given.count > Self.maximumColumns { throw Self.problem("columns", "may hold at most \(Self.maximumColumns) columns") }
        let columns = try Self.columns(given, field: "columns")
        self.name = input.name
        self.description = input.description
        self.columns = columns
        self.autodetect = autodetect
    }

    /// Validates column inputs; `existing` holds the lower-cased names a table already has.
    static func columns(_ given: [ColumnInput], field: String, existing: Set<String> = []) throws -> [Column] {
        var seen = existing
        var columns: [Column] = []
        for (index, column) in given.enumerated() {
            let path = "\(field).\(index)"
            try NameRules.validate(column.name, field: "\(path).name", isColumn: true)
            if column.name.lowercased().hasPrefix("_dc_") { throw Self.problem("\(path).name", "may not start with _dc_ (reserved)") }
            guard seen.insert(column.name.lowercased()).inserted else { throw Self.problem("\(path).name", "repeats another column's name") }
            guard let type = ColumnType(column.type) else { throw Self.problem("\(path).type", "must be one of \(ColumnType.names)") }
            let isPrimaryKey = column.primaryKey ?? false
            if isPrimaryKey && column.nullable == true { throw Self.problem("\(path).nullable", "must be false for a primary key column") }
            if isPrimaryKey && !type.canBePrimaryKey { throw Self.problem("\(path).primary_key", "is not possible for \(type.name) columns") }
            var literal: (sql: String, stored: String)?
            if let value = column.default {
                switch ColumnDefault.literal(value, for: type) {
                case .success(let rendered): literal = rendered
                case .failure(let failure): throw Self.problem("\(path).default", failure.message)
                }
            }
            do {
                try NameRules.validate(description: column.description)
            } catch let error as DomainError {
                throw Self.problem("\(path).description", error.fields.first?.message ?? error.detail)
            }
            columns.append(Column(name: column.name, type: type, isNullable: !isPrimaryKey && (column.nullable ?? true),
                                  defaultLiteral: literal, isPrimaryKey: isPrimaryKey,
                                  description: column.description.flatMap { $0.isEmpty ? nil : $0 }))
        }
        return columns
    }

    /// Column renames (old → new, old matched case-insensitively) checked against the table's
    /// columns: each old name exists, each new one is a valid name that no column has or gets.
    /// Answers (stored old name, new name) pairs in a stable order.
    static func renames(_ given: [String: String], of columns: [String], adding: [String] = []) throws -> [(from: String, to: String)] {
        var taken = Set(columns.map { $0.lowercased() } + adding.map { $0.lowercased() })
        var pairs: [(from: String, to: String)] = []
        for (old, new) in given.sorted(by: { $0.key < $1.key }) {
            let field = "rename_columns.\(old)"
            guard let stored = columns.first(where: { $0.lowercased() == old.lowercased() }) else {
                throw Self.problem(field, "names no column of this table")
            }
            try NameRules.validate(new, field: field, isColumn: true)
            if new.lowercased().hasPrefix("_dc_") { throw Self.problem(field, "may not start with _dc_ (reserved)") }
            guard taken.insert(new.lowercased()).inserted else { throw Self.problem(field, "is a name another column has") }
            pairs.append((stored, new))
        }
        return pairs
    }

    /// `column NAME TYPE NULL DEFAULT …`, validated pieces only.
    static func columnDDL(_ column: Column) -> String {
        var sql = "`\(column.name)` \(column.type.sqlType) \(column.isNullable ? "NULL" : "NOT NULL")"
        if let literal = column.defaultLiteral { sql += " DEFAULT \(literal.sql)" }
        return sql
    }

    /// `CREATE TABLE` for the data account. Every spliced piece is validated: names by NameRules
    /// (letters, digits, _), types from ColumnType, defaults as numbers or hex literals.
    func createStatement(database: String, table: String) -> String {
        // Every table carries a hidden, increasing row id: the keyset for paging rows in any
        // table (with or without a primary key) and a handle on which rows an import added.
        // INVISIBLE: `SELECT *` in user SQL shows the user's columns only.
        var parts = ["`\(Self.rowIDColumn)` BIGINT NOT NULL AUTO_INCREMENT INVISIBLE"] + columns.map(Self.columnDDL)
        // Every table has a PRIMARY KEY (Galera certifies and applies row events by it,
        // sql/0025): the user's key, else the row id.
        let keys = columns.filter(\.isPrimaryKey).map { "`\($0.name)`" }
        if keys.isEmpty {
            parts.append("PRIMARY KEY (`\(Self.rowIDColumn)`)")
        } else {
            parts.append("PRIMARY KEY (\(keys.joined(separator: ", ")))")
            parts.append("UNIQUE KEY `\(Self.rowIDColumn)` (`\(Self.rowIDColumn)`)")
        }
        // WITH SYSTEM VERSIONING: every change keeps the row as it was, for `as_of`, row history
        // and restore (sql/0023 converted the tables made before).
        return "CREATE TABLE `\(database)`.`\(table)` (\(parts.joined(separator: ", "))) "
            + "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci WITH SYSTEM VERSIONING"
    }
}
