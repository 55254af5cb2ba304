import MariaDB

/// The rows one append import added, as runs of row ids with a constant step (sql/0025), and
/// how a revert deletes exactly them.
///
/// Why not a block of ids: under Galera (innodb_autoinc_lock_mode 2, and
/// wsrep_auto_increment_control stepping every node's ids by the cluster size) and with other
/// inserts into the table at the same time, a LOAD DATA's ids are neither consecutive nor
/// free of other writers' ids in between. What is exact (ImportRunner): the load runs in a
/// transaction opened `WITH CONSISTENT SNAPSHOT` before it, and after it the rows that
/// transaction sees with `_dc_row_id >= LAST_INSERT_ID()` are exactly its own:
/// - a row committed before the snapshot took its id before the load's first id (one counter
///   per table and node, always increasing; a row applied from another Galera node, which
///   carries its own id, pushes the local counter past it when it is applied);
/// - a row committed after the snapshot, or not committed, is not visible to it;
/// - its own rows are visible to it.
/// The read is a plain (consistent) SELECT: a locking read (`INSERT … SELECT`, `FOR UPDATE`)
/// would read the latest committed rows instead, and wait on concurrent inserters.
struct ImportRowRuns {
    struct Run: Equatable {
        let first: Int64
        let last: Int64
        let step: Int64
        var rows: Int64 { (last - first) / step + 1 }
    }

    /// Runs written per INSERT and deleted per DELETE.
    static let batch = 500

    /// The runs of the rows visible on `connection` (the loading transaction) in `table` with
    /// ids from `first` on. The fast way: gaps and islands over `step` (the session's
    /// auto_increment_increment: the ids one node hands out all lie on its offset, `step`
    /// apart), in the server. Its groups are checked (each must be a whole run); when one is
    /// not (the cluster's size, hence the step, changed during the load), the ids are read
    /// one by one and cut into runs of any constant step, which is exact for any pattern.
    static func find(in table: String, from first: Int64, step: Int64, on connection: MariaDBConnection) throws -> [Run] {
        let id = "`\(TableDefinition.rowIDColumn)`"
        // Most loads are one run (no other writer of the table meanwhile): one aggregate over
        // the primary key's range tells.
        let (count, low, high) = try connection.query("""
            SELECT COUNT(*), COALESCE(MIN(\(unsafeRaw: id)), 0), COALESCE(MAX(\(unsafeRaw: id)), 0)
              FROM \(unsafeRaw: table) WHERE \(unsafeRaw: id) >= \(first)
            """)[0].decode((Int64, Int64, Int64).self)
        if count == 0 { return [] }
        if (high - low) % step == 0 && (high - low) / step + 1 == count { return [Run(first: low, last: high, step: step)] }
        // An island: ids whose distance from the first one is step × their rank.
        let islands = try connection.query("""
            SELECT MIN(id), MAX(id), COUNT(*) FROM (
              SELECT \(unsafeRaw: id) AS id, \(unsafeRaw: id) - \(step) * ROW_NUMBER() OVER (ORDER BY \(unsafeRaw: id)) AS island
                FROM \(unsafeRaw: table) WHERE \(unsafeRaw: id) >= \(first)
            ) ids GROUP BY island ORDER BY 1
            """).map { try $0.decode((Int64, Int64, Int64).self) }
        let runs = islands.map { Run(first: $0.0, last: $0.1, step: step) }
        let whole = zip(runs, islands).allSatisfy { run, island in
            (run.last - run.first) % step == 0 && run.rows == island.2
        }
        let disjoint = zip(runs, runs.dropFirst()).allSatisfy { $0.last < $1.first }
        if whole && disjoint { return runs }
        return try scan(table, from: first, on: connection)
    }

    /// The runs by reading every id in order: a run goes on while the distance stays the same.
    static func scan(_ table: String, from first: Int64, on connection: MariaDBConnection) throws -> [Run] {
        let id = "`\(TableDefinition.rowIDColumn)`"
        var runs: [Run] = []
        var start: Int64?, last: Int64 = 0, step: Int64 = 0
        try connection.query("SELECT \(unsafeRaw: id) FROM \(unsafeRaw: table) WHERE \(unsafeRaw: id) >= \(first) ORDER BY 1") { row in
            let next = try row.decode(Int64.self, at: 0)
            guard let begun = start else { (start, last, step) = (next, next, 0); return }
            if step == 0 || next - last == step {
                step = next - last
                last = next
            } else {
                runs.append(Run(first: begun, last: last, step: step))
                (start, last, step) = (next, next, 0)
            }
        }
        if let begun = start { runs.append(Run(first: begun, last: last, step: max(step, 1))) }
        return runs
    }

    /// Records `runs` for the job, in the transaction that completes it (the worker's base table).
    static func record(_ runs: [Run], tenant: Int64, job: Int64, on connection: MariaDBConnection) throws {
        for start in stride(from: 0, to: runs.count, by: batch) {
            var insert: SQLQuery = "INSERT INTO datacovey.import_row_runs (tenant_id, job_id, first_row_id, last_row_id, step) VALUES "
            for (offset, run) in runs[start..<min(start + batch, runs.count)].enumerated() {
                if offset > 0 { insert.append(", ") }
                insert.append("(\(tenant), \(job), \(run.first), \(run.last), \(run.step))")
            }
            try connection.execute(insert)
        }
    }

    /// The job's runs as the tenant's view shows them (the responder's connection); empty for a
    /// job completed before they were recorded.
    static func load(job: Int64, on connection: MariaDBConnection) throws -> [Run] {
        try connection.query("""
            SELECT first_row_id, last_row_id, step FROM import_row_runs WHERE job_id = \(job) ORDER BY first_row_id
            """).map { row in
            let (first, last, step) = try row.decode((Int64, Int64, Int64).self)
            return Run(first: first, last: last, step: step)
        }
    }

    /// Deletes the rows of `runs` from `table`; answers how many rows went.
    static func delete(_ runs: [Run], from table: String, on connection: MariaDBConnection) throws -> UInt64 {
        let id = "`\(TableDefinition.rowIDColumn)`"
        var deleted: UInt64 = 0
        for start in stride(from: 0, to: runs.count, by: batch) {
            var delete = SQLQuery(unsafeSQL: "DELETE FROM \(table) WHERE ")
            for (offset, run) in runs[start..<min(start + batch, runs.count)].enumerated() {
                if offset > 0 { delete.append(" OR ") }
                if run.step == 1 || run.first == run.last {
                    delete.append("\(unsafeRaw: id) BETWEEN \(run.first) AND \(run.last)")
                } else {
                    delete.append("(\(unsafeRaw: id) BETWEEN \(run.first) AND \(run.last) AND MOD(\(unsafeRaw: id) - \(run.first), \(run.step)) = 0)")
                }
            }
            deleted += try connection.execute(delete).affectedRows
        }
        return deleted
    }
}
