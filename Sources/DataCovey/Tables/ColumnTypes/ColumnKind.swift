import MariaDB

/// Everything DataCovey knows about one column type, in one place: a type is a file in this
/// folder conforming to `ColumnKind` plus a line in `ColumnTypes.all`. The places that need a
/// type's behaviour (parsing a definition, DDL, the write paths' converter, defaults,
/// autodetection, filters and ordering, query results, exports and JSON) ask it here instead of
/// switching over the types, so a new type that forgets something fails to compile or fails
/// `ColumnTypeRegistryTests`.
///
/// Instances carry the type's parameters (a decimal's precision and scale); `ColumnType` wraps
/// one as the value callers pass around.
protocol ColumnKind: Sendable {
    // MARK: Naming

    /// The type as the API documents it, parameters as letters: `int64`, `decimal(p,s)`.
    /// openapi.json and the "must be one of …" message list these.
    static var syntax: String { get }
    /// The type `name` (lower-cased, as written) names, or nil when it names another type.
    static func parse(_ name: String) -> Self?
    /// The one a form offers for this type (a decimal with a common precision).
    static var offered: Self { get }
    /// The name the API uses and the metadata stores: `int64`, `decimal(10,2)`.
    var name: String { get }

    // MARK: Storage

    /// The MariaDB column type of the DDL.
    var sqlType: String { get }
    /// Whether MariaDB can index the column as a primary key part (no TEXT or JSON without a prefix).
    var canBePrimaryKey: Bool { get }
    /// A column default given as JSON, as the DDL literal and the metadata's text, or why it cannot be one.
    func defaultLiteral(_ value: JSONScalar) -> Result<ColumnDefault.Literal, ColumnDefault.DefaultProblem>

    // MARK: Writing cells

    /// The write paths' one converter for the type (CSV, NDJSON and the rows API): `input`
    /// goes to `sink` exactly as written, or the reason it cannot be stored comes back.
    func convert<Sink: CellSink>(_ input: CellInput, into sink: inout Sink) -> RowValueProblem?
    /// `convert` made once per column for the import streams, specialised for this type and
    /// `LoadDataEncoder`, so the per-cell loop makes one direct call (provided below).
    var loadDataConverter: LoadDataConverter { get }
    /// Whether the CSV field `null` is SQL NULL here (json: JSON null is SQL NULL on every path).
    var readsNullLiteralAsNull: Bool { get }
    /// Autodetection's rung for the type, or nil when no sample value makes a column of it.
    static var detection: ColumnDetection? { get }

    // MARK: Reading cells

    /// How the server's cells of the type are written out (query results, exports, the rows
    /// API's JSON, the table page, cursors): the rendering vocabulary they share.
    var cellKind: QueryColumn.Kind { get }
    /// The type a query-result column (MariaDB's field metadata) is reported as, when it is
    /// this one. At most one type claims any column (the registry test checks that).
    static func resultType(of column: MariaDBColumn) -> Self?

    // MARK: Filters, ordering, forms

    /// Whether `eq.`, `lt.` and `gt.` filters (and keyset cursors) can compare it.
    var canBeCompared: Bool { get }
    /// Whether `?order=` can sort by it.
    var canBeOrderedBy: Bool { get }
    /// Whether `like.` filters match it.
    var matchesPatterns: Bool { get }
    /// Whether a bind compared with the column must be cast to its SQL type first (MariaDB
    /// compares a DECIMAL with a string as doubles, which rounds long decimals).
    var castsComparedBinds: Bool { get }
    /// A form field's text as the JSON value the API takes for a parameter of this type.
    func formValue(_ text: String) -> JSONValue
}

/// A column's converter into an import's `LOAD DATA` stream.
typealias LoadDataConverter = (CellInput, inout LoadDataEncoder) -> RowValueProblem?

/// Where a type stands in autodetection: sample values try the types from the lowest `rank`
/// up and a column gets the narrowest every value fits.
struct ColumnDetection: Sendable {
    let rank: Int
    let type: ColumnType
    /// Whether a non-null sample value (a CSV field, an NDJSON string/number/boolean as text) fits.
    let fits: @Sendable (String) -> Bool
    /// Whether an NDJSON array or object makes a column of this type (json).
    var takesJSONComposites = false
}

extension ColumnKind {
    /// A closure made in the context of the concrete type, so that the optimiser specialises
    /// `convert` for it and for `LoadDataEncoder`: no existential or generic dispatch per cell.
    var loadDataConverter: LoadDataConverter {
        { input, sink in self.convert(input, into: &sink) }
    }

    var readsNullLiteralAsNull: Bool { false }
    var canBeCompared: Bool { true }
    var canBeOrderedBy: Bool { true }
    var matchesPatterns: Bool { false }
    var castsComparedBinds: Bool { false }
    var canBePrimaryKey: Bool { true }
    static var detection: ColumnDetection? { nil }
    func formValue(_ text: String) -> JSONValue { .string(text) }
}
