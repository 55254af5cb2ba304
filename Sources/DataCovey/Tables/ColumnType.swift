/// The column types of DESIGN §6 and the MariaDB type each becomes.
enum ColumnType: Equatable, Sendable {
    case int64, float64, bool, string, text, date, timestamp, json
    case decimal(precision: Int, scale: Int)

    /// One of each kind, as forms offer them (a decimal with a common precision).
    static let offered: [ColumnType] = [.string, .text, .int64, .float64, .decimal(precision: 18, scale: 2), .bool, .date, .timestamp, .json]

    /// Parses `int64`, `decimal(10,2)`, …; nil for anything else.
    init?(_ text: String) {
        switch text.lowercased() {
        case "int64": self = .int64
        case "float64": self = .float64
        case "bool": self = .bool
        case "string": self = .string
        case "text": self = .text
        case "date": self = .date
        case "timestamp": self = .timestamp
        case "json": self = .json
        default:
            let lowered = text.lowercased().replacingOccurrences(of: " ", with: "")
            guard lowered.hasPrefix("decimal("), lowered.hasSuffix(")") else { return nil }
            let numbers = lowered.dropFirst(8).dropLast().split(separator: ",", omittingEmptySubsequences: false)
            guard numbers.count == 2, let precision = Int(numbers[0]), let scale = Int(numbers[1]),
                  (1...65).contains(precision), (0...30).contains(scale), scale <= precision else { return nil }
            self = .decimal(precision: precision, scale: scale)
        }
    }

    /// The name the API uses (and the metadata stores).
    var name: String {
        switch self {
        case .int64: "int64"
        case .float64: "float64"
        case .bool: "bool"
        case .string: "string"
        case .text: "text"
        case .date: "date"
        case .timestamp: "timestamp"
        case .json: "json"
        case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
        }
    }

    /// The MariaDB column type.
    var sqlType: String {
        switch self {
        case .int64: "BIGINT"
        case .float64: "DOUBLE"
        case .bool: "BOOLEAN"
        case .string: "VARCHAR(255)"
        case .text: "MEDIUMTEXT"
        case .date: "DATE"
        case .timestamp: "DATETIME(6)"
        case .json: "JSON"
        case .decimal(let precision, let scale): "DECIMAL(\(precision),\(scale))"
        }
    }

    /// Whether MariaDB can index the column as a primary key part (no TEXT/JSON without a prefix).
    var canBePrimaryKey: Bool {
        switch self {
        case .text, .json: false
        default: true
        }
    }

    static let names = "int64, float64, decimal(p,s), bool, string, text, date, timestamp, json"
}
