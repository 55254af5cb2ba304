import MariaDB

/// The rows of an NDJSON upload: one JSON object per line, members matched to columns by name
/// (case-insensitive). A missing member gets the column's default; a member that is not a column
/// rejects the line, as does a value of the wrong type.
final class NDJSONImportRows: ImportRowSource {
    private let reader: NDJSONLineReader
    private let target: ImportTarget
    private let columnsByName: [String: Int]
    private let decoder = NDJSONObjectDecoder()

    var bytesRead: Int64 { reader.bytesConsumed }

    init(path: String, target: ImportTarget) throws {
        reader = try NDJSONLineReader(source: try FileByteSource(path: path))
        self.target = target
        columnsByName = Dictionary(target.columns.enumerated().map { ($1.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    func encodeNext(into encoder: inout LoadDataEncoder, target: ImportTarget) throws -> ImportRejection?? {
        switch try nextValues() {
        case nil: return nil
        case .failure(let rejection): return .some(rejection)
        case .success(let values):
            encoder.append(row: values, target: target)
            return .some(nil)
        }
    }

    /// The next line as values in column order (nil = absent), or why it is rejected.
    private func nextValues() throws -> Result<[MariaDBValue?], ImportRejection>? {
        let next: NDJSONLine?
        do {
            next = try reader.next()
        } catch let error as StreamingReaderError {
            throw ImportFailure(description: "The file cannot be read past this point: \(error.description).")
        }
        guard let line = next else { return nil }
        let number = Int64(line.line)
        let object: [String: JSONValue]
        switch decoder.decode(line) {
        case .success(let decoded): object = decoded
        case .failure(let problem):
            return .failure(ImportRejection(line: number, column: nil, value: String(decoding: line.bytes.prefix(200), as: UTF8.self),
                                             reason: problem.rawValue))
        }
        var values = [MariaDBValue?](repeating: nil, count: target.columns.count)
        for (name, value) in object {
            guard let index = columnsByName[name.lowercased()] else {
                return .failure(ImportRejection(line: number, column: String(name.prefix(64)), value: nil, reason: "is not a column of the table"))
            }
            let column = target.columns[index]
            if value == .null {
                // null in a NOT NULL column with a default means "use the default", as a missing member does.
                guard column.nullable || column.hasDefault else {
                    return .failure(ImportRejection(line: number, column: column.name, value: nil, reason: "may not be null"))
                }
                values[index] = column.nullable ? .null : nil
                continue
            }
            let converted: Result<MariaDBValue, RowValueProblem>
            if column.type == .bool, case .string(let text) = value {
                converted = ImportValues.value(text, for: column)
            } else {
                converted = RowValueCodec.bind(value, for: column.type)
            }
            switch converted {
            case .success(let bound): values[index] = bound
            case .failure(let problem):
                return .failure(ImportRejection(line: number, column: column.name, value: Self.text(value), reason: problem.message))
            }
        }
        for (index, column) in target.columns.enumerated() where values[index] == nil && !column.nullable && !column.hasDefault {
            return .failure(ImportRejection(line: number, column: column.name, value: nil, reason: "is required"))
        }
        return .success(values)
    }

    /// A short text of the offending value for the reject list.
    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .string(let text): String(text.prefix(200))
        case .array: "[…]"
        case .object: "{…}"
        }
    }
}

/// Opens the right reader for an upload.
enum ImportReaders {
    static func rows(of path: String, options: ImportOptions, target: ImportTarget) throws -> ImportRowSource {
        switch options.format {
        case .csv: try CSVImportRows(path: path, options: options, target: target)
        case .ndjson: try NDJSONImportRows(path: path, target: target)
        }
    }
}
