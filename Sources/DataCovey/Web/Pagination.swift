import Foundation

/// `?limit=` and the opaque keyset `?cursor=` of every list (DESIGN §6).
public struct Page: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maximumLimit = 1000

    public let limit: Int
    /// Items come after this id (ascending id order).
    public let afterID: Int64?

    public init(limit: Int = Page.defaultLimit, afterID: Int64? = nil) {
        self.limit = limit
        self.afterID = afterID
    }

    /// Reads `limit` and `cursor`; a bad value is a 400 naming the parameter.
    public init(_ request: Request) throws {
        let limit = try Self.limit(request)
        var afterID: Int64?
        if let cursor = request.query("cursor") {
            guard let id = Self.decodeCursor(cursor) else {
                throw HTTPError.badRequest("The cursor is not one this API issued.",
                                           errors: [.init(field: "cursor", message: "is invalid")])
            }
            afterID = id
        }
        self.init(limit: limit, afterID: afterID)
    }

    /// `limit`, 1 to `maximumLimit`, default `defaultLimit`.
    static func limit(_ request: Request) throws -> Int {
        guard let text = request.query("limit") else { return defaultLimit }
        guard let value = Int(text), (1...maximumLimit).contains(value) else {
            throw HTTPError.badRequest("limit must be an integer from 1 to \(maximumLimit).",
                                       errors: [.init(field: "limit", message: "must be 1–\(maximumLimit)")])
        }
        return value
    }

    /// `c1.<id>` in base64url: opaque to clients, cheap to check.
    static func encodeCursor(afterID: Int64) -> String {
        Base64URL.encode(Array("c1.\(afterID)".utf8))
    }

    static func decodeCursor(_ cursor: String) -> Int64? {
        guard cursor.utf8.count <= 64, let bytes = Base64URL.decode(cursor[...]) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("c1."), let id = Int64(text.dropFirst(3)), id > 0 else { return nil }
        return id
    }
}

/// A page of a list: `items` and `next_cursor` (null on the last page).
public struct ListPage<Item: Encodable & Sendable>: Encodable, Sendable {
    public let items: [Item]
    public let nextCursor: String?

    /// Builds the page from up to `limit + 1` fetched items: one more than asked tells whether
    /// another page follows without a COUNT query.
    public init(fetched: [Item], page: Page, id: (Item) -> Int64) {
        let items = Array(fetched.prefix(page.limit))
        self.items = items
        self.nextCursor = fetched.count > page.limit ? items.last.map { Page.encodeCursor(afterID: id($0)) } : nil
    }

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
