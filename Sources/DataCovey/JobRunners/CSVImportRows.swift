import MariaDB

/// The rows of a CSV upload in the target's column order. With a header, columns are matched by
/// name (any order, case-insensitive; columns it leaves out get their default); without one,
/// fields map to the table's columns in order. A line may end in one delimiter more than it
/// needs (spreadsheet exports often end every line in one): the empty field it opens is
/// ignored, in the header and in rows; a value there is a row with too many fields. Each field
/// goes through `CellConverter` (the
/// converter NDJSON imports and the rows API use) and becomes its column's value, or a
/// rejection naming the line, column, value and reason.
final class CSVImportRows: ImportRowSource {
    private let reader: CSVReader
    private let target: ImportTarget
    private let nullMarker: [UInt8]
    /// For each column, the field that fills it (nil: absent from the header, so its default).
    private var fieldOfColumn: [Int?]
    /// How many fields a record must have (the header's count, or the table's).
    private var expectedFields: Int
    /// Per column, what the per-cell loop needs, kept apart from the names so that reading
    /// them costs no reference counting (a million rows read them six times each).
    /// Each column's converter and whether the field `null` is NULL there, resolved once per
    /// import from its type, so the per-cell loop makes a direct call and asks no type anything.
    private let converters: [LoadDataConverter]
    private let readsNullLiteral: [Bool]
    private let nullable: [Bool]
    private let hasDefault: [Bool]

    var bytesRead: Int64 { reader.bytesConsumed }
    private(set) var headerMappings: [HeaderMapping] = []

    init(path: String, options: ImportOptions, target: ImportTarget) throws {
        let readerOptions = CSVReader.Options(delimiter: options.delimiter.utf8.first ?? UInt8(ascii: ","),
                                              quote: options.quote.utf8.first ?? UInt8(ascii: "\""))
        reader = try CSVReader(source: try FileByteSource(path: path), options: readerOptions)
        self.target = target
        nullMarker = Array(options.nullMarker.utf8)
        fieldOfColumn = Array(target.columns.indices)
        expectedFields = target.columns.count
        converters = target.columns.map(\.type.kind.loadDataConverter)
        readsNullLiteral = target.columns.map(\.type.kind.readsNullLiteralAsNull)
        nullable = target.columns.map(\.nullable)
        hasDefault = target.columns.map(\.hasDefault)
        if options.header { try readHeader() }
    }

    private func readHeader() throws {
        guard let header = try Self.reading({ try reader.next() }) else { return }  // an empty file: no rows
        if let malformation = header.malformation {
            throw JobFailure(description: "The header on line \(header.line) is malformed: \(malformation.rawValue).")
        }
        var names = (0..<header.fieldCount).map { (header.string($0) ?? "").trimmingCharacters(in: .whitespaces) }
        if names.count > 1, names.last == "", !header.isQuoted(names.count - 1) { names.removeLast() }
        let byName = Dictionary(target.columns.enumerated().map { ($1.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        fieldOfColumn = Array(repeating: nil, count: target.columns.count)
        for (field, name) in names.enumerated() {
            let fitted = ColumnNames.fitted(name)
            guard let index = byName[name.lowercased()] ?? byName[fitted] else {
                throw JobFailure(description: "The header names \"\(name.prefix(64))\", which is not a column of the table (line \(header.line), field \(field + 1)).")
            }
            if byName[name.lowercased()] == nil {
                headerMappings.append(HeaderMapping(header: name, column: target.columns[index].name))
            }
            guard fieldOfColumn[index] == nil else {
                throw JobFailure(description: "The header names column \(target.columns[index].name) twice.")
            }
            fieldOfColumn[index] = field
        }
        for (index, column) in target.columns.enumerated() where fieldOfColumn[index] == nil && !column.nullable && !column.hasDefault {
            throw JobFailure(description: "The header has no column \(column.name), which may not be null and has no default.")
        }
        expectedFields = names.count
    }

    /// Each field is checked and written into the stream from the reader's buffer; a bad field
    /// drops what the row had written and rejects it.
    func encodeNext(into encoder: inout LoadDataEncoder, target: ImportTarget) throws -> ImportRejection?? {
        guard let record = try Self.reading({ try reader.next() }) else { return nil }
        let line = Int64(record.line)
        if let malformation = record.malformation {
            let column = record.malformedField.flatMap { field in fieldOfColumn.firstIndex(of: field) }.map { target.columns[$0].name }
            let value = record.malformedField.map { String(decoding: record.bytes($0).prefix(1000), as: UTF8.self) }
            return .some(ImportRejection(line: line, column: column, value: value, reason: malformation.rawValue))
        }
        let endsInExtraDelimiter = record.fieldCount == expectedFields + 1
            && !record.isQuoted(expectedFields) && record.byteCount(expectedFields) == 0
        guard record.fieldCount == expectedFields || endsInExtraDelimiter else {
            return .some(ImportRejection(line: line, column: nil, value: nil,
                                         reason: "has \(record.fieldCount) field\(record.fieldCount == 1 ? "" : "s"), expected \(expectedFields)"))
        }
        let start = encoder.count
        for index in 0..<converters.count {
            if index > 0 { encoder.appendTab() }
            let hasDefault = hasDefault[index]
            guard let field = fieldOfColumn[index] else {
                encoder.appendNull()
                if hasDefault { encoder.appendAbsentFlag(true) }
                continue
            }
            let (bytes, isQuoted) = record.field(field)
            if !isQuoted && bytes.elementsEqual(nullMarker) || readsNullLiteral[index] && CellConverter.isNullLiteral(bytes) {
                // NULL in a NOT NULL column with a default means "use the default".
                guard nullable[index] || hasDefault else {
                    encoder.truncate(to: start)
                    return .some(ImportRejection(line: line, column: target.columns[index].name, value: nil, reason: "may not be null"))
                }
                encoder.appendNull()
                if hasDefault { encoder.appendAbsentFlag(!nullable[index]) }
                continue
            }
            if let problem = converters[index](.text(bytes), &encoder) {
                encoder.truncate(to: start)
                let text = String(decoding: bytes.prefix(1000), as: UTF8.self)
                return .some(ImportRejection(line: line, column: target.columns[index].name, value: text, reason: problem.message))
            }
            if hasDefault { encoder.appendAbsentFlag(false) }
        }
        encoder.appendNewline()
        return .some(nil)
    }


    /// Turns the reader's file-level errors into the job's failure reason.
    private static func reading<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StreamingReaderError {
            throw JobFailure(description: "The file cannot be read past this point: \(error.description).")
        } catch let error as ByteSourceError {
            throw JobFailure(description: "The upload could not be read (\(error.operation) failed).")
        }
    }
}
