import FastCGI

/// What a handler answers: a status, headers and a body written in one piece or streamed.
public struct Response: Sendable {
    public enum Body: Sendable {
        case empty
        case bytes([UInt8])
        /// Written by the closure straight to the client, for large bodies (exports, CSV).
        case stream(@Sendable (FastCGIResponseWriter) throws -> Void)
    }

    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Body

    public init(status: Int = 200, headers: [(name: String, value: String)] = [], body: Body = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response of an `Encodable` value (snake_case keys, RFC 3339 UTC dates).
    public static func json(_ value: some Encodable, status: Int = 200, headers: [(name: String, value: String)] = []) throws -> Response {
        let bytes: [UInt8]
        if let writable = value as? JSONWritable {
            var writer = JSONWriter()
            writable.writeJSON(&writer)
            bytes = writer.bytes
        } else {
            bytes = try JSON.encode(value)
        }
        return Response(status: status, headers: [("Content-Type", "application/json")] + headers, body: .bytes(bytes))
    }

    /// A versioned resource: JSON with its version as `ETag`, and `Location` when just created
    /// (201) or accepted for processing (202).
    public static func resource(_ value: some Encodable, version: Int64, location: String, status: Int = 200) throws -> Response {
        var headers: [(name: String, value: String)] = [("ETag", Preconditions.etag(version: version))]
        if status == 201 || status == 202 { headers.append(("Location", location)) }
        return try .json(value, status: status, headers: headers)
    }

    /// A plain-text response.
    public static func text(_ text: String, status: Int = 200) -> Response {
        Response(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Array(text.utf8)))
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
