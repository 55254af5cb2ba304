import Foundation

/// An import's upload, streamed to a file under the data directory before the job exists: a raw
/// CSV/NDJSON body (options in the query string) or a multipart form (options in its fields),
/// for the API and the table page alike.
struct ImportUpload {
    let files: JobFiles

    /// A raw `text/csv` or NDJSON body: options from the query string.
    func raw(_ request: Request, mediaType: String, tenant: Int64) throws -> (ImportOptions, String, Int64) {
        let options = try Self.options(mediaType: mediaType, fileName: nil, names: request.raw.query.map(\.0)) { request.query($0) }
        let path = files.newPath(.uploads, tenant: tenant, suffix: options.format.rawValue)
        let body = request.raw.body
        let bytes = try files.write(path) { try body?.read(upTo: 1 << 20) ?? [] }
        return (options, path, bytes)
    }

    /// A `multipart/form-data` form: the `file` field streams to disk; options come from the
    /// other fields, then the query string. Fields named in `extraFields` (a page's CSRF token)
    /// are not options; they come back with the upload.
    func multipart(_ request: Request, tenant: Int64, extraFields: Set<String> = [])
        throws -> (upload: (ImportOptions, String, Int64), extra: [String: String]) {
        let form = try multipartForm(request, tenant: tenant)
        do {
            let options = try Self.options(form: form, request: request, extraFields: extraFields)
            return ((options, form.path, form.bytes), form.fields.filter { extraFields.contains($0.key) })
        } catch {
            files.remove(form.path)
            throw error
        }
    }

    /// A multipart form as received: the file on disk (kept even when the options turn out
    /// wrong, so a page can ask for them again without the file being chosen again) and the
    /// text fields.
    struct Form {
        let path: String
        let bytes: Int64
        /// The name the browser gave the file; empty when no file was chosen.
        let fileName: String
        let fields: [String: String]
    }

    func multipartForm(_ request: Request, tenant: Int64) throws -> Form {
        let body = request.raw.body
        var upload: MultipartUpload
        do {
            upload = try MultipartUpload(contentType: request.header("content-type") ?? "") { try body?.read(upTo: 1 << 20) ?? [] }
        } catch let problem as MultipartUpload.Problem {
            throw DomainError.invalid(problem.message)
        }
        var fields: [String: String] = [:]
        let staging = files.newPath(.uploads, tenant: tenant, suffix: "upload")
        let bytes: Int64
        do {
            bytes = try files.write(staging, pushing: { append in
                guard try upload.read(fileField: "file", fields: &fields, file: { chunk in
                    if !chunk.isEmpty { try append(chunk) }
                }) else {
                    throw MultipartUpload.Problem(message: "The form has no file field named file.")
                }
            })
        } catch let problem as MultipartUpload.Problem {
            throw DomainError.invalid(problem.message)
        }
        return Form(path: staging, bytes: bytes, fileName: upload.fileName ?? "", fields: fields)
    }

    /// The options of a multipart form: its fields (an empty one is "not given", as an absent
    /// query parameter is), then the query string; `extraFields` are not options.
    static func options(form: Form, fileName: String? = nil, request: Request, extraFields: Set<String>) throws -> ImportOptions {
        let given = form.fields.filter { !extraFields.contains($0.key) && !$0.value.isEmpty }
        let names = Array(given.keys) + request.raw.query.map(\.0)
        return try options(mediaType: nil, fileName: fileName ?? form.fileName, names: names) { given[$0] ?? request.query($0) }
    }

    /// Options, refusing names that are not options (400 naming them).
    static func options(mediaType: String?, fileName: String?, names: [String],
                                _ value: (String) -> String?) throws -> ImportOptions {
        let unknown = Set(names).subtracting(ImportOptions.parameterNames).sorted()
        guard unknown.isEmpty else {
            throw DomainError.invalid("Unknown option\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", ")).",
                                       errors: unknown.map { .init(field: $0, message: "is not an import option") })
        }
        let type = mediaType ?? (fileName.map { $0.lowercased().hasSuffix(".ndjson") || $0.lowercased().hasSuffix(".jsonl") } == true
            ? "application/x-ndjson" : "text/csv")
        return try ImportOptions(mediaType: type, value)
    }
}
