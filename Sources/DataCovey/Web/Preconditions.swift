/// Versions as entity tags: `ETag: "3"` on reads, `If-Match` on PATCH/DELETE (412 when stale).
enum Preconditions {
    static func etag(version: Int64) -> String { "\"\(version)\"" }

    /// The version `If-Match` requires, nil when the header is absent or `*`.
    /// - Throws: 400 when the header is not one of our tags.
    /// Exactly what the API document says (`^(\*|(W/)?"[1-9][0-9]{0,17}")$`): a quoted
    /// version, weak or not, or `*`.
    static func expectedVersion(_ request: Request) throws -> Int64? {
        guard let header = request.header("if-match")?.trimmingCharacters(in: .whitespaces), header != "*" else { return nil }
        var tag = Substring(header)
        if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
        let quoted = tag.count >= 3 && tag.hasPrefix("\"") && tag.hasSuffix("\"")
        let digits = quoted ? tag.dropFirst().dropLast() : ""
        guard digits.count <= 18, digits.first != "0", digits.allSatisfy(\.isASCIIDigitCharacter),
              let version = Int64(digits), version > 0 else {
            throw HTTPError.badRequest("If-Match must be an ETag this API returned, such as \"3\".",
                                       errors: [.init(field: "If-Match", message: "is not a version tag")])
        }
        return version
    }
}

private extension Character {
    var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
