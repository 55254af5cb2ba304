import FastCGI
import Foundation
import Logging
import MariaDB

/// The responder's request path: route, call the handler, turn every error into one
/// problem+json answer, write the response. One instance serves all threads.
public final class Application: Sendable {
    public let router: Router
    public let configuration: Configuration
    public let logger: Logger
    public let metrics: RequestMetrics

    public init(router: Router, configuration: Configuration, logger: Logger, metrics: RequestMetrics = RequestMetrics()) {
        self.router = router
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
    }

    /// Entry point for the FastCGI server: answers, then counts the request and logs one line
    /// (request id, route, status, duration, tenant when known; never the query string, a
    /// header or a body, where tokens and values travel).
    public func handle(_ raw: FastCGIRequest, writer: FastCGIResponseWriter) {
        let started = DispatchTime.now().uptimeNanoseconds
        let requestID = requestID(of: raw)
        let trace = RequestTrace()
        let (response, route) = respond(to: raw, requestID: requestID, trace: trace)
        write(response, to: writer, isHead: raw.method == "HEAD", requestID: requestID)
        let nanoseconds = Int64(DispatchTime.now().uptimeNanoseconds - started)
        metrics.record(method: raw.method, route: route, status: response.status, nanoseconds: nanoseconds)
        guard logger.logLevel <= .info else { return }
        var metadata: Logger.Metadata = [
            "request_id": .string(requestID), "method": .string(raw.method),
            "route": .string(route ?? RequestMetrics.unmatched), "status": .stringConvertible(response.status),
            "duration_ms": .stringConvertible(Double(nanoseconds / 1000) / 1000),
        ]
        if let tenant = trace.tenantID { metadata["tenant_id"] = .stringConvertible(tenant) }
        logger.info("request", metadata: metadata)
    }

    /// Routes and runs a request; never throws. Tests call this directly, without a socket.
    public func respond(to raw: FastCGIRequest) -> Response {
        respond(to: raw, requestID: requestID(of: raw), trace: RequestTrace()).response
    }

    /// The response and the matched route pattern (nil when no route matched).
    private func respond(to raw: FastCGIRequest, requestID: String, trace: RequestTrace) -> (response: Response, route: String?) {
        var route: String?
        do {
            if let body = raw.body, body.isDeclaredTooLarge {
                throw HTTPError.tooLarge(limit: body.limit)
            }
            switch router.match(method: raw.method, path: raw.path) {
            case .notFound:
                throw HTTPError.notFound()
            case .methodNotAllowed(let allowed):
                throw HTTPError.methodNotAllowed(allowed: allowed)
            case .found(let handler, let parameters, let pattern):
                route = pattern
                let request = Request(raw: raw, parameters: parameters, trace: trace)
                // Credentials first: a request without any is answered 401 before anything of it
                // (a cursor, If-Match, the body) is judged, so the answer never depends on input
                // the caller was not yet allowed to send.
                if RequestAuthenticator.needsCredentials(path: raw.path), request.header("authorization") == nil {
                    throw HTTPError.unauthorized()
                }
                var response = try handler(request)
                response.headers.append(("X-Request-Id", requestID))
                return (response, route)
            }
        } catch {
            let problem = Self.problem(for: error)
            if problem.status >= 500 {
                logger.error("request failed", metadata: [
                    "request_id": .string(requestID), "method": .string(raw.method),
                    "route": .string(route ?? RequestMetrics.unmatched),
                    "status": .stringConvertible(problem.status), "error": .string(Self.logText(for: error)),
                ])
            }
            // A browser asking for a page gets the error as a page; API clients get problem+json.
            var response = Request(raw: raw).prefersHTML
                ? Pages.shared.error(problem, viewer: nil)
                : problem.response(requestID: requestID, instance: raw.path)
            response.headers.append(("X-Request-Id", requestID))
            return (response, route)
        }
    }

    /// Maps any error to the problem the client sees. Database and unknown errors become a
    /// generic 500 (their text stays in the log); an unreachable database becomes 503.
    static func problem(for error: Error) -> HTTPError {
        switch error {
        case let error as ProblemConvertible:
            return error.problem
        case FastCGIError.bodyTooLarge(let limit):
            return .tooLarge(limit: limit)
        case MariaDBPoolError.leaseTimeout:
            return .unavailable("The database is busy; try again shortly.")
        case MariaDBPoolError.shutDown:
            return .unavailable("The service is shutting down.")
        case let error as MariaDBError where error.isConnectionFailure:
            // Lost connections and Galera nodes that refuse statements (1047) that could not be
            // retried on another node (MariaDBPool.Retry): the outcome is unknown or nothing ran.
            return .unavailable("The database is unavailable; try again shortly.")
        case let error as MariaDBError where error.isDeadlock:
            // A deadlock or a Galera certification failure that outlasted the pool's retries.
            return .unavailable("Other changes hold these rows; try again.")
        case is DecodingError:
            return .badRequest("The request body is not valid JSON for this endpoint.")
        default:
            return .internalError(logText(for: error))
        }
    }

    private static func logText(for error: Error) -> String {
        // A database error's message and SQL, with the values they quote left out (logs carry no
        // SQL values); any other error's debugDescription where the type has one.
        if let error = error as? MariaDBError { return error.logDescription }
        return String(reflecting: error)
    }

    private func requestID(of raw: FastCGIRequest) -> String {
        if let id = raw.params["REQUEST_ID"], !id.isEmpty { return id }
        return UUID().uuidString.lowercased()
    }

    private func write(_ response: Response, to writer: FastCGIResponseWriter, isHead: Bool, requestID: String) {
        do {
            var headers = response.headers
            if case .bytes(let bytes) = response.body {
                headers.append(("Content-Length", String(bytes.count)))
            }
            if !headers.contains(where: { $0.name.lowercased() == "cache-control" }) {
                headers.append(("Cache-Control", "no-store"))
            }
            try writer.writeHead(status: response.status, headers: headers)
            guard !isHead else { return }
            switch response.body {
            case .empty: break
            case .bytes(let bytes): try writer.write(bytes)
            case .stream(let produce): try produce(writer)
            }
        } catch FastCGIError.connectionClosed {
            logger.debug("client went away", metadata: ["request_id": .string(requestID)])
        } catch {
            // The head is out already; all that is left is to log and cut the body short.
            logger.error("response stream failed", metadata: [
                "request_id": .string(requestID), "error": .string(Self.logText(for: error)),
            ])
        }
    }
}
