import MariaDB

/// Infers the columns of an autodetect table from the first records of its first import:
/// names from the CSV header (or `column_1…` without one) or the NDJSON members in first-seen
/// order, made valid by `ColumnNames` where they are not (`On Street` → `on_street`), and for each the narrowest type every non-empty sample value fits — int64, float64,
/// bool, date, timestamp, then string (≤ 255 characters) or text; an NDJSON member that is an
/// array or object makes its column json. Every column is nullable.
struct ImportColumnDetector {
    static let sampleRecords = 1000

    /// The registry's detectable types from narrowest to widest (`ColumnDetection.rank`); a
    /// column's candidate is an index into it, and a value that does not fit moves it on.
    private static let ladder: [ColumnDetection] = ColumnTypes.all.compactMap { $0.detection }.sorted { $0.rank < $1.rank }

    /// The narrowest rung from `start` on that `text` fits (the last, text or json, fits anything).
    private static func widened(_ start: Int, for text: String) -> Int {
        var rung = start
        while rung < ladder.count - 1, !ladder[rung].fits(text) { rung += 1 }
        return rung
    }

    /// The narrowest type an empty string fits (string): a column's type when no value was seen.
    private static let emptyFitting = widened(0, for: "")

    /// The definition for the upload at `path`, or a failure naming what stops it.
    static func detect(path: String, options: ImportOptions, tableName: String) throws -> TableDefinition {
        var names: [String] = []
        var candidates: [Int?] = []
        func observe(_ index: Int, _ text: String?) {
            while candidates.count <= index { candidates.append(nil) }
            guard let text, !text.isEmpty else { return }
            candidates[index] = widened(candidates[index] ?? 0, for: text)
        }
        func observeEmpty(_ index: Int) {
            while candidates.count <= index { candidates.append(nil) }
            candidates[index] = widened(candidates[index] ?? 0, for: "")
        }
        switch options.format {
        case .csv:
            let readerOptions = CSVReader.Options(delimiter: options.delimiter.utf8.first ?? 0x2C, quote: options.quote.utf8.first ?? 0x22)
            let reader = try CSVReader(source: try FileByteSource(path: path), options: readerOptions)
            var seen = 0
            // Whether every record so far ends in an empty unquoted field, the mark of a line
            // ending in one delimiter more than it needs (ignored, as CSVImportRows does).
            var extraDelimiterEverywhere = true
            while seen < sampleRecords + (options.header ? 1 : 0), let record = try reader.next() {
                defer { seen += 1 }
                if seen == 0 && options.header {
                    names = (0..<record.fieldCount).map { (record.string($0) ?? "").trimmingCharacters(in: .whitespaces) }
                    if names.count > 1, names.last == "", !record.isQuoted(names.count - 1) { names.removeLast() }
                    continue
                }
                guard record.malformation == nil else { continue }
                let last = record.fieldCount - 1
                extraDelimiterEverywhere = extraDelimiterEverywhere && last > 0 && !record.isQuoted(last) && record.byteCount(last) == 0
                for field in 0..<(options.header ? min(record.fieldCount, names.count) : record.fieldCount) {
                    let isNull = !record.isQuoted(field) && record.withField(field) { $0.elementsEqual(Array(options.nullMarker.utf8)) }
                    // A quoted "" is an empty string, a value the column must hold: only text types do.
                    let text = isNull ? nil : record.string(field)
                    if text == "" { observeEmpty(field) } else { observe(field, text) }
                }
            }
            if !options.header {
                if extraDelimiterEverywhere, seen > 0, candidates.count > 1 { candidates.removeLast() }
                names = (0..<candidates.count).map { "column_\($0 + 1)" }
            }
        case .ndjson:
            let reader = try NDJSONLineReader(source: try FileByteSource(path: path))
            var seen = 0
            var scratch: [UInt8] = []
            while seen < sampleRecords, let line = try reader.next() {
                seen += 1
                line.bytes.withUnsafeBufferPointer { bytes in
                    var scanner = JSONScanner(bytes)
                    scanner.skipWhitespace()
                    // Members in the order written; a line that is no object is a reject later.
                    var members: [(name: String, value: JSONScanner.Value)] = []
                    guard (try? scanner.members { name, value in members.append((String(decoding: name, as: UTF8.self), value)) }) != nil else {
                        return
                    }
                    for (name, value) in members {
                        let index = names.firstIndex(of: name) ?? { names.append(name); return names.count - 1 }()
                        switch value.kind {
                        case .null: observe(index, nil)
                        case .bool(let flag): observe(index, String(flag))
                        case .number: observe(index, String(decoding: scanner.literal(of: value), as: UTF8.self))
                        case .string:
                            if value.hasEscapes {
                                try? scanner.decodedContent(of: value, into: &scratch)
                                observe(index, String(decoding: scratch, as: UTF8.self))
                            } else {
                                observe(index, String(decoding: scanner.content(of: value), as: UTF8.self))
                            }
                        case .array, .object:
                            while candidates.count <= index { candidates.append(nil) }
                            candidates[index] = Self.ladder.firstIndex { $0.takesJSONComposites }
                        }
                    }
                }
            }
        }
        guard !names.isEmpty else {
            throw JobFailure(description: "The first import of an autodetect table needs at least one column (a header or a record).")
        }
        var columns: [TableDefinition.Column] = []
        var seenNames: Set<String> = []
        for (index, written) in names.enumerated() {
            // A header that cannot be a column name gets the column ColumnNames makes of it
            // (`On Street` → on_street), the same one later imports match it to.
            var name = ColumnNames.column(for: written.trimmingCharacters(in: .whitespaces))
            if name.isEmpty { name = "column_\(index + 1)" }
            guard seenNames.insert(name.lowercased()).inserted else {
                throw JobFailure(description: "The file names column \(name) twice (from \"\(written.prefix(64))\").")
            }
            let candidate = index < candidates.count ? candidates[index] : nil
            let label = written.trimmingCharacters(in: .whitespaces)
            columns.append(TableDefinition.Column(name: name, type: Self.ladder[candidate ?? Self.emptyFitting].type, isNullable: true,
                                                  defaultLiteral: nil, isPrimaryKey: false,
                                                  label: label == name || label.isEmpty ? nil : String(label.prefix(255))))
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
