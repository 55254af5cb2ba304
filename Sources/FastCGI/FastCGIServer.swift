import CFastCGI
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A multi-threaded FastCGI responder over libfcgi: each thread owns one `FCGX_Request` and handles
/// one request at a time, synchronously, end to end (libfcgi and the database client block, so none
/// of this runs on Swift's cooperative pool).
public final class FastCGIServer: Sendable {
    /// How the server listens and how much it accepts.
    public struct Configuration: Sendable {
        public var address: ListenAddress
        public var threadCount: Int
        /// Must be at least the web server's concurrency (SECURITY rule 20).
        public var backlog: Int32
        /// The largest request body handed to a handler.
        public var maxBodyBytes: Int

        public init(address: ListenAddress, threadCount: Int = 16, backlog: Int32 = 1024, maxBodyBytes: Int = 1 << 30) {
            self.address = address
            self.threadCount = max(1, threadCount)
            self.backlog = max(1024, backlog)
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// Handles one request. It must write a response head (the server writes a bare 500 otherwise).
    public typealias Handler = @Sendable (FastCGIRequest, FastCGIResponseWriter) -> Void

    private enum ThreadState: Sendable { case accepting, busy, finished }

    private struct State: Sendable {
        var isStopping = false
        var threads: [Int: (thread: pthread_t, state: ThreadState)] = [:]
    }

    public let configuration: Configuration
    private let handler: Handler
    private let state = Mutex(State())
    private let listenFD: Int32
    private static let wakeSignal = SIGUSR1

    /// Opens the listening socket; call `run()` to serve.
    public init(configuration: Configuration, handler: @escaping Handler) throws {
        self.configuration = configuration
        self.handler = handler
        guard FCGX_Init() == 0 else { throw FastCGIError.listenFailed("FCGX_Init failed") }
        _ = CFastCGI_installWakeSignal(Self.wakeSignal)
        self.listenFD = try ListeningSocket.open(configuration.address, backlog: configuration.backlog)
    }

    /// Serves until `stop()` is called, then returns once every in-flight request has finished.
    public func run() {
        let group = DispatchGroup()
        for index in 0..<configuration.threadCount {
            group.enter()
            let thread = Thread { [self] in
                self.serve(threadIndex: index)
                group.leave()
            }
            thread.name = "fcgi-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        if case .unixSocket(let path) = configuration.address {
            close(listenFD)
            unlink(path)
        }
    }

    /// Stops accepting; requests in flight run to completion. Safe to call from any thread, many times.
    public func stop() {
        // Not FCGX_ShutdownPending(): its flag is process-global and would stay set for any
        // later server in the same process; the wake-up below is all that is needed.
        state.withLock { $0.isStopping = true }
        // Threads blocked in accept() are woken by a signal that fails accept with EINTR. A thread
        // may enter accept() just after the signal, so keep waking idle threads until all are gone.
        Thread.detachNewThread { [self] in
            while true {
                let idle: [pthread_t] = state.withLock { state in
                    state.threads.values.filter { $0.state == .accepting }.map(\.thread)
                }
                let running = state.withLock { $0.threads.values.contains { $0.state != .finished } }
                if !running { return }
                for thread in idle { pthread_kill(thread, Self.wakeSignal) }
                usleep(50_000)
            }
        }
    }

    /// Whether `stop()` has been called.
    public var isStopping: Bool { state.withLock { $0.isStopping } }

    private func setThreadState(_ index: Int, _ newState: ThreadState) -> Bool {
        state.withLock { state in
            state.threads[index] = (pthread_self(), newState)
            return state.isStopping
        }
    }

    private func serve(threadIndex: Int) {
        var request = FCGX_Request()
        guard FCGX_InitRequest(&request, listenFD, FCGI_FAIL_ACCEPT_ON_INTR) == 0 else {
            _ = setThreadState(threadIndex, .finished)
            return
        }
        while true {
            if setThreadState(threadIndex, .accepting) { break }
            let accepted = FCGX_Accept_r(&request)
            if setThreadState(threadIndex, .busy) {
                if accepted >= 0 { handle(&request) }
                break
            }
            // Negative: EINTR from a wake-up, or a connection that failed before its params were
            // read (garbage, truncated records). Neither concerns the other threads.
            guard accepted >= 0 else {
                usleep(1000)  // a persistent accept() failure must not become a hot loop
                continue
            }
            handle(&request)
        }
        FCGX_Finish_r(&request)
        _ = setThreadState(threadIndex, .finished)
    }

    private func handle(_ request: inout FCGX_Request) {
        guard let input = request.in, let output = request.out else {
            FCGX_Finish_r(&request)
            return
        }
        let params = Self.params(from: request.envp)
        let declared = params["CONTENT_LENGTH"].flatMap { Int($0) }
        let body = FastCGIRequestBody(stream: input, limit: configuration.maxBodyBytes, declaredLength: declared)
        let writer = FastCGIResponseWriter(stream: output)
        handler(FastCGIRequest(params: params, body: body), writer)
        if !writer.isHeadWritten {
            try? writer.writeHead(status: 500, headers: [("Content-Type", "text/plain")])
        }
        FCGX_Finish_r(&request)
    }

    /// Reads libfcgi's NULL-terminated `name=value` array.
    private static func params(from envp: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String: String] {
        var params: [String: String] = [:]
        guard var cursor = envp else { return params }
        while let entry = cursor.pointee {
            let pair = String(cString: entry)
            if let eq = pair.firstIndex(of: "=") {
                params[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            cursor += 1
        }
        return params
    }
}
