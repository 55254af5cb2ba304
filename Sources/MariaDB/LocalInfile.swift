import CMariaDB

/// The bytes of a `LOAD DATA LOCAL INFILE`, produced by the caller instead of read from a file:
/// the worker streams converted rows straight into the server, parsing the next chunk while
/// the server stores the last one, and no file name the server names is ever opened.
public protocol LocalInfileSource: AnyObject {
    /// The next bytes of the "file"; an empty array ends it. Throwing aborts the statement.
    func nextChunk() throws -> [UInt8]
}

extension MariaDBConnection {
    /// Runs `LOAD DATA LOCAL INFILE '<any name>' …` (trusted SQL) with `source` as the file.
    /// Needs `allowsLocalInfile`. Returns the rows the server loaded. An error thrown by the
    /// source is rethrown as itself once the server has given up on the statement.
    public func loadLocalInfile(_ unsafeSQL: String, from source: LocalInfileSource) throws -> UInt64 {
        precondition(configuration.allowsLocalInfile, "loadLocalInfile needs allowsLocalInfile")
        let mysql = try live()
        let state = LocalInfileState(source)
        let userdata = Unmanaged.passRetained(state).toOpaque()
        defer { Unmanaged<LocalInfileState>.fromOpaque(userdata).release() }
        mysql_set_local_infile_handler(mysql, localInfileInit, localInfileRead, localInfileEnd, localInfileError, userdata)
        defer { mysql_set_local_infile_default(mysql) }
        guard mysql_real_query(mysql, unsafeSQL, UInt(unsafeSQL.utf8.count)) == 0 else {
            let error = fail(mysql, sql: unsafeSQL)
            throw state.failure ?? error
        }
        // Read before draining: a drained connection reports (my_ulonglong)-1.
        let loaded = mysql_affected_rows(mysql)
        try drainResults(mysql, sql: unsafeSQL)
        if let failure = state.failure { throw failure }
        return loaded
    }
}

/// What the C callbacks share: the source and the part of its last chunk not yet handed over.
private final class LocalInfileState {
    let source: LocalInfileSource
    var chunk: [UInt8] = []
    var offset = 0
    var failure: Error?

    init(_ source: LocalInfileSource) { self.source = source }
}

private func localInfileInit(_ context: UnsafeMutablePointer<UnsafeMutableRawPointer?>?, _ name: UnsafePointer<CChar>?,
                             _ userdata: UnsafeMutableRawPointer?) -> Int32 {
    context?.pointee = userdata
    return 0
}

private func localInfileRead(_ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: UInt32) -> Int32 {
    guard let context, let buffer else { return -1 }
    let state = Unmanaged<LocalInfileState>.fromOpaque(context).takeUnretainedValue()
    do {
        while state.offset == state.chunk.count {
            state.chunk = try state.source.nextChunk()
            state.offset = 0
            if state.chunk.isEmpty { return 0 }
        }
    } catch {
        state.failure = error
        return -1
    }
    let count = min(Int(length), state.chunk.count - state.offset)
    state.chunk.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + state.offset, byteCount: count)
    }
    state.offset += count
    return Int32(count)
}

private func localInfileEnd(_ context: UnsafeMutableRawPointer?) {}

private func localInfileError(_ context: UnsafeMutableRawPointer?, _ message: UnsafeMutablePointer<CChar>?, _ length: UInt32) -> Int32 {
    guard let message, length > 0 else { return 2000 }
    let text = Array("the import stream stopped".utf8.prefix(Int(length) - 1))
    for (index, byte) in text.enumerated() { message[index] = CChar(bitPattern: byte) }
    message[text.count] = 0
    return 2000
}
