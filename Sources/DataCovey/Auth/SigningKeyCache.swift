import _CryptoExtras
import Foundation

/// The issuer's signing keys, cached by `kid`. An unknown `kid` refetches the JWKS at most once
/// per cooldown (SECURITY rule 12), so a flood of tokens with made-up kids cannot turn into a
/// flood of fetches, while a real key rotation is picked up at the first token that uses it.
public final class SigningKeyCache: @unchecked Sendable {
    /// Loads the JWKS document (from a URL or a file); blocking, called under no lock.
    public typealias Fetch = @Sendable () throws -> [UInt8]

    private let fetch: Fetch
    private let cooldown: TimeInterval
    private let lock = NSLock()
    private var keys: [String: _RSA.Signing.PublicKey] = [:]
    private var lastFetch: Date?

    public init(cooldown: TimeInterval = 300, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.cooldown = cooldown
    }

    /// The key for `kid`, fetching the JWKS when the kid is unknown and the cooldown allows.
    func key(for kid: String, now: Date = Date()) throws(TokenError) -> _RSA.Signing.PublicKey {
        let (cached, mayFetch) = lock.withLock { () -> (_RSA.Signing.PublicKey?, Bool) in
            if let key = keys[kid] { return (key, false) }
            guard lastFetch.map({ now.timeIntervalSince($0) >= cooldown }) ?? true else { return (nil, false) }
            lastFetch = now
            return (nil, true)
        }
        if let cached { return cached }
        guard mayFetch else { throw .unknownKeyID }
        let fetched: JSONWebKeySet
        do {
            fetched = try JSONWebKeySet(json: try fetch())
        } catch {
            throw .keysUnavailable
        }
        lock.withLock { keys = fetched.keys }
        guard let key = fetched.keys[kid] else { throw .unknownKeyID }
        return key
    }

    /// Fetches from a URL: `https://…` for Auth0 (given up after `deadline` seconds: a token
    /// waits for it), `file://…` for the development issuer.
    public static func fetching(from url: URL, deadline: TimeInterval = 5) -> Fetch {
        guard !url.isFileURL else { return { Array(try Data(contentsOf: url)) } }
        return {
            let (status, body) = try BoundedHTTP.get(url, deadline: deadline)
            guard status == 200 else { throw BoundedHTTP.Failure(description: "the JWKS answered \(status)") }
            return Array(body)
        }
    }
}
