/// What the request log line learns while a request runs: the tenant, once authentication
/// knows it. One per request, touched only by the thread that handles it.
public final class RequestTrace: @unchecked Sendable {
    /// The caller's tenant, when the request was authenticated.
    public var tenantID: Int64?

    public init() {}
}
