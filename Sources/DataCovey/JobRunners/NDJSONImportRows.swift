import MariaDB

/// The rows of an NDJSON upload: one JSON object per line, members matched to columns by name
/// (`RowObject`: case-insensitive, each column at most once). A missing member gets the
/// column's default; a member that is not a column rejects the line, as does a value its
/// column's converter refuses. Each value goes from the line's bytes into the stream through
/// `CellConverter`, the converter CSV imports and the rows API use, with no tree in between.
final class NDJSONImportRows: ImportRowSource {
    private let reader: NDJSONLineReader
    private let columns: RowObject.Columns
    /// Each column's converter, resolved once per import from its type (no lookup per cell).
    private let converters: [LoadDataConverter]
    private var scratch: [UInt8] = []

    var bytesRead: Int64 { reader.bytesConsumed }
    var headerMappings: [HeaderMapping] { columns.mappings }

    init(path: String, target: ImportTarget) throws {
        reader = try NDJSONLineReader(source: try FileByteSource(path: path))
        columns = RowObject.Columns(target.columns.map(\.name))
        converters = target.columns.map(\.type.kind.loadDataConverter)
    }

    func encodeNext(into encoder: inout LoadDataEncoder, target: ImportTarget) throws -> ImportRejection?? {
        let next: NDJSONLine?
        do {
            next = try reader.next()
        } catch let error as StreamingReaderError {
            throw JobFailure(description: "The file cannot be read past this point: \(error.description).")
        }
        guard let line = next else { return nil }
        return .some(line.bytes.withUnsafeBufferPointer { encode($0, line: Int64(line.line), into: &encoder, target: target) })
    }

    /// Writes one line's row into the stream, or leaves the stream as it was and says why not.
    private func encode(_ bytes: UnsafeBufferPointer<UInt8>, line: Int64, into encoder: inout LoadDataEncoder,
                        target: ImportTarget) -> ImportRejection? {
        var scanner = JSONScanner(bytes)
        scanner.skipWhitespace()
        let object: RowObject
        switch RowObject.read(&scanner, columns: columns) {
        case .success(let read):
            object = read
        case .failure(let problem):
            let (column, message) = problem.reason
            let reason = column == nil ? "the line " + message : message
            return ImportRejection(line: line, column: column, value: column == nil ? Self.preview(bytes) : nil, reason: reason)
        }
        if let problem = object.problems.first {
            let (column, message) = problem.reason
            return ImportRejection(line: line, column: column, value: nil, reason: message)
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            return ImportRejection(line: line, column: nil, value: Self.preview(bytes), reason: "the line has more after its JSON object")
        }
        let start = encoder.count
        for (index, column) in target.columns.enumerated() {
            if index > 0 { encoder.appendTab() }
            guard let member = object.members[index] else {
                guard column.nullable || column.hasDefault else {
                    encoder.truncate(to: start)
                    return ImportRejection(line: line, column: column.name, value: nil, reason: "is required")
                }
                encoder.appendNull()
                if column.hasDefault { encoder.appendAbsentFlag(true) }
                continue
            }
            let problem: RowValueProblem? = RowObject.withInput(member, in: scanner, scratch: &scratch) { input in
                guard let input else {
                    // null in a NOT NULL column with a default means "use the default", as a missing member does.
                    guard column.nullable || column.hasDefault else { return RowValueProblem("may not be null") }
                    encoder.appendNull()
                    if column.hasDefault { encoder.appendAbsentFlag(!column.nullable) }
                    return nil
                }
                if let problem = converters[index](input, &encoder) { return problem }
                if column.hasDefault { encoder.appendAbsentFlag(false) }
                return nil
            }
            if let problem {
                encoder.truncate(to: start)
                return ImportRejection(line: line, column: column.name, value: RowObject.preview(member, in: scanner),
                                       reason: problem.message)
            }
        }
        encoder.appendNewline()
        return nil
    }

    private static func preview(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes.prefix(200), as: UTF8.self)
    }
}
