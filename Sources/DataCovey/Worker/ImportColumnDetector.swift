import MariaDB

/// Infers the columns of an autodetect table from the first records of its first import:
/// names from the CSV header (or `column_1…` without one) or the NDJSON members in first-seen
/// order, and for each the narrowest type every non-empty sample value fits — int64, float64,
/// bool, date, timestamp, then string (≤ 255 characters) or text. Every column is nullable.
struct ImportColumnDetector {
    static let sampleRecords = 1000

    /// Types from narrowest to widest; a value that does not fit moves its column on.
    private enum Candidate: Int, Comparable {
        case int64, float64, bool, date, timestamp, string, text
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        var type: ColumnType {
            switch self {
            case .int64: .int64
            case .float64: .float64
            case .bool: .bool
            case .date: .date
            case .timestamp: .timestamp
            case .string: .string
            case .text: .text
            }
        }

        /// The narrowest candidate from `self` on that `text` fits.
        func widened(for text: String) -> Candidate {
            var candidate = self
            while true {
                switch candidate {
                case .int64 where Int64(text) != nil: return candidate
                case .float64 where Double(text).map(\.isFinite) == true: return candidate
                case .bool where ["true", "false"].contains(text.lowercased()): return candidate
                case .date where ColumnDefault.isDate(text): return candidate
                case .timestamp where TimestampText.parse(text) != nil: return candidate
                case .string where text.unicodeScalars.count <= 255: return candidate
                case .text: return .text
                default: candidate = Candidate(rawValue: candidate.rawValue + 1) ?? .text
                }
            }
        }
    }

    /// The definition for the upload at `path`, or a failure naming what stops it.
    static func detect(path: String, options: ImportOptions, tableName: String) throws -> TableDefinition {
        var names: [String] = []
        var candidates: [Candidate?] = []
        func observe(_ index: Int, _ text: String?) {
            while candidates.count <= index { candidates.append(nil) }
            guard let text, !text.isEmpty else { return }
            candidates[index] = (candidates[index] ?? .int64).widened(for: text)
        }
        switch options.format {
        case .csv:
            let readerOptions = CSVReader.Options(delimiter: options.delimiter.utf8.first ?? 0x2C, quote: options.quote.utf8.first ?? 0x22)
            let reader = try CSVReader(source: try FileByteSource(path: path), options: readerOptions)
            var seen = 0
            while seen < sampleRecords + (options.header ? 1 : 0), let record = try reader.next() {
                defer { seen += 1 }
                if seen == 0 && options.header {
                    names = (0..<record.fieldCount).map { (record.string($0) ?? "").trimmingCharacters(in: .whitespaces) }
                    continue
                }
                guard record.malformation == nil else { continue }
                for field in 0..<record.fieldCount {
                    let isNull = !record.isQuoted(field) && record.withField(field) { $0.elementsEqual(Array(options.nullMarker.utf8)) }
                    observe(field, isNull ? nil : record.string(field))
                }
            }
            if !options.header { names = (0..<candidates.count).map { "column_\($0 + 1)" } }
        case .ndjson:
            let reader = try NDJSONLineReader(source: try FileByteSource(path: path))
            var seen = 0
            while seen < sampleRecords, let line = try reader.next() {
                seen += 1
                guard case .success(let object) = NDJSONObjectDecoder().decode(line) else { continue }
                for (name, value) in object.sorted(by: { $0.key < $1.key }) {
                    let index = names.firstIndex(of: name) ?? { names.append(name); return names.count - 1 }()
                    switch value {
                    case .null: observe(index, nil)
                    case .bool(let flag): observe(index, String(flag))
                    case .integer(let number): observe(index, String(number))
                    case .number(let number): observe(index, String(number))
                    case .string(let text): observe(index, text)
                    case .array, .object: candidates.count > index ? (candidates[index] = .text) : observe(index, String(repeating: "x", count: 300))
                    }
                }
            }
        }
        guard !names.isEmpty else {
            throw ImportFailure(description: "The first import of an autodetect table needs at least one column (a header or a record).")
        }
        var columns: [TableDefinition.Column] = []
        var seenNames: Set<String> = []
        for (index, name) in names.enumerated() {
            if let problem = NameRules.problem(with: name, isColumn: true) {
                throw ImportFailure(description: "Column \"\(name.prefix(64))\" cannot be a column name: it \(problem).")
            }
            guard seenNames.insert(name.lowercased()).inserted else {
                throw ImportFailure(description: "The file names column \(name) twice.")
            }
            let candidate = index < candidates.count ? candidates[index] : nil
            columns.append(TableDefinition.Column(name: name, type: (candidate ?? .string).type, isNullable: true,
                                                  defaultLiteral: nil, isPrimaryKey: false))
        }
        return TableDefinition(detected: tableName, columns: columns)
    }
}

extension TableDefinition {
    /// A definition the worker inferred (already valid: names checked, types known).
    init(detected name: String, columns: [Column]) {
        self.init(name: name, description: nil, columns: columns, autodetect: true)
    }
}
