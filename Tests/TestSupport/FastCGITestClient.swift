/// Speaks the FastCGI wire protocol to a responder, as nginx would, byte for byte; lets tests also
/// send what nginx never would (truncated records, garbage, hostile lengths).
public enum FastCGITestClient {
    public enum RecordType: UInt8 {
        case beginRequest = 1, endRequest = 3, params = 4, stdin = 5, stdout = 6, stderr = 7
    }

    public static func record(_ type: RecordType, requestID: UInt16 = 1, _ content: [UInt8]) -> [UInt8] {
        precondition(content.count <= 65535)
        let padding = (8 - content.count % 8) % 8
        var bytes: [UInt8] = [1, type.rawValue, UInt8(requestID >> 8), UInt8(requestID & 0xFF),
                              UInt8(content.count >> 8), UInt8(content.count & 0xFF), UInt8(padding), 0]
        bytes += content
        bytes += [UInt8](repeating: 0, count: padding)
        return bytes
    }

    public static func beginRequest() -> [UInt8] {
        record(.beginRequest, [0, 1, 0, 0, 0, 0, 0, 0])
    }

    static func length(_ count: Int) -> [UInt8] {
        count < 128 ? [UInt8(count)] : [UInt8((count >> 24) & 0x7F) | 0x80, UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
    }

    public static func encodeParams(_ params: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in params {
            bytes += length(name.utf8.count) + length(value.utf8.count) + Array(name.utf8) + Array(value.utf8)
        }
        return bytes
    }

    /// A whole request: begin, params, body in chunks, end of stdin.
    public static func request(params: [(String, String)], body: [UInt8] = []) -> [UInt8] {
        var bytes = beginRequest()
        let encoded = encodeParams(params)
        var offset = 0
        while offset < encoded.count {
            let end = min(offset + 65535, encoded.count)
            bytes += record(.params, Array(encoded[offset..<end]))
            offset = end
        }
        bytes += record(.params, [])
        offset = 0
        while offset < body.count {
            let end = min(offset + 32768, body.count)
            bytes += record(.stdin, Array(body[offset..<end]))
            offset = end
        }
        bytes += record(.stdin, [])
        return bytes
    }

    /// The STDOUT stream of a response, reassembled from its records.
    public static func stdout(of response: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index + 8 <= response.count {
            let type = response[index + 1]
            let length = Int(response[index + 4]) << 8 | Int(response[index + 5])
            let padding = Int(response[index + 6])
            let start = index + 8
            guard start + length <= response.count else { break }
            if type == RecordType.stdout.rawValue { output += response[start..<start + length] }
            index = start + length + padding
        }
        return output
    }

    /// Sends a request to a unix socket and returns the CGI response (status line from `Status:`).
    public static func send(to path: String, params: [(String, String)], body: [UInt8] = []) throws -> CGIResponse {
        let socket = try TestSocket.unix(path)
        try socket.send(request(params: params, body: body))
        return CGIResponse(parsing: stdout(of: try socket.readToEnd()))
    }
}

/// A CGI-style response: `Status:` and other headers, a blank line, the body.
public struct CGIResponse {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public var text: String { String(decoding: body, as: UTF8.self) }

    public init(parsing bytes: [UInt8]) {
        var headers: [String: String] = [:]
        var status = 200
        var bodyStart = bytes.count
        var lineStart = 0
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 {
                if index == lineStart {
                    bodyStart = index + 2
                    break
                }
                let line = String(decoding: bytes[lineStart..<index], as: UTF8.self)
                if let colon = line.firstIndex(of: ":") {
                    let name = line[..<colon].lowercased()
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    headers[name] = value
                    if name == "status" { status = Int(value.prefix(3)) ?? 0 }
                }
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        self.status = bytes.isEmpty ? 0 : status
        self.headers = headers
        self.body = bodyStart < bytes.count ? Array(bytes[bodyStart...]) : []
    }
}

import Foundation
