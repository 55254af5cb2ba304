/// A table column's type (DESIGN §6) as callers pass it around: one of the kinds registered in
/// `ColumnTypes.all` with its parameters. Whatever depends on the type asks `kind`, which
/// holds all of that type's knowledge in its own file under `ColumnTypes/`.
struct ColumnType: Equatable, Sendable, CustomStringConvertible {
    let kind: any ColumnKind

    init(_ kind: some ColumnKind) { self.kind = kind }

    /// Parses `int64`, `decimal(10,2)`, … (any case); nil for anything else.
    init?(_ text: String) {
        let lowered = text.lowercased()
        for type in ColumnTypes.all {
            if let kind = type.parse(lowered) {
                self.kind = kind
                return
            }
        }
        return nil
    }

    /// The name the API uses (and the metadata stores).
    var name: String { kind.name }
    /// The MariaDB column type.
    var sqlType: String { kind.sqlType }
    /// Whether MariaDB can index the column as a primary key part.
    var canBePrimaryKey: Bool { kind.canBePrimaryKey }
    var description: String { name }

    /// The name says everything about a type, parameters included.
    static func == (lhs: ColumnType, rhs: ColumnType) -> Bool { lhs.name == rhs.name }

    /// One of each type, as forms offer them, in the registry's order.
    static var offered: [ColumnType] { ColumnTypes.all.map { $0.offeredType } }

    /// `string, text, int64, …, decimal(p,s), …`, for messages.
    static var names: String { ColumnTypes.all.map { $0.syntax }.joined(separator: ", ") }
}

extension ColumnKind {
    fileprivate static var offeredType: ColumnType { ColumnType(offered) }
}
