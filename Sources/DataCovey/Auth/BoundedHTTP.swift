import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An outbound HTTP call (the JWKS, the sign-in's token exchange) that ends within `deadline`
/// whatever the other side does. `URLRequest.timeoutInterval` bounds only the silence between
/// bytes, so a server that answers a byte at a time, or accepts and never answers on some
/// stacks, could hold a responder thread for good; here the whole call is given up and
/// cancelled at the deadline.
enum BoundedHTTP {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A GET of `url`.
    static func get(_ url: URL, deadline seconds: TimeInterval) throws -> (status: Int, body: Data) {
        try send(URLRequest(url: url), deadline: seconds)
    }

    /// The status and body of `request`, or `Failure` when it could not be completed in time.
    static func send(_ request: URLRequest, deadline seconds: TimeInterval) throws -> (status: Int, body: Data) {
        var request = request
        // The session's own timeout goes by whole seconds on Linux (0.5 is at once) and only
        // backs up the deadline below.
        request.timeoutInterval = seconds.rounded(.up) + 1
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }
        task.resume()
        guard done.wait(timeout: .now() + seconds) == .success else {
            task.cancel()
            throw Failure(description: "no complete answer from \(request.url?.host ?? "the server") within \(seconds) s")
        }
        let (data, status, error) = box.get()
        guard error == nil, let data, let status else {
            throw Failure(description: "\(request.url?.host ?? "the server") could not be reached (\(error.map { "\($0)" } ?? "no answer"))")
        }
        return (status, data)
    }

    private final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        private var status: Int?
        private var error: Error?

        func set(data: Data?, status: Int?, error: Error?) {
            lock.withLock { (self.data, self.status, self.error) = (data, status, error) }
        }

        func get() -> (Data?, Int?, Error?) { lock.withLock { (data, status, error) } }
    }
}
