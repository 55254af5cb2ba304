/// Opens the right reader for an upload.
enum ImportReaders {
    static func rows(of path: String, options: ImportOptions, target: ImportTarget) throws -> ImportRowSource {
        switch options.format {
        case .csv: try CSVImportRows(path: path, options: options, target: target)
        case .ndjson: try NDJSONImportRows(path: path, target: target)
        }
    }
}
