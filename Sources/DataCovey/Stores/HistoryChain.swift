import Crypto
import Foundation

/// A tenant's tamper-evident history (sql/0024, 0026): every history row is a link whose hash
/// covers the previous link's hash and the row, chained per tenant and writer node across all
/// history tables (one chain on a single server; one per Galera node that wrote). This is
/// the one verifier, fed the links by the operators' command (every tenant, base tables) and by
/// `GET /api/v1/audit/verify` (the caller's tenant, through its views); the hashes themselves
/// are recomputed by the database's `dc_chain_hash`, the same function the triggers use.
public enum HistoryChain {
    /// The `chain_prev` of a tenant's first link.
    public static let genesis = String(repeating: "0", count: 64)

    /// One history row as a link: where it is, its chain, what it stores, and the hash its row gives now.
    public struct Link: Sendable {
        public let table: String
        public let historyID: Int64
        /// The chain's name: the writer node's `wsrep_node_name`, "" on a server without wsrep.
        public let chain: String
        public let seq: UInt64
        public let prev: String
        public let hash: String
        /// `dc_chain_hash` of the row as it is now: differs from `hash` when the row was edited.
        public let computed: String
    }

    /// One chain's head (history_chain_heads) and, after a purge, its checkpoint.
    public struct Head: Sendable {
        public let chain: String
        public let seq: UInt64
        public let hash: String
        public let checkpoint: Checkpoint?
    }

    /// Where the chain starts after a purge: the last purged link (`seq`, `hash`), and a digest
    /// of the links at or below `seq` that stayed (each object's newest version), so those are
    /// covered too although the links between them are gone.
    public struct Checkpoint: Sendable {
        public let seq: UInt64
        public let hash: String
        public let keptDigest: String
        public let keptLinks: UInt64
    }

    /// The first link that does not hold, and why.
    /// The same JSON for the API's verify route and `datacovey-admin history verify --json`.
    public struct Break: Sendable, Equatable, CustomStringConvertible, JSONResource {
        /// The history table and row; nil when what is missing is the end of the chain.
        public let table: String?
        public let historyID: Int64?
        /// The chain the break is in ("" on a server without wsrep).
        public let chain: String
        public let seq: UInt64
        public let expected: String
        public let stored: String
        public let reason: String

        public static let jsonFields: [JSONField<Break>] = [
            .field("chain", \.chain), .field("expected", \.expected), .field("history_id", \.historyID),
            .field("reason", \.reason),
            .field("seq", \.seq), .field("stored", \.stored), .field("table", \.table),
        ]

        public var description: String {
            let row = table.map { "\($0) history_id \(historyID ?? 0)" } ?? "the chain's end"
            let position = chain.isEmpty ? "seq \(seq)" : "chain \(chain) seq \(seq)"
            return "\(row) (\(position)): \(reason); expected \(expected), stored \(stored)"
        }
    }

    /// What verifying one tenant's chains found.
    public struct Report: Sendable {
        public let tenantID: Int64
        /// The head of each chain (history_chain_heads), in chain order; none without history.
        public let heads: [Head]
        /// Links present, in all chains.
        public let entries: Int
        public let firstBreak: Break?

        public var isValid: Bool { firstBreak == nil }

        /// The one value a tenant can keep: its chain's head hash with one chain (a single
        /// server), empty without history, and with several chains (a Galera cluster that wrote
        /// on several nodes) `combinedHead` of them all; `heads` says what each chain's is.
        public var head: String {
            heads.count > 1 ? HistoryChain.combinedHead(heads) : heads.first?.hash ?? ""
        }
    }

    /// The digest a checkpoint keeps of the links at or below it that stay: SHA-256 (hex) of
    /// "<seq>:<hash>\n" for each, in seq order. The purge writes it, the verifier recomputes it.
    public static func keptDigest(_ links: [(seq: UInt64, hash: String)]) -> String {
        sha256Hex(links.map { "\($0.seq):\($0.hash)\n" }.joined())
    }

