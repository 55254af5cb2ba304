import Foundation

/// One FastCGI request as the web server described it: method, path, query, headers and a streamed body.
///
/// Built from the FastCGI params by `init(params:body:)`, a pure mapping that tests call without a socket.
public struct FastCGIRequest: Sendable {
    /// The HTTP method, upper case (`GET`, `POST`, …).
    public var method: String
    /// The path part of `REQUEST_URI`, still percent-encoded (routers decode per segment).
    public var path: String
    /// The raw `QUERY_STRING`.
    public var rawQuery: String
    /// Query parameters in order, percent- and `+`-decoded.
    public var query: [(name: String, value: String)]
    /// Headers with lower-case names (`content-type`, `x-request-id`, …).
    public var headers: [String: String]
    /// `REMOTE_ADDR` as the web server saw it.
    public var remoteAddress: String
    /// Every param, unmodified, for what the fields above leave out.
    public var params: [String: String]
    /// The request body, streamed from the web server; nil when the request has none.
    public var body: FastCGIRequestBody?

    /// Maps FastCGI params to a request.
    ///
    /// `CONTENT_TYPE` and `CONTENT_LENGTH` arrive without the `HTTP_` prefix (CGI/1.1), so they are
    /// folded into `headers` by hand; every `HTTP_FOO_BAR` becomes `foo-bar`.
    public init(params: [String: String], body: FastCGIRequestBody? = nil) {
        self.params = params
        self.method = (params["REQUEST_METHOD"] ?? "GET").uppercased()
        let uri = params["REQUEST_URI"] ?? params["DOCUMENT_URI"] ?? "/"
        if let mark = uri.firstIndex(of: "?") {
            self.path = String(uri[..<mark])
        } else {
            self.path = uri
        }
        if path.isEmpty { path = "/" }
        self.rawQuery = params["QUERY_STRING"] ?? ""
        self.query = QueryString.parse(rawQuery)
        var headers: [String: String] = [:]
        for (name, value) in params where name.hasPrefix("HTTP_") {
            headers[Self.headerName(fromParam: name)] = value
        }
        if let type = params["CONTENT_TYPE"], !type.isEmpty { headers["content-type"] = type }
        if let length = params["CONTENT_LENGTH"], !length.isEmpty { headers["content-length"] = length }
        self.headers = headers
        self.remoteAddress = params["REMOTE_ADDR"] ?? ""
        self.body = body
    }

    /// The declared body length, when the web server sent a valid `CONTENT_LENGTH`.
    public var contentLength: Int? {
        headers["content-length"].flatMap { Int($0) }.flatMap { $0 >= 0 ? $0 : nil }
    }

    /// The first query value named `name`.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    static func headerName(fromParam param: String) -> String {
        String(param.dropFirst(5)).lowercased().replacingOccurrences(of: "_", with: "-")
    }
}

