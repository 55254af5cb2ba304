import Foundation
import Metrics

/// Counts every answered request and its duration by method, route pattern and status.
///
/// Labels are the route's pattern (`/api/v1/tables/{id:int}`), never the raw path, so the
/// number of series stays bounded by the router; unknown methods and unrouted paths get one
/// label each. Looking up a labelled series in swift-metrics takes the registry's lock, which
/// would serialize the responder threads once per request: each thread keeps its own map of
/// the series it has used (`ThreadLocalBox`), so a request touches only the series' own atomic
/// counter and the histogram's lock the library already takes.
public final class RequestMetrics: Sendable {
    struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    struct Series {
        let count: Counter
        let duration: Metrics.Timer
    }

    /// The route label of a request no route matched.
    static let unmatched = "unmatched"
    private static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    private let seriesByThread = ThreadLocalBox<[Key: Series]>()

    public init() {}

    /// Records one answered request; `route` is the matched pattern, nil when none matched.
    func record(method: String, route: String?, status: Int, nanoseconds: Int64) {
        let key = Key(method: Self.methods.contains(method) ? method : "OTHER", route: route ?? Self.unmatched,
                      status: status)
        let series = seriesByThread.withValue(default: [:]) { cache -> Series in
            if let series = cache[key] { return series }
            let dimensions = [("method", key.method), ("route", key.route), ("status", String(key.status))]
            let series = Series(count: Counter(label: MetricsBootstrap.requests, dimensions: dimensions),
                                duration: Metrics.Timer(label: MetricsBootstrap.requestDuration, dimensions: dimensions))
            cache[key] = series
            return series
        }
        series.count.increment()
        series.duration.recordNanoseconds(nanoseconds)
    }
}
