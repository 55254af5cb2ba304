import Prometheus

/// `GET /metrics`: the responder's registry in Prometheus text format, served only to nginx's
/// metrics server block, which listens on a local address and adds `fastcgi_param
/// DATACOVEY_METRICS 1`. The public server never sets that param, and a client cannot: its
/// headers reach the responder only as `HTTP_*` params (and nginx drops header names with
/// underscores). Anywhere else the path is 404, like any unknown path.
public struct MetricsEndpoint: Sendable {
    /// The FastCGI param that marks the metrics server block's requests.
    public static let param = "DATACOVEY_METRICS"

    let registry: PrometheusCollectorRegistry
    let pools: PoolMetrics

    public init(registry: PrometheusCollectorRegistry, pools: PoolMetrics) {
        self.registry = registry
        self.pools = pools
    }

    /// Adds the route; kept out of `Routes.make`, so the OpenAPI document (the public API) does
    /// not list it.
    public func register(on router: inout Router) {
        router.add("GET", "/metrics") { request in
            guard request.raw.params[Self.param] == "1" else { throw HTTPError.notFound() }
            pools.update()
            return Response(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                            body: .bytes(registry.emitToBuffer()))
        }
    }
}
