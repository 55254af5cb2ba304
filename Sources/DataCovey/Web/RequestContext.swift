/// Who is asking: filled by authentication (tenant, user, role); empty for anonymous endpoints.
public struct RequestContext: Sendable {
    /// A tenant member's role, lowest to highest.
    public enum Role: String, Sendable, Codable, Comparable, CaseIterable {
        case viewer, user, admin

        private var rank: Int {
            switch self {
            case .viewer: 0
            case .user: 1
            case .admin: 2
            }
        }

        public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
    }

    public var requestID: String
    public var tenantID: Int64?
    public var userID: Int64?
    public var role: Role?

    public init(requestID: String, tenantID: Int64? = nil, userID: Int64? = nil, role: Role? = nil) {
        self.requestID = requestID
        self.tenantID = tenantID
        self.userID = userID
        self.role = role
    }
}
