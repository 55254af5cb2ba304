/// Optimistic concurrency: a change may name the version it was made against (the API's
/// `If-Match`, a page's hidden field), and is refused as stale when the resource has moved on.
enum VersionCheck {
    static func require(_ expected: Int64?, current: Int64) throws {
        if let expected, expected != current {
            throw DomainError.stale("The resource has changed (now version \(current)); fetch it again.")
        }
    }
}
