import Foundation
import Prometheus

/// Writes a registry to a file in the node_exporter "textfile" way: the worker has no HTTP
/// port, so it rewrites `$RUN_DIR/metrics/worker.prom` and nginx's metrics server serves that
/// file (`/metrics/worker`). Written to a temporary name and renamed, so a scrape never reads
/// half a file.
struct MetricsTextFile: Sendable {
    let path: String
    let registry: PrometheusCollectorRegistry

    func write() throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = "\(path).\(getpid()).tmp"
        try Data(registry.emitToBuffer()).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename to \(path): \(String(cString: strerror(code)))"])
        }
    }
}
