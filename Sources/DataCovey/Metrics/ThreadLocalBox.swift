import Foundation

/// A value of which each thread has its own copy, for caches the responder's threads read on
/// every request without sharing a lock. Backed by a pthread key; a thread's copy is released
/// when the thread ends.
final class ThreadLocalBox<Value>: @unchecked Sendable {
    private final class Storage {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private let key: pthread_key_t

    init() {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<AnyObject>.fromOpaque(pointer).release()
        }
        precondition(created == 0, "pthread_key_create failed: \(created)")
        self.key = key
    }

    deinit {
        // Copies of threads still running leak; boxes live as long as the process in practice.
        pthread_key_delete(key)
    }

    /// Runs `body` on this thread's copy, made from `initial` on the thread's first use.
    func withValue<Result>(default initial: @autoclosure () -> Value, _ body: (inout Value) -> Result) -> Result {
        let storage: Storage
        if let pointer = pthread_getspecific(key) {
            storage = Unmanaged<Storage>.fromOpaque(pointer).takeUnretainedValue()
        } else {
            storage = Storage(initial())
            pthread_setspecific(key, Unmanaged.passRetained(storage).toOpaque())
        }
        return body(&storage.value)
    }
}
