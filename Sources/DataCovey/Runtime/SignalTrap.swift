import Dispatch
import Foundation

/// Runs a closure once when SIGTERM or SIGINT arrives (instead of dying at once), so a process
/// can finish its work before it exits.
final class SignalTrap: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(signals: [Int32] = [SIGTERM, SIGINT], _ action: @escaping @Sendable (Int32) -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { action(number) }
            source.resume()
            sources.append(source)
        }
    }
}