    /// Several chains' heads as one value: SHA-256 (hex) of "<chain>:<seq>:<hash>\n" for each,
    /// in chain order.
    public static func combinedHead(_ heads: [Head]) -> String {
        sha256Hex(heads.sorted { $0.chain < $1.chain }.map { "\($0.chain):\($0.seq):\($0.hash)\n" }.joined())
    }

    private static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Checks each of the tenant's chains: the links of a chain (any order) against its head.
    /// A chain with links and no head, or a head with links missing, is a break like any other.
    public static func verify(tenantID: Int64, links: [Link], heads: [Head]) -> Report {
        let byChain = Dictionary(grouping: links, by: \.chain)
        let headOf = Dictionary(heads.map { ($0.chain, $0) }, uniquingKeysWith: { first, _ in first })
        let chains = Set(byChain.keys).union(headOf.keys).sorted()
        let broken = chains.lazy.compactMap { chain in
            verifyChain(chain, links: (byChain[chain] ?? []).sorted { $0.seq < $1.seq }, head: headOf[chain])
        }.first
        return Report(tenantID: tenantID, heads: heads.sorted { $0.chain < $1.chain }, entries: links.count,
                      firstBreak: broken)
    }

    /// Checks one chain's `links` (sorted by seq) against its `head`: below the checkpoint each
    /// kept link's hash must be its row's and their digest the checkpoint's; above it, the links
    /// must run without a gap from the checkpoint (or the genesis) to the head, each one's hash
    /// its row's and each one's `prev` the hash before it.
    static func verifyChain(_ chain: String, links: [Link], head: Head?) -> Break? {
        guard let head else {
            guard let first = links.first else { return nil }
            return Break(table: first.table, historyID: first.historyID, chain: chain, seq: first.seq,
                         expected: "a chain head", stored: "none", reason: "the chain's head is missing")
        }
        let start = head.checkpoint?.seq ?? 0
        var kept: [(seq: UInt64, hash: String)] = []
        var expectedSeq = start + 1
        var expectedPrev = head.checkpoint?.hash ?? genesis
        for link in links {
            if link.computed != link.hash {
                return Break(table: link.table, historyID: link.historyID, chain: chain, seq: link.seq, expected: link.computed,
                             stored: link.hash, reason: "the row does not hash to its stored hash (the row was changed)")
            }
            if link.seq <= start {
                kept.append((link.seq, link.hash))
                continue
            }
            if link.seq != expectedSeq {
                let reason = link.seq > expectedSeq
                    ? "link \(expectedSeq)\(link.seq - 1 > expectedSeq ? "…\(link.seq - 1)" : "") is missing (deleted)"
                    : "seq \(link.seq) appears twice (a forked or copied link)"
                return Break(table: link.table, historyID: link.historyID, chain: chain, seq: link.seq, expected: expectedPrev,
                             stored: link.prev, reason: reason)
            }
            if link.prev != expectedPrev {
                return Break(table: link.table, historyID: link.historyID, chain: chain, seq: link.seq, expected: expectedPrev,
                             stored: link.prev, reason: "the link does not follow the previous link's hash")
            }
            expectedSeq += 1
            expectedPrev = link.hash
        }
        if let checkpoint = head.checkpoint {
            let digest = keptDigest(kept)
            if digest != checkpoint.keptDigest || UInt64(kept.count) != checkpoint.keptLinks {
                return Break(table: nil, historyID: nil, chain: chain, seq: checkpoint.seq, expected: checkpoint.keptDigest,
                             stored: digest, reason: "the links kept at or below the purge checkpoint are not the ones the purge left (\(kept.count) found, \(checkpoint.keptLinks) kept)")
            }
        }
        if expectedSeq - 1 != head.seq || expectedPrev != head.hash {
            let reason = expectedSeq - 1 < head.seq
                ? "links \(expectedSeq)…\(head.seq) are missing (the head is at \(head.seq))"
                : "the chain does not end at its head"
            return Break(table: nil, historyID: nil, chain: chain, seq: expectedSeq - 1, expected: head.hash,
                         stored: expectedPrev, reason: reason)
        }
        return nil
    }
}
