import Crypto
import Foundation
import MariaDB

/// `Idempotency-Key` on POST: the first request with a key runs and its response is kept; a retry
/// with the same key and request gets that response again (`Idempotent-Replayed: true`), a reuse
/// with another request is refused (422), and one arriving while the first still runs waits (409).
struct IdempotencyKeys {
    let connection: MariaDBConnection
    let identity: Identity
    static let lifetimeSeconds = 24 * 3600

    /// The request's key, if it sends one that is 1–255 visible ASCII characters (400 otherwise).
    static func validatedKey(_ request: Request) throws -> String? {
        guard let key = request.header("idempotency-key") else { return nil }
        guard !key.isEmpty, key.utf8.count <= 255, key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw HTTPError.badRequest("Idempotency-Key must be 1–255 visible ASCII characters.",
                                       errors: [.init(field: "Idempotency-Key", message: "is not a valid key")])
        }
        return key
    }

    func run(key: String, request: Request, _ handler: () throws -> Response) throws -> Response {
        _ = try Self.validatedKey(request)
        let body = try request.raw.body?.buffer() ?? []
        let hash = SHA256.hash(data: Array("\(request.method) \(request.path)\n".utf8) + body)
            .map { String(format: "%02x", $0) }.joined()
        // Keys older than their lifetime count as unused.
        try connection.execute("""
            DELETE FROM idempotency_keys WHERE user_id = \(identity.userID) AND idempotency_key = \(key)
              AND created_at < UTC_TIMESTAMP(6) - INTERVAL \(Self.lifetimeSeconds) SECOND
            """)
        if let stored = try connection.query("""
            SELECT request_hash, status, response_body, location, etag FROM idempotency_keys
            WHERE user_id = \(identity.userID) AND idempotency_key = \(key)
            """).first {
            return try replay(stored, hash: hash)
        }
        do {
            try connection.execute("""
                INSERT INTO idempotency_keys (tenant_id, user_id, idempotency_key, request_hash)
                VALUES (\(identity.tenantID), \(identity.userID), \(key), \(hash))
                """)
        } catch let error as MariaDBError where error.isDuplicateKey {
            throw HTTPError.conflict("A request with this Idempotency-Key is still being processed; retry shortly.")
        }
        let response: Response
        do {
            response = try handler()
        } catch {
            try? forget(key)
            throw error
        }
        guard (200..<300).contains(response.status), case .bytes(let bytes) = response.body else {
            try forget(key)
            return response
        }
        try connection.execute("""
            UPDATE idempotency_keys SET status = \(response.status), response_body = \(bytes),
              location = \(response.header("Location")), etag = \(response.header("ETag"))
            WHERE user_id = \(identity.userID) AND idempotency_key = \(key)
            """)
        return response
    }

    private func replay(_ stored: MariaDBRow, hash: String) throws -> Response {
        let (storedHash, status, body, location, etag) = try stored.decode((String, Int?, [UInt8]?, String?, String?).self)
        guard storedHash == hash else {
            throw HTTPError.unprocessable("This Idempotency-Key was used for a different request.",
                                          errors: [.init(field: "Idempotency-Key", message: "belongs to another request")])
        }
        guard let status else {
            throw HTTPError.conflict("A request with this Idempotency-Key is still being processed; retry shortly.")
        }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Idempotent-Replayed", "true")]
        if let location { headers.append(("Location", location)) }
        if let etag { headers.append(("ETag", etag)) }
        return Response(status: status, headers: headers, body: .bytes(body ?? []))
    }

    private func forget(_ key: String) throws {
        try connection.execute("DELETE FROM idempotency_keys WHERE user_id = \(identity.userID) AND idempotency_key = \(key)")
    }
}
