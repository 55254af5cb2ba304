import Foundation

/// A minimal HTTP/1.1 client for loopback tests: one request per connection, `Connection: close`.
public enum HTTPTestClient {
    public struct Response {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
        public func json() throws -> [String: Any] {
            (try JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
    }

    public static func request(port: Int, method: String = "GET", path: String, headers: [(String, String)] = [],
                               body: [UInt8] = [], timeoutSeconds: Int = 15) throws -> Response {
        let socket = try TestSocket.loopback(port: port, timeoutSeconds: timeoutSeconds)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" || method == "PATCH" {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        try socket.send(Array(head.utf8) + body)
        return parse(try socket.readToEnd())
    }

    /// A raw HTTP/1.1 answer (head, then the body, dechunked) as a `Response`.
    public static func parse(_ bytes: [UInt8]) -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        var split = bytes.count
        if bytes.count >= 4 {
            for index in 0...(bytes.count - 4) where Array(bytes[index..<index + 4]) == separator {
                split = index
                break
            }
        }
        let head = String(decoding: bytes[0..<split], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        var body = split + 4 <= bytes.count ? Array(bytes[(split + 4)...]) : []
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            var lineEnd = index
            while lineEnd + 1 < bytes.count && !(bytes[lineEnd] == 13 && bytes[lineEnd + 1] == 10) { lineEnd += 1 }
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { break }
            output += bytes[start..<start + size]
            index = start + size + 2
        }
        return output
    }
}
