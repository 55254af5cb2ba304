/// Versions as entity tags: `ETag: "3"` on reads, `If-Match` on PATCH/DELETE (412 when stale).
enum Preconditions {
    static func etag(version: Int64) -> String { "\"\(version)\"" }

    /// The version `If-Match` requires, nil when the header is absent or `*`.
    /// - Throws: 400 when the header is not one of our tags.
    static func expectedVersion(_ request: Request) throws -> Int64? {
        guard let header = request.header("if-match")?.trimmingCharacters(in: .whitespaces), header != "*" else { return nil }
        var tag = Substring(header)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        if tag.hasPrefix("\""), tag.hasSuffix("\""), tag.count >= 2 { tag = tag.dropFirst().dropLast() }
        guard let version = Int64(tag), version > 0 else {
            throw HTTPError.badRequest("If-Match must be an ETag this API returned, such as \"3\".",
                                       errors: [.init(field: "If-Match", message: "is not a version tag")])
        }
        return version
    }
}
