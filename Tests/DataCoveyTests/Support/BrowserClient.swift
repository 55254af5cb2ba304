import Foundation
import TestSupport

/// A browser as far as sign-in and forms need one: keeps cookies by name, follows nothing by
/// itself (tests look at every redirect), posts forms.
final class BrowserClient {
    let db: StackDatabase
    private(set) var cookies: [String: String] = [:]
    /// Every `Set-Cookie` the server sent, whole (to check the flags).
    private(set) var setCookies: [String] = []

    init(db: StackDatabase) {
        self.db = db
    }

    func get(_ path: String) throws -> HTTPTestClient.Response {
        try send("GET", path)
    }

    func post(_ path: String, form: [(String, String)]) throws -> HTTPTestClient.Response {
        let body = form.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        return try send("POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8))
    }

    /// A `multipart/form-data` form, as a browser sends a file input: the fields, then the file.
    func post(_ path: String, multipart fields: [(String, String)], file: (name: String, content: String)) throws -> HTTPTestClient.Response {
        let boundary = "----DataCoveyForm\(UInt32.random(in: 0..<UInt32.max))"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n\(file.content)\r\n--\(boundary)--\r\n"
        return try send("POST", path, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: Array(body.utf8))
    }

    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPTestClient.Response {
        var all = headers
        if !cookies.isEmpty {
            all.append(("Cookie", cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
        }
        let response = try db.stack.http(method, path, headers: all, body: body)
        // Several Set-Cookie headers arrive joined by ", "; no DataCovey cookie value holds one.
        for cookie in response.headers["set-cookie"]?.components(separatedBy: ", ") ?? [] {
            setCookies.append(cookie)
            let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0])
            if cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
        }
        return response
    }

    func forget(_ name: String) { cookies[name] = nil }
    func set(_ name: String, _ value: String) { cookies[name] = value }

    /// The path and query of an absolute redirect to the stack (the public URL's origin).
    static func local(_ location: String?) -> String? {
        guard let location, let url = URLComponents(string: location) else { return nil }
        return url.path + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// Signs in through the development provider as the user with `subject`; answers the final response.
    @discardableResult
    func signIn(subject: String) throws -> HTTPTestClient.Response {
        let start = try get("/auth/start")
        guard let authorize = Self.local(start.headers["location"]) else { return start }
        let chosen = try get(authorize + "&" + "login_hint=" + Self.escape(subject))
        guard let callback = Self.local(chosen.headers["location"]) else { return chosen }
        return try get(callback)
    }

    /// The value of a hidden `csrf_token` field in a page.
    static func csrfToken(in page: String) -> String? {
        guard let range = page.range(of: "name=\"csrf_token\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }
}
